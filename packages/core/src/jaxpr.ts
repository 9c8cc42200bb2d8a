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
    return ppTopLevel(this);
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

/**
 * A cache of what transformations derive from a Jaxpr, per key (e.g. a pattern of
 * nonzero tangents), held only as long as the Jaxpr lives, so a staged program is
 * re-traced once per pattern. Each caller makes its own, so keys never collide.
 */
export function derivedCache<J extends object>(): <T>(j: J, key: string, make: () => T) => T {
  const derived = new WeakMap<J, Map<string, unknown>>();
  return <T>(j: J, key: string, make: () => T): T => {
    let m = derived.get(j);
    if (!m) derived.set(j, (m = new Map()));
    if (!m.has(key)) m.set(key, make());
    return m.get(key) as T;
  };
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
  private dropped = new Set<Var>();
  private counter = 0;
  /** Names of hoisted (shared) Jaxprs; variable names skip them. */
  readonly hoisted = new Map<Jaxpr, string>();
  private reserved = new Set<string>();
  /** Print `v` as `_` (an output nobody reads). */
  drop(v: Var): void {
    this.dropped.add(v);
  }
  reserve(name: string): void {
    this.reserved.add(name);
  }
  name(v: Var): string {
    if (v instanceof DropVar || this.dropped.has(v)) return "_";
    let n = this.names.get(v);
    if (n === undefined) {
      do n = alphabetic(this.counter++);
      while (this.reserved.has(n));
      this.names.set(v, n);
    }
    return n;
  }
  /**
   * Let inner binders reuse the names of the outer atoms they stand for (JAX does
   * this for jit): each outer variable feeds at most one suggestion; literals none.
   */
  suggest(inner: readonly Atom[], outer: readonly Atom[]): void {
    const used = new Set<Var>();
    inner.forEach((iv, i) => {
      const ov = outer[i];
      if (!(iv instanceof Var) || !(ov instanceof Var) || this.names.has(iv) || this.dropped.has(iv) || used.has(ov)) return;
      used.add(ov);
      if (ov instanceof DropVar || this.dropped.has(ov)) this.dropped.add(iv);
      else this.names.set(iv, this.name(ov));
    });
  }
}

/** Jaxprs nested in an equation's params (a Jaxpr, a ClosedJaxpr, or a tuple of them). */
export function subJaxprs(params: Params): Jaxpr[] {
  const out: Jaxpr[] = [];
  const visit = (v: unknown) => {
    if (v instanceof Jaxpr) out.push(v);
    else if (v instanceof ClosedJaxpr) out.push(v.jaxpr);
    else if (globalThis.Array.isArray(v)) v.forEach(visit);
  };
  Object.values(params).forEach(visit);
  return out;
}

/**
 * Print a top-level Jaxpr as JAX does: nested Jaxprs that occur more than once
 * (one with more than 10 equations counts twice) are hoisted into
 * `let NAME = { ... } in` lines and referred to by name; top-level outputs that
 * nothing reads print `_`.
 */
