// The Jaxpr IR: typed, single-assignment, immutable, printable in JAX's text form.
import { Array, fromTyped } from "./array.js";
import { bind, type Params, type Primitive } from "./core.js";
import { DType } from "./dtypes.js";
import * as pp from "./pretty.js";
import { ShapedArray } from "./shape.js";

/** A variable. Identity is the object; names are given when printing. */
export class Var {
  constructor(readonly aval: ShapedArray) {}
}

/** An output that is never used (printed `_`). */
export class DropVar extends Var {}

/** A scalar constant inlined into an equation. */
export class Literal {
  constructor(
    readonly val: number,
    readonly aval: ShapedArray,
  ) {}
  /** JAX's form: `3.0:f32[]`, `1:i32[]`, `True:bool[]`. */
  toString(): string {
    return `${formatLiteralValue(this.val, this.aval.dtype)}:${this.aval.strShort()}`;
  }
}

export type Atom = Var | Literal;

export class JaxprEqn {
  constructor(
    readonly primitive: Primitive,
    readonly inputs: readonly Atom[],
    readonly params: Params,
    readonly outvars: readonly Var[],
  ) {}
}

export class Jaxpr {
  constructor(
    readonly constvars: readonly Var[],
    readonly invars: readonly Var[],
    readonly eqns: readonly JaxprEqn[],
    readonly outvars: readonly Atom[],
  ) {}
  get inAvals(): ShapedArray[] {
    return this.invars.map((v) => v.aval);
  }
  get outAvals(): ShapedArray[] {
    return this.outvars.map((v) => v.aval);
  }
  toString(): string {
    return pp.format(ppJaxpr(this, new NameContext()), 80);
  }
}

/** A Jaxpr with values for its constvars. */
export class ClosedJaxpr {
  constructor(
    readonly jaxpr: Jaxpr,
    readonly consts: readonly Array[],
  ) {
    if (consts.length !== jaxpr.constvars.length) {
      throw new Error(`[ClosedJaxpr] ${jaxpr.constvars.length} constvars but ${consts.length} consts`);
    }
  }
  get inAvals(): ShapedArray[] {
    return this.jaxpr.inAvals;
  }
  get outAvals(): ShapedArray[] {
    return this.jaxpr.outAvals;
  }
  get eqns(): readonly JaxprEqn[] {
    return this.jaxpr.eqns;
  }
  toString(): string {
    return this.jaxpr.toString();
  }
}

// ---------------------------------------------------------------------------
// Evaluation and checking

/** Evaluate a Jaxpr by binding each equation (so it works under any trace). */
export function evalJaxpr(jaxpr: Jaxpr, consts: readonly Array[], args: readonly Array[]): Array[] {
  if (consts.length !== jaxpr.constvars.length || args.length !== jaxpr.invars.length) {
    throw new TypeError(
      `[evalJaxpr] expected ${jaxpr.constvars.length} consts and ${jaxpr.invars.length} args, got ${consts.length} and ${args.length}`,
    );
  }
  const env = new Map<Var, Array>();
  const write = (v: Var, x: Array) => {
    if (env.has(v)) throw new Error("[evalJaxpr] variable assigned twice: Jaxpr is not single-assignment");
    env.set(v, x);
  };
  const read = (a: Atom): Array => {
    if (a instanceof Literal) return literalArray(a);
    const x = env.get(a);
    if (x === undefined) throw new Error("[evalJaxpr] variable read before assignment");
    return x;
  };
  jaxpr.constvars.forEach((v, i) => write(v, consts[i]!));
  jaxpr.invars.forEach((v, i) => write(v, args[i]!));
  for (const eqn of jaxpr.eqns) {
    const outs = bind(eqn.primitive, eqn.inputs.map(read), eqn.params);
    eqn.outvars.forEach((v, i) => {
      if (!(v instanceof DropVar)) write(v, outs[i]!);
    });
  }
  return jaxpr.outvars.map(read);
}

export function literalArray(l: Literal): Array {
  const data = new l.aval.dtype.storage(1);
  data[0] = l.val;
  return fromTyped(data, [], l.aval.dtype, l.aval.weakType);
}

export class JaxprTypeError extends TypeError {
  override name = "JaxprTypeError";
}

/**
 * Check a Jaxpr: single assignment, every variable defined before use, and every
 * equation's output types equal to its primitive's abstract evaluation.
 */
