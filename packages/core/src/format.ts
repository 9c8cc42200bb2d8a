// NumPy-like printing of arrays: `Array([1., 2.], dtype=float32)`.
import type { TypedArray } from "./dtypes.js";
import type { ShapedArray } from "./shape.js";

function fmtScalar(v: number, kind: string): string {
  if (kind === "b") return v ? "True" : "False";
  if (kind !== "f") return String(v);
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.`;
  return String(v);
}

export function formatArray(data: TypedArray, aval: ShapedArray): string {
  const kind = aval.dtype.kind;
  const items = Array.from(data, (v) => fmtScalar(v, kind));
  const width = Math.max(0, ...items.map((s) => s.length));
  const pad = (s: string) => (aval.ndim === 0 ? s : s.padStart(width));
  const rec = (dim: number, off: number, indent: string): string => {
    if (dim === aval.ndim) return pad(items[off]!);
    const n = aval.shape[dim]!;
    let stride = 1;
    for (let i = dim + 1; i < aval.ndim; i++) stride *= aval.shape[i]!;
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(rec(dim + 1, off + i * stride, indent + " "));
    const sep = dim === aval.ndim - 1 ? ", " : ",\n" + "\n".repeat(aval.ndim - dim - 2) + indent + " ";
    return `[${parts.join(sep)}]`;
  };
  const body = rec(0, 0, "      ");
  const weak = aval.weakType ? ", weak_type=True" : "";
  return `Array(${body}, dtype=${aval.dtype.name}${weak})`;
}