function ppTopLevel(top: Jaxpr): string {
  const ctx = new NameContext();
  const used = new Set<Atom>(top.outvars);
  for (const e of top.eqns) for (const a of e.inputs) used.add(a);
  for (const e of top.eqns) for (const v of e.outvars) if (!used.has(v)) ctx.drop(v);

  // Breadth-first over nested Jaxprs, counting occurrences and remembering a name.
  const count = new Map<Jaxpr, number>();
  const nameOf = new Map<Jaxpr, string>();
  const order: Jaxpr[] = [];
  let queue: Jaxpr[] = [top];
  while (queue.length) {
    const next: Jaxpr[] = [];
    for (const j of queue) {
      for (const e of j.eqns) {
        for (const sub of subJaxprs(e.params)) {
          const seen = count.has(sub);
          count.set(sub, (count.get(sub) ?? 0) + (sub.eqns.length > 10 ? 2 : 1));
          if (!seen) {
            order.push(sub);
            const n = typeof e.params.name === "string" ? e.params.name.replace(/[<>]/g, "") : "jaxpr";
            nameOf.set(sub, n);
            next.push(sub);
          }
        }
      }
    }
    queue = next;
  }
  const taken = new Set<string>();
  for (const j of order) {
    if ((count.get(j) ?? 0) <= 1) continue;
    const base = nameOf.get(j)!;
    let n = base;
    for (let k = 1; taken.has(n); k++) n = `${base}${k}`;
    taken.add(n);
    ctx.hoisted.set(j, n);
    ctx.reserve(n);
  }
  const lines: string[] = [];
  for (const [j, n] of [...ctx.hoisted]) {
    // A hoisted Jaxpr is printed in full only at its definition.
    ctx.hoisted.delete(j);
    lines.push(pp.format(pp.concat(pp.text(`let ${n} = `), ppJaxpr(j, ctx), pp.text(" in")), 80));
    ctx.hoisted.set(j, n);
  }
  lines.push(pp.format(ppJaxpr(top, ctx), 80));
  return lines.join("\n");
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

/** A list of variables fills lines: each separator breaks only when the line is full. */
function ppVars(strs: string[], sep = ""): pp.Doc {
  return pp.nest(2, pp.group(pp.join(pp.concat(pp.text(sep), pp.group(pp.brk())), strs.map(pp.text))));
}

export function ppJaxpr(jaxpr: Jaxpr, ctx: NameContext): pp.Doc {
  const constvars = ppVars(jaxpr.constvars.map((v) => ppBinder(v, ctx)));
  const invars = ppVars(jaxpr.invars.map((v) => ppBinder(v, ctx)));
  const eqns = pp.join(
    pp.brk("; "),
    jaxpr.eqns.map((e) => ppEqn(e, ctx)),
  );
  const outs = jaxpr.outvars.map((a) => ppAtom(a, ctx));
  const outvars = pp.concat(pp.text("("), ppVars(outs, ","), pp.text(outs.length === 1 ? ",)" : ")"));
  return pp.group(
    pp.concat(
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
      pp.text(" }"),
    ),
  );
}

function ppEqn(eqn: JaxprEqn, ctx: NameContext): pp.Doc {
  const inner = eqn.primitive.ppSuggestNames ? eqn.primitive.ppSuggestNames(eqn.params) : null;
  if (inner && !ctx.hoisted.has(inner)) {
    ctx.suggest(inner.invars, eqn.inputs);
    ctx.suggest(inner.outvars, eqn.outvars);
  }
  // Names are given in JAX's order: outputs, then params (nested Jaxprs), then inputs.
  const lhs = ppVars(eqn.outvars.map((v) => ppBinder(v, ctx)));
  const params = ppParams(eqn, ctx);
  const args = ppVars(eqn.inputs.map((a) => ppAtom(a, ctx)));
  const rhs = pp.concat(pp.text(eqn.primitive.name), params, pp.text(" "), args);
  return eqn.outvars.length ? pp.concat(lhs, pp.text(" = "), rhs) : rhs;
}

function ppParams(eqn: JaxprEqn, ctx: NameContext): pp.Doc {
  const entries: [string, unknown][] =
    eqn.primitive.ppParams?.(eqn.params) ??
    Object.keys(eqn.params)
      .sort()
      .map((k) => [k, eqn.params[k]]);
  if (entries.length === 0) return pp.text("");
  return pp.group(
    pp.concat(
      pp.nest(
        2,
        pp.concat(
          pp.text("["),
          pp.brk(""),
          pp.join(
            pp.brk(),
            entries.map(([k, v]) => pp.concat(pp.text(`${k}=`), ppParamValue(v, ctx))),
          ),
        ),
      ),
      pp.brk(""),
      pp.text("]"),
    ),
  );
}

/** Python-repr-like printing of param values: tuples `(0,)`, None, True, dtypes by name. */
export function ppParamValue(v: unknown, ctx: NameContext): pp.Doc {
  const j = v instanceof ClosedJaxpr ? v.jaxpr : v;
  if (j instanceof Jaxpr) return ctx.hoisted.has(j) ? pp.text(ctx.hoisted.get(j)!) : ppJaxpr(j, ctx);
  if (globalThis.Array.isArray(v) && v.length > 0 && v.every((j) => j instanceof Jaxpr || j instanceof ClosedJaxpr)) {
    // A tuple of Jaxprs (cond branches): one per line when broken.
    return pp.group(
      pp.concat(
        pp.nest(2, pp.concat(pp.text("("), pp.brk(""), pp.join(pp.brk(), v.map((j) => ppParamValue(j, ctx))))),
        pp.brk(""),
        pp.text(")"),
      ),
    );
  }
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

/** Python's repr of a float: shortest round-trip digits, exponent form outside [1e-4, 1e16). */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mant, expStr] = Math.abs(x).toExponential().split("e") as [string, string];
  const digits = mant.replace(".", "");
  const e = Number(expStr);
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  if (e < 0) return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
  const int = digits.slice(0, e + 1).padEnd(e + 1, "0");
  const frac = digits.slice(e + 1);
  return `${sign}${int}.${frac || "0"}`;
}

export function formatLiteralValue(v: number, dt: DType): string {
  if (dt.kind === "b") return v ? "True" : "False";
  // JAX prints the float64 value of the stored number (str(np.asarray(v).item())).
  if (dt.kind === "f") return pyFloatRepr(v);
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
    if (Object.is(v, -0)) return "num:-0"; // JSON writes -0 as 0 (gather's fill_value -0 is not +0)
    return v;
  });
}