export function checkJaxpr(jaxpr: Jaxpr): void {
  const defined = new Set<Var>();
  const names = new NameContext();
  const define = (v: Var) => {
    if (v instanceof DropVar) return;
    if (defined.has(v)) throw new JaxprTypeError(`[checkJaxpr] variable ${names.name(v)} defined twice`);
    defined.add(v);
  };
  const use = (a: Atom, where: string) => {
    if (a instanceof Literal) return;
    if (!defined.has(a)) throw new JaxprTypeError(`[checkJaxpr] variable ${names.name(a)} used before definition in ${where}`);
  };
  jaxpr.constvars.forEach(define);
  jaxpr.invars.forEach(define);
  for (const eqn of jaxpr.eqns) {
    eqn.inputs.forEach((a) => use(a, eqn.primitive.name));
    const outs = eqn.primitive.abstractEval(
      eqn.inputs.map((a) => a.aval),
      eqn.params,
    );
    if (outs.length !== eqn.outvars.length) {
      throw new JaxprTypeError(`[checkJaxpr] ${eqn.primitive.name} produces ${outs.length} outputs, eqn binds ${eqn.outvars.length}`);
    }
    outs.forEach((o, i) => {
      const v = eqn.outvars[i]!;
      if (!o.sameType(v.aval)) {
        throw new JaxprTypeError(
          `[checkJaxpr] ${eqn.primitive.name} output ${i} has type ${o.strShort()} but is bound to ${names.name(v)}:${v.aval.strShort()}`,
        );
      }
    });
    eqn.outvars.forEach(define);
  }
  jaxpr.outvars.forEach((a) => use(a, "outputs"));
}

// ---------------------------------------------------------------------------
// Printing (JAX's pp_jaxpr layout)

/** Assigns a, b, ..., z, ba, bb, ... in order of first appearance. */
export class NameContext {
  private names = new Map<Var, string>();
  name(v: Var): string {
    if (v instanceof DropVar) return "_";
    let n = this.names.get(v);
    if (n === undefined) {
      n = alphabetic(this.names.size);
      this.names.set(v, n);
    }
    return n;
  }
}

function alphabetic(n: number): string {
  let s = "";
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

function ppAtom(a: Atom, ctx: NameContext): string {
  return a instanceof Literal ? a.toString() : ctx.name(a);
}

function ppBinder(v: Var, ctx: NameContext): string {
  return `${ctx.name(v)}:${v.aval.strShort()}`;
}

function ppVars(strs: string[], sep = ""): pp.Doc {
  return pp.nest(2, pp.group(pp.join(pp.concat(pp.text(sep), pp.brk()), strs.map(pp.text))));
}

export function ppJaxpr(jaxpr: Jaxpr, ctx: NameContext): pp.Doc {
  const constvars = ppVars(jaxpr.constvars.map((v) => ppBinder(v, ctx)));
  const invars = ppVars(jaxpr.invars.map((v) => ppBinder(v, ctx)));
  const eqns = pp.join(
    pp.brk(),
    jaxpr.eqns.map((e) => ppEqn(e, ctx)),
  );
  const outs = jaxpr.outvars.map((a) => ppAtom(a, ctx));
  const outvars = pp.concat(pp.text("("), ppVars(outs, ","), pp.text(outs.length === 1 ? ",)" : ")"));
  return pp.concat(
    pp.group(
      pp.nest(
        2,
        pp.concat(
          pp.text("{ lambda "),
          constvars,
          pp.text("; "),
          invars,
          pp.text(". let"),
          pp.nest(2, pp.concat(pp.brk(), eqns)),
          pp.brk(),
          pp.text("in "),
          outvars,
        ),
      ),
    ),
    pp.text(" }"),
  );
}

function ppEqn(eqn: JaxprEqn, ctx: NameContext): pp.Doc {
  const lhs = ppVars(eqn.outvars.map((v) => ppBinder(v, ctx)));
  const params = ppParams(eqn, ctx);
  const args = eqn.inputs.map((a) => ppAtom(a, ctx));
  const rhs = pp.concat(
    pp.text(eqn.primitive.name),
    params,
    args.length ? pp.concat(pp.text(" "), ppVars(args)) : pp.text(""),
  );
  return pp.group(pp.concat(lhs, pp.text(" = "), rhs));
}

function ppParams(eqn: JaxprEqn, ctx: NameContext): pp.Doc {
  const custom = eqn.primitive.ppParams?.(eqn.params);
  const entries: [string, pp.Doc][] = custom
    ? custom.map(([k, v]) => [k, pp.text(v)])
    : Object.keys(eqn.params)
        .sort()
        .map((k) => [k, ppParamValue(eqn.params[k], ctx)]);
  if (entries.length === 0) return pp.text("");
  return pp.nest(
    2,
    pp.concat(
      pp.text("["),
      pp.join(
        pp.brk(),
        entries.map(([k, v]) => pp.concat(pp.text(`${k}=`), v)),
      ),
      pp.text("]"),
    ),
  );
}

/** Python-repr-like printing of param values: tuples `(0,)`, None, True, dtypes by name. */
export function ppParamValue(v: unknown, ctx: NameContext): pp.Doc {
  if (v instanceof Jaxpr) return ppJaxpr(v, ctx);
  if (v instanceof ClosedJaxpr) return ppJaxpr(v.jaxpr, ctx);
  return pp.text(pyRepr(v));
}

/** Marks a JS array param that prints as a Python list `[1, 2]` rather than a tuple. */
export class PyList<T = unknown> {
  constructor(readonly items: readonly T[]) {}
}

export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
  if (typeof v === "string") return v;
  if (v instanceof DType) return v.name;
  if (v instanceof PyList) return `[${v.items.map(pyRepr).join(", ")}]`;
  if (globalThis.Array.isArray(v)) {
    return v.length === 1 ? `(${pyRepr(v[0])},)` : `(${v.map(pyRepr).join(", ")})`;
  }
  if (typeof v === "object" && "toString" in v && v.toString !== Object.prototype.toString) return String(v);
  return JSON.stringify(v);
}

