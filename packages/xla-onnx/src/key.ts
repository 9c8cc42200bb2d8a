// Structural hashing of Jaxprs: equal keys mean the same program (primitive
// names and identities, params, avals and data flow), whatever the objects.
import { ClosedJaxpr, DType, Jaxpr, Literal, type Var } from "@jaxts/core";

const ids = new WeakMap<object, number>();
let nextId = 0;
function idOf(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}

function num(x: number): string {
  return Object.is(x, -0) ? "-0" : String(x);
}

function paramValue(v: unknown): string {
  if (v === null || v === undefined) return "N";
  if (typeof v === "number") return num(v);
  if (typeof v === "boolean" || typeof v === "string") return JSON.stringify(v);
  if (typeof v === "function") return `fn#${idOf(v)}`;
  if (typeof v !== "object") return String(v);
  if (v instanceof DType) return `dt:${v.name}`;
  if (v instanceof Jaxpr) return `J{${jaxprKey(v)}}`;
  if (v instanceof ClosedJaxpr) return `CJ{${jaxprKey(v.jaxpr)}|${v.consts.map((c) => idOf(c)).join(",")}}`;
  if (Array.isArray(v)) return `[${v.map(paramValue).join(",")}]`;
  const ctor = (v as object).constructor;
  const name = ctor && ctor !== Object ? `${ctor.name}#${idOf(ctor)}` : "";
  const entries = Object.keys(v as object)
    .sort()
    .map((k) => `${k}:${paramValue((v as Record<string, unknown>)[k])}`);
  return `${name}{${entries.join(",")}}`;
}

export function paramsKey(params: Record<string, unknown>): string {
  return paramValue(params);
}

/** The structural key of a Jaxpr. */
export function jaxprKey(j: Jaxpr): string {
  const nums = new Map<Var, number>();
  let n = 0;
  const def = (v: Var) => {
    nums.set(v, n++);
    return v.aval.key();
  };
  const atom = (a: Var | Literal) => (a instanceof Literal ? `L${num(a.val)}:${a.aval.key()}` : `${nums.get(a) ?? "?"}`);
  const parts: string[] = [];
  parts.push(`c(${j.constvars.map(def).join(",")})`);
  parts.push(`i(${j.invars.map(def).join(",")})`);
  for (const e of j.eqns) {
    const ins = e.inputs.map(atom).join(",");
    parts.push(`${e.primitive.name}#${idOf(e.primitive)}${paramsKey(e.params)}(${ins})->${e.outvars.map(def).join(",")}`);
  }
  parts.push(`o(${j.outvars.map(atom).join(",")})`);
  return parts.join(";");
}
