// Names of a function's arguments, for error messages that say which argument
// a traced value depends on (as JAX's concretization errors do).
import * as tree from "./tree.js";

/** Parameter names parsed from a function's source; null where unknown (destructuring). */
export function paramNames(f: Function): (string | null)[] {
  let src: string;
  try {
    src = Function.prototype.toString.call(f);
  } catch {
    return [];
  }
  let params: string;
  const arrowSingle = /^\s*(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  if (arrowSingle) params = arrowSingle[1]!;
  else {
    const open = src.indexOf("(");
    if (open < 0) return [];
    let depth = 0;
    let end = open;
    for (; end < src.length; end++) {
      const c = src[end];
      if (c === "(" || c === "[" || c === "{") depth++;
      else if (c === ")" || c === "]" || c === "}") {
        depth--;
        if (depth === 0) break;
      }
    }
    params = src.slice(open + 1, end);
  }
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const c of params) {
    if (c === "(" || c === "[" || c === "{" || c === "<") depth++;
    if (c === ")" || c === "]" || c === "}" || c === ">") depth--;
    if (c === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += c;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p) => {
    const m = /^\s*(\.\.\.)?\s*([A-Za-z_$][\w$]*)/.exec(p);
    return m ? (m[1] ? `...${m[2]}` : m[2]!) : null;
  });
}

/** A readable name for every flattened leaf of `args`: `x`, `params['w']`, `xs[2]`. */
export function leafNames(f: Function, args: readonly unknown[]): string[] {
  const names = paramNames(f);
  const [withPath] = tree.flattenWithPath([...args]);
  return withPath.map(([path]) => {
    const [first, ...rest] = path;
    const i = first && "idx" in first ? (first as tree.SequenceKey).idx : 0;
    let base: string;
    const last = names[names.length - 1];
    if (i < names.length && names[i] && !names[i]!.startsWith("...")) base = names[i]!;
    else if (last && last.startsWith("...") && i >= names.length - 1) base = `${last.slice(3)}[${i - (names.length - 1)}]`;
    else base = `args[${i}]`;
    return base + tree.keystr(rest);
  });
}
