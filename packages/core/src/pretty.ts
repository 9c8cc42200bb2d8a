// A small Wadler-style pretty printer, the layout model JAX uses for Jaxprs:
// a group prints flat (breaks as spaces) when it fits in the remaining width,
// otherwise its breaks become newlines at the current nesting.

export type Doc =
  | { t: "text"; s: string }
  | { t: "concat"; ds: Doc[] }
  | { t: "nest"; n: number; d: Doc }
  | { t: "group"; d: Doc }
  | { t: "brk"; s: string };

export const text = (s: string): Doc => ({ t: "text", s });
export const concat = (...ds: Doc[]): Doc => ({ t: "concat", ds });
export const nest = (n: number, d: Doc): Doc => ({ t: "nest", n, d });
export const group = (d: Doc): Doc => ({ t: "group", d });
export const brk = (s = " "): Doc => ({ t: "brk", s });
export function join(sep: Doc, ds: Doc[]): Doc {
  const out: Doc[] = [];
  ds.forEach((d, i) => {
    if (i > 0) out.push(sep);
    out.push(d);
  });
  return concat(...out);
}

type Mode = "flat" | "break";
type Cmd = [indent: number, mode: Mode, doc: Doc];

/** Does `doc` printed flat fit in `width` columns (up to its first forced line end)? */
function fits(doc: Doc, width: number): boolean {
  const stack: Doc[] = [doc];
  while (width >= 0 && stack.length) {
    const d = stack.pop()!;
    switch (d.t) {
      case "text":
        width -= d.s.length;
        break;
      case "brk":
        width -= d.s.length;
        break;
      case "concat":
        for (let i = d.ds.length - 1; i >= 0; i--) stack.push(d.ds[i]!);
        break;
      case "nest":
      case "group":
        stack.push(d.d);
        break;
    }
  }
  return width >= 0;
}

export function format(doc: Doc, width = 80): string {
  const out: string[] = [];
  let col = 0;
  const stack: Cmd[] = [[0, "break", doc]];
  while (stack.length) {
    const [i, m, d] = stack.pop()!;
    switch (d.t) {
      case "text":
        out.push(d.s);
        col += d.s.length;
        break;
      case "brk":
        if (m === "flat") {
          out.push(d.s);
          col += d.s.length;
        } else {
          out.push("\n" + " ".repeat(i));
          col = i;
        }
        break;
      case "concat":
        for (let k = d.ds.length - 1; k >= 0; k--) stack.push([i, m, d.ds[k]!]);
        break;
      case "nest":
        stack.push([i + d.n, m, d.d]);
        break;
      case "group":
        stack.push([i, m === "flat" || fits(d.d, width - col) ? "flat" : "break", d.d]);
        break;
    }
  }
  return out.join("");
}