/** Python's repr of a float: shortest round-trip digits, `1e-05` style exponents. */
export function pyFloatRepr(x: number, digitsFor: DType | null = null): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  let s: string;
  if (digitsFor && digitsFor.bits < 64) {
    // Shortest digits that round-trip at this precision (NumPy's scalar repr).
    const round = digitsFor.bits === 32 ? Math.fround : (y: number) => y;
    s = String(x);
    for (let p = 1; p <= 17; p++) {
      const t = x.toPrecision(p);
      if (round(Number(t)) === x) {
        s = String(Number(t));
        break;
      }
    }
  } else {
    s = String(x);
  }
  // Convert JS formatting to Python's: exponent form when exp < -4 or >= 16.
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(s);
  if (!m) return s;
  const [, sign, ip, fp = "", ex] = m;
  const digits = (ip! + fp).replace(/^0+/, "");
  const exp10 = (ex ? Number(ex) : 0) + ip!.replace(/^0+$/, "").length - 1 - (ip === "0" ? leadingZeros(fp) : 0);
  if (digits === "") return `${sign}0.0`;
  const d = digits.replace(/0+$/, "");
  if (exp10 < -4 || exp10 >= 16) {
    const mant = d.length > 1 ? `${d[0]}.${d.slice(1)}` : d;
    return `${sign}${mant}e${exp10 < 0 ? "-" : "+"}${String(Math.abs(exp10)).padStart(2, "0")}`;
  }
  if (exp10 < 0) return `${sign}0.${"0".repeat(-exp10 - 1)}${d}`;
  const intPart = d.slice(0, exp10 + 1).padEnd(exp10 + 1, "0");
  const frac = d.slice(exp10 + 1);
  return `${sign}${intPart}.${frac || "0"}`;
}

function leadingZeros(s: string): number {
  const m = /^0*/.exec(s);
  return m ? m[0].length + 1 : 0;
}

export function formatLiteralValue(v: number, dt: DType): string {
  if (dt.kind === "b") return v ? "True" : "False";
  if (dt.kind === "f") return pyFloatRepr(v, dt);
  return String(v);
}

/** Stable cache key for params (dtypes by name, sub-Jaxprs by identity). */
const jaxprIds = new WeakMap<object, number>();
let nextJaxprId = 0;
export function paramsKey(params: Params): string {
  return JSON.stringify(params, (_k, v) => {
    if (v instanceof DType) return `dtype:${v.name}`;
    if (v instanceof Jaxpr || v instanceof ClosedJaxpr) {
      let id = jaxprIds.get(v);
      if (id === undefined) jaxprIds.set(v, (id = nextJaxprId++));
      return `jaxpr:${id}`;
    }
    if (v instanceof PyList) return { list: v.items };
    if (typeof v === "function") throw new Error("[paramsKey] params must be plain data, found a function");
    if (typeof v === "number" && !Number.isFinite(v)) return `num:${v}`;
    return v;
  });
}
