// jnp.einsum and jnp.einsum_path (jax/_src/numpy/einsum.py), with the parts of
// opt_einsum that JAX relies on written here: subscript parsing (implicit and
// explicit output, `...`, size-1 broadcasting), contraction-path search
// (opt_einsum's `greedy`, `optimal`, and `auto` = optimal up to 4 operands,
// greedy beyond), and JAX's lowering of each step: one operand is reduced
// (repeated labels become diagonals, unique labels are summed), two operands
// become one dot_general (batch = labels shared and kept, contracting = shared
// and removed), then a transpose into the step's output order.
import { Array, lax, resultTypeWithWeak, type ArrayInput, type DType, type ProductOptions } from "@jaxts/core";
import { arr, fmt } from "./math_helpers.js";
import { range } from "./linalg_kernels.js";

const JsArray = globalThis.Array;

/** A path: per step, the positions (in the current operand list) contracted together. */
export type EinsumPath = number[][];

export interface EinsumOptions extends ProductOptions {
  /**
   * The contraction order: "auto" (default: exhaustive search up to 4 operands,
   * greedy beyond), "greedy", "optimal" (exhaustive) or true (= "optimal"),
   * false (left to right), or an explicit path such as [[0, 1], [0, 1]].
   */
  optimize?: boolean | "auto" | "greedy" | "optimal" | EinsumPath;
}

interface Contraction {
  /** positions contracted, in decreasing order (as opt_einsum pops them) */
  inds: number[];
  /** labels summed away by this step */
  removed: Set<string>;
  /** "ab,bc->ac" (labels are single characters) */
  einsumStr: string;
  flops: number;
}

interface Parsed {
  inputs: string[];
  output: string;
  sizes: Map<string, number>;
  /** the subscripts as given, with ellipses expanded (for the path report) */
  text: string;
}

const isOptions = (x: unknown): boolean =>
  typeof x === "object" && x !== null && !(x instanceof Array) && !JsArray.isArray(x) && !ArrayBuffer.isView(x);

/** Split `...args` into operands (and, for the interleaved form, subscripts) and the trailing options. */
function splitArgs(op: string, first: unknown, rest: unknown[]): { subscripts: string; operands: Array[]; opts: EinsumOptions } {
  const args = [...rest];
  const opts = (args.length && isOptions(args[args.length - 1]) ? args.pop() : {}) as EinsumOptions;
  if (typeof first === "string") {
    return { subscripts: first, operands: args.map((x, i) => arr(op, x, `operand ${i}`)), opts };
  }
  // Interleaved form: einsum(op0, sublist0, op1, sublist1, ..., [sublistOut]).
  const all = [first, ...args];
  const operands: Array[] = [];
  const terms: string[] = [];
  let k = 0;
  for (; k + 1 < all.length; k += 2) {
    operands.push(arr(op, all[k], `operand ${k / 2}`));
    terms.push(sublistToString(op, all[k + 1]));
  }
  const out = k < all.length ? "->" + sublistToString(op, all[k]) : "";
  return { subscripts: terms.join(",") + out, operands, opts };
}

const SYMBOLS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

function sublistToString(op: string, sub: unknown): string {
  if (!JsArray.isArray(sub)) throw new TypeError(`[${op}] in the interleaved form each operand must be followed by a list of axis labels`);
  return sub
    .map((s) => {
      if (s === "..." || s === null) return "...";
      if (typeof s === "number" && Number.isInteger(s) && s >= 0 && s < SYMBOLS.length) return SYMBOLS[s]!;
      throw new TypeError(`[${op}] axis labels must be integers in [0, ${SYMBOLS.length}) or "...", got ${String(s)}`);
    })
    .join("");
}

/** opt_einsum's parse_einsum_input plus the size checks of contract_path. */
function parse(op: string, subscripts: string, operands: Array[]): Parsed {
  const s = subscripts.replace(/\s+/g, "");
  const arrow = s.indexOf("->");
  if (arrow >= 0 && s.indexOf("->", arrow + 1) >= 0) throw new TypeError(`[${op}] subscripts may contain at most one '->': "${subscripts}"`);
  const lhs = arrow >= 0 ? s.slice(0, arrow) : s;
  const rhs = arrow >= 0 ? s.slice(arrow + 2) : null;
  const terms = lhs.split(",");
  if (terms.length !== operands.length) {
    throw new TypeError(`[${op}] the subscripts "${subscripts}" name ${terms.length} operand(s) but ${operands.length} were given`);
  }
  const checkChars = (t: string) => {
    const body = t.replace("...", "");
    if (body.includes(".")) throw new TypeError(`[${op}] invalid '.' in subscripts "${subscripts}" (an ellipsis is '...')`);
    for (const c of body) {
      if (!/[a-zA-Z]/.test(c)) throw new TypeError(`[${op}] invalid subscript '${c}' in "${subscripts}": labels are letters a-z, A-Z`);
    }
  };
  terms.forEach(checkChars);
  if (rhs !== null) checkChars(rhs);
  // Ellipsis dims get private labels; they broadcast right-aligned across operands.
  const ellDims = terms.map((t, i) => {
    const x = operands[i]!;
    const nLabels = t.replace("...", "").length;
    if (!t.includes("...")) {
      if (nLabels !== x.ndim) {
        throw new TypeError(`[${op}] subscript '${t}' has ${nLabels} label(s) but operand ${i} is ${fmt(x)} (rank ${x.ndim})`);
      }
      return 0;
    }
    if (nLabels > x.ndim) throw new TypeError(`[${op}] subscript '${t}' has more labels than operand ${i} (${fmt(x)}) has dimensions`);
    return x.ndim - nLabels;
  });
  const maxEll = Math.max(0, ...ellDims);
  const ellLabels = range(maxEll).map((i) => String.fromCharCode(0x3b1 + i)); // α, β, ... never collide with letters
  const inputs = terms.map((t, i) => t.replace("...", ellLabels.slice(maxEll - ellDims[i]!).join("")));
  let output: string;
  if (rhs === null) {
    const counts = new Map<string, number>();
    for (const t of inputs) for (const c of t) counts.set(c, (counts.get(c) ?? 0) + 1);
    const once = [...counts].filter(([c, n]) => n === 1 && !ellLabels.includes(c)).map(([c]) => c);
    output = ellLabels.join("") + once.sort().join("");
  } else {
    output = rhs.replace("...", ellLabels.join(""));
    const seen = new Set<string>();
    for (const c of output) {
      if (seen.has(c)) throw new TypeError(`[${op}] output subscript '${c}' appears more than once in "${subscripts}"`);
      seen.add(c);
      if (!inputs.some((t) => t.includes(c))) {
        throw new TypeError(`[${op}] output subscript '${c}' of "${subscripts}" does not appear in any input`);
      }
    }
  }
  const sizes = new Map<string, number>();
  inputs.forEach((t, i) => {
    [...t].forEach((c, k) => {
      const d = operands[i]!.shape[k]!;
      const prev = sizes.get(c);
      if (prev === undefined || prev === 1) sizes.set(c, d);
      else if (d !== 1 && d !== prev) {
        const shown = ellLabels.includes(c) ? "..." : `'${c}'`;
        throw new TypeError(
          `[${op}] size of label ${shown} for operand ${i} (${fmt(operands[i]!)}: ${d}) does not match previous terms (${prev})`,
        );
      }
    });
  });
  return { inputs, output, sizes, text: `${terms.join(",")}->${rhs ?? output}` };
}

// ---------------------------------------------------------------------------
// Path search (opt_einsum's paths.py)

type Key = string; // a label set as a sorted string

const keyOf = (labels: Iterable<string>): Key => [...new Set(labels)].sort().join("");
const union = (...ks: Key[]): Key => keyOf(ks.join(""));
const inter = (a: Key, b: Key): Key => keyOf([...a].filter((c) => b.includes(c)));
const minus = (a: Key, b: Key): Key => keyOf([...a].filter((c) => !b.includes(c)));
const sizeOf = (k: Key, sizes: Map<string, number>): number => [...k].reduce((p, c) => p * sizes.get(c)!, 1);

function flopCount(idx: Key, inner: boolean, numTerms: number, sizes: Map<string, number>): number {
  return sizeOf(idx, sizes) * (Math.max(1, numTerms - 1) + (inner ? 1 : 0));
}

/** opt_einsum's ssa_to_linear: SSA ids to positions in the shrinking operand list. */
function ssaToLinear(ssa: number[][]): EinsumPath {
  const n = ssa.reduce((s, c) => s + c.length, 0) - ssa.length + 1;
  const ids = range(n);
  let next = n;
  return ssa.map((scon) => {
    const con = scon.map((s) => lowerBound(ids, s)).sort((a, b) => a - b);
    for (const j of [...con].reverse()) ids.splice(j, 1);
    ids.push(next++);
    return con;
  });
}

function lowerBound(xs: number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A binary min-heap over comparable entries. */
class Heap<T> {
  private items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  push(x: T): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): T {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

const lexLess = (a: number[], b: number[]): boolean => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
};

/** opt_einsum's greedy (ssa_greedy_optimize with the "memory-removed" cost). */
function greedyPath(inputs: Key[], output0: Key, sizes: Map<string, number>): EinsumPath {
  if (inputs.length === 1) return [[0]];
  // A label common to every input cannot be contracted before the last step.
  const output = union(output0, inputs.reduce((a, b) => inter(a, b)));
  const remaining = new Map<Key, number>();
  let nextId = inputs.length;
  const ssa: number[][] = [];
  inputs.forEach((k, id) => {
    if (remaining.has(k)) {
      ssa.push([remaining.get(k)!, id]);
      remaining.set(k, nextId++);
    } else remaining.set(k, id);
  });
  const dimToKeys = new Map<string, Set<Key>>();
  for (const k of remaining.keys()) {
    for (const d of minus(k, output)) {
      if (!dimToKeys.has(d)) dimToKeys.set(d, new Set());
      dimToKeys.get(d)!.add(k);
    }
  }
  const refCounts = new Map<number, Set<string>>([2, 3].map((c) => [c, new Set([...dimToKeys].filter(([d, ks]) => ks.size >= c && !output.includes(d)).map(([d]) => d))]));
  const footprints = new Map<Key, number>([...remaining.keys()].map((k) => [k, sizeOf(k, sizes)]));
  type Cand = { cost: number[]; k1: Key; k2: Key; k12: Key };
  const queue = new Heap<Cand>((a, b) => lexLess(a.cost, b.cost));
  const candidate = (k1: Key, k2: Key): Cand => {
    const either = union(k1, k2);
    const two = inter(k1, k2);
    const one = minus(either, two);
    const k12 = keyOf([
      ...inter(either, output),
      ...[...two].filter((c) => refCounts.get(3)!.has(c)),
      ...[...one].filter((c) => refCounts.get(2)!.has(c)),
    ]);
    const cost = sizeOf(k12, sizes) - footprints.get(k1)! - footprints.get(k2)!;
    let id1 = remaining.get(k1)!;
    let id2 = remaining.get(k2)!;
    if (id1 > id2) {
      [k1, k2] = [k2, k1];
      [id1, id2] = [id2, id1];
    }
    return { cost: [cost, id2, id1], k1, k2, k12 };
  };
  const pushBest = (k1: Key, k2s: Key[]) => {
    let best: Cand | null = null;
    for (const k2 of k2s) {
      const c = candidate(k1, k2);
      if (best === null || lexLess(c.cost, best.cost)) best = c;
    }
    if (best) queue.push(best);
  };
  for (const keys of dimToKeys.values()) {
    const ks = [...keys].sort((a, b) => remaining.get(a)! - remaining.get(b)!);
    for (let i = 0; i < ks.length - 1; i++) pushBest(ks[i]!, ks.slice(i + 1));
  }
  const updateRefCounts = (dims: Key) => {
    for (const d of dims) {
      const n = dimToKeys.get(d)?.size ?? 0;
      if (n <= 1) {
        refCounts.get(2)!.delete(d);
        refCounts.get(3)!.delete(d);
      } else if (n === 2) {
        refCounts.get(2)!.add(d);
        refCounts.get(3)!.delete(d);
      } else {
        refCounts.get(2)!.add(d);
        refCounts.get(3)!.add(d);
      }
    }
  };
  while (queue.size) {
    const { k1, k2, k12 } = queue.pop();
    if (!remaining.has(k1) || !remaining.has(k2)) continue;
    const id1 = remaining.get(k1)!;
    remaining.delete(k1);
    const id2 = remaining.get(k2)!;
    remaining.delete(k2);
    for (const d of minus(k1, output)) dimToKeys.get(d)!.delete(k1);
    for (const d of minus(k2, output)) dimToKeys.get(d)!.delete(k2);
    ssa.push([id1, id2]);
    if (remaining.has(k12)) {
      ssa.push([remaining.get(k12)!, nextId++]);
    } else {
      for (const d of minus(k12, output)) {
        if (!dimToKeys.has(d)) dimToKeys.set(d, new Set());
        dimToKeys.get(d)!.add(k12);
      }
    }
    remaining.set(k12, nextId++);
    updateRefCounts(minus(union(k1, k2), output));
    footprints.set(k12, sizeOf(k12, sizes));
    const k2s = new Set<Key>();
    for (const d of minus(k12, output)) for (const k of dimToKeys.get(d) ?? []) k2s.add(k);
    k2s.delete(k12);
    if (k2s.size) pushBest(k12, [...k2s]);
  }
  // What is left has no label in common: outer products, smallest first.
  type Rest = { cost: number; id: number; key: Key };
  const rest = new Heap<Rest>((a, b) => a.cost < b.cost || (a.cost === b.cost && a.id < b.id));
  for (const [key, id] of remaining) rest.push({ cost: sizeOf(inter(key, output), sizes), id, key });
  let cur = rest.pop();
  while (rest.size) {
    const other = rest.pop();
    ssa.push([Math.min(cur.id, other.id), Math.max(cur.id, other.id)]);
    const k12 = inter(union(cur.key, other.key), output);
    rest.push({ cost: sizeOf(k12, sizes), id: nextId++, key: k12 });
    cur = rest.pop();
  }
  return ssaToLinear(ssa);
}

/** opt_einsum's optimal: depth-first search over pairwise orders, pruned by the best FLOP count so far. */
function optimalPath(inputs0: Key[], output: Key, sizes: Map<string, number>): EinsumPath {
  let bestFlops = Infinity;
  let bestSsa: number[][] = [range(inputs0.length)];
  const cache = new Map<string, [Key, number]>();
  const iterate = (path: number[][], remaining: number[], inputs: Key[], flops: number) => {
    if (remaining.length === 1) {
      bestFlops = flops;
      bestSsa = path;
      return;
    }
    const rem = [...remaining].sort((a, b) => a - b);
    for (let a = 0; a < rem.length; a++) {
      for (let b = a + 1; b < rem.length; b++) {
        const i = rem[a]!;
        const j = rem[b]!;
        const others = rem.filter((r) => r !== i && r !== j);
        const ck = `${inputs[i]}|${inputs[j]}|${others.map((r) => inputs[r]).join(",")}`;
        let hit = cache.get(ck);
        if (!hit) {
          const either = union(inputs[i]!, inputs[j]!);
          const shared = inter(inputs[i]!, inputs[j]!);
          const keep = union(output, ...others.map((r) => inputs[r]!));
          hit = [inter(either, keep), flopCount(either, minus(shared, keep).length > 0, 2, sizes)];
          cache.set(ck, hit);
        }
        const nf = flops + hit[1];
        if (nf >= bestFlops) continue;
        iterate([...path, [i, j]], [...others, inputs.length], [...inputs, hit[0]], nf);
      }
    }
  };
  iterate([], range(inputs0.length), inputs0, 0);
  return ssaToLinear(bestSsa);
}

function choosePath(op: string, parsed: Parsed, optimize: EinsumOptions["optimize"]): EinsumPath {
  const n = parsed.inputs.length;
  const keys = parsed.inputs.map(keyOf);
  const out = keyOf(parsed.output);
  if (optimize === false) return n === 1 ? [[0]] : range(n - 1).map(() => [0, 1]);
  if (JsArray.isArray(optimize)) {
    let count = n;
    for (const step of optimize) {
      if (!JsArray.isArray(step) || step.length === 0 || step.some((i) => !Number.isInteger(i) || i < 0 || i >= count) || new Set(step).size !== step.length) {
        throw new TypeError(`[${op}] invalid contraction path ${JSON.stringify(optimize)} for ${n} operand(s)`);
      }
      if (step.length > 2) {
        throw new TypeError(`[${op}] does not support simultaneous contraction of 3 or more operands (path step ${JSON.stringify(step)})`);
      }
      count = count - step.length + 1;
    }
    if (count !== 1) throw new TypeError(`[${op}] the contraction path ${JSON.stringify(optimize)} does not reduce ${n} operand(s) to one`);
    return optimize.map((s) => [...s]);
  }
  if (n === 1) return [[0]];
  if (n === 2) return [[0, 1]];
  const kind = optimize === undefined || optimize === "auto" ? (n <= 4 ? "optimal" : "greedy") : optimize === true ? "optimal" : optimize;
  if (kind === "greedy") return greedyPath(keys, out, parsed.sizes);
  if (kind === "optimal") return optimalPath(keys, out, parsed.sizes);
  throw new TypeError(`[${op}] optimize must be a boolean, "auto", "greedy", "optimal" or a path, got ${JSON.stringify(optimize)}`);
}

/** opt_einsum's contract_path with einsum_call: the per-step einsum strings. */
function contractions(parsed: Parsed, path: EinsumPath): Contraction[] {
  const inputList = [...parsed.inputs];
  let inputSets = inputList.map(keyOf);
  const outSet = keyOf(parsed.output);
  return path.map((step, cnum) => {
    const inds = [...step].sort((a, b) => b - a);
    const idxContract = union(...inds.map((i) => inputSets[i]!));
    const others = inputSets.filter((_, i) => !inds.includes(i));
    const idxRemain = union(outSet, ...others);
    const newResult = inter(idxRemain, idxContract);
    const removed = minus(idxContract, newResult);
    inputSets = [...others, newResult];
    const tmp = inds.map((i) => inputList.splice(i, 1)[0]!);
    const allIn = tmp.join("");
    const result = cnum === path.length - 1 ? parsed.output : [...newResult].sort((a, b) => allIn.indexOf(a) - allIn.indexOf(b)).join("");
    inputList.push(result);
    return {
      inds,
      removed: new Set(removed),
      einsumStr: `${tmp.join(",")}->${result}`,
      flops: flopCount(idxContract, removed.length > 0, inds.length, parsed.sizes),
    };
  });
}

// ---------------------------------------------------------------------------
// Lowering (JAX's _einsum)

function execute(operandsIn: Array[], steps: Contraction[], opts: ProductOptions): Array {
  let pref: DType;
  let weak: boolean;
  if (opts.preferredElementType !== undefined && opts.preferredElementType !== null) {
    pref = lax.convertElementType(operandsIn[0]!, opts.preferredElementType).dtype;
    weak = false;
  } else {
    ({ dtype: pref, weakType: weak } = resultTypeWithWeak(operandsIn.map((x) => x.aval)));
  }
  const sum = (x: Array, axes: number[]): Array => {
    let y = x;
    if (resultTypeWithWeak([y.aval, { dtype: pref, weakType: false }]).dtype !== y.dtype) y = lax.convertElementType(y, pref);
    return y.dtype.kind === "b" ? lax.reduceOr(y, axes) : lax.reduceSum(y, axes);
  };
  const removeChars = (s: string, chars: Iterable<string>) => {
    const set = new Set(chars);
    return [...s].filter((c) => !set.has(c)).join("");
  };
  const sumUniques = (x: Array, names: string, uniques: string[]): [Array, string] => {
    if (!uniques.length) return [x, names];
    return [sum(x, uniques.map((u) => names.indexOf(u))), removeChars(names, uniques)];
  };
  const count = (s: string) => {
    const m = new Map<string, number>();
    for (const c of s) m.set(c, (m.get(c) ?? 0) + 1);
    return m;
  };
  const sumRepeats = (x0: Array, names0: string, counts: Map<string, number>, keep: string): [Array, string] => {
    let x = x0;
    let names = names0;
    for (const [name, c] of counts) {
      if (c <= 1) continue;
      const axes = [...names].flatMap((n, i) => (n === name ? [i] : []));
      // The diagonal: entries whose indices agree along every repeated axis.
      let eye: Array | null = null;
      for (const ax of axes.slice(1)) {
        const e = lax.eq(lax.broadcastedIota("int32", x.shape, axes[0]!), lax.broadcastedIota("int32", x.shape, ax));
        eye = eye === null ? e : lax.bitwiseAnd(eye, e);
      }
      x = lax.select(eye!, x, lax.broadcastInDim(lax.convertElementType(0, x.dtype), x.shape, []));
      if (!keep.includes(name)) {
        x = sum(x, axes);
        names = removeChars(names, [name]);
      } else {
        x = sum(x, axes.slice(0, -1));
        let dropped = 0;
        names = [...names].filter((n) => !(n === name && dropped++ < c - 1)).join("");
      }
    }
    return [x, names];
  };
  const filterSingletons = (x: Array, names: string, otherShape: number[], otherNames: string): [Array, string] => {
    const keep = [...names].map((n, i) => x.shape[i] !== 1 || !otherNames.includes(n) || otherShape[otherNames.indexOf(n)] === 1);
    const sq = range(x.ndim).filter((i) => !keep[i]);
    return [sq.length ? lax.squeeze(x, sq) : x, [...names].filter((_, i) => keep[i]).join("")];
  };

  const operands = [...operandsIn];
  for (const step of steps) {
    const contracted = [...step.removed].sort();
    const [inputStr, resultNames] = step.einsumStr.split("->") as [string, string];
    const inputNames = inputStr.split(",");
    let out: Array;
    let names: string;
    if (step.inds.length === 1) {
      let x = operands.splice(step.inds[0]!, 1)[0]!;
      names = inputNames[0]!;
      const counts = count(names);
      [x, names] = sumUniques(x, names, contracted.filter((c) => counts.get(c) === 1));
      [out, names] = sumRepeats(x, names, counts, resultNames);
    } else {
      let lhs = operands.splice(step.inds[0]!, 1)[0]!;
      let rhs = operands.splice(step.inds[1]!, 1)[0]!;
      let lhsNames = inputNames[0]!;
      let rhsNames = inputNames[1]!;
      [lhs, lhsNames] = filterSingletons(lhs, lhsNames, rhs.shape, rhsNames);
      [rhs, rhsNames] = filterSingletons(rhs, rhsNames, lhs.shape, lhsNames);
      const lc = count(lhsNames);
      const rc = count(rhsNames);
      [lhs, lhsNames] = sumUniques(lhs, lhsNames, contracted.filter((n) => lc.get(n) === 1 && !rc.has(n)));
      [rhs, rhsNames] = sumUniques(rhs, rhsNames, contracted.filter((n) => rc.get(n) === 1 && !lc.has(n)));
      [lhs, lhsNames] = sumRepeats(lhs, lhsNames, lc, resultNames + rhsNames);
      [rhs, rhsNames] = sumRepeats(rhs, rhsNames, rc, resultNames + lhsNames);
      const contractedNow = contracted.filter((n) => lhsNames.includes(n) || rhsNames.includes(n));
      const batchNames = [...resultNames].filter((n) => lhsNames.includes(n) && rhsNames.includes(n));
      const lhsBatch = batchNames.map((n) => lhsNames.indexOf(n));
      const rhsBatch = batchNames.map((n) => rhsNames.indexOf(n));
      const lhsCont = contractedNow.map((n) => lhsNames.indexOf(n));
      const rhsCont = contractedNow.map((n) => rhsNames.indexOf(n));
      const deleted = batchNames.join("") + contractedNow.join("");
      const remL = removeChars(lhsNames, deleted);
      const remR = removeChars(rhsNames, deleted);
      names = batchNames.join("") + remR + remL;
      const dg = { precision: opts.precision, preferredElementType: pref };
      if (names === resultNames) {
        out = lax.dotGeneral(rhs, lhs, [[rhsCont, lhsCont], [rhsBatch, lhsBatch]], dg);
      } else {
        names = batchNames.join("") + remL + remR;
        out = lax.dotGeneral(lhs, rhs, [[lhsCont, rhsCont], [lhsBatch, rhsBatch]], dg);
      }
    }
    if (names !== resultNames) out = lax.transpose(out, [...resultNames].map((n) => names.indexOf(n)));
    operands.push(out);
  }
  return lax.convertElementType(operands[0]!, pref, weak);
}

/**
 * jnp.einsum(subscripts, ...operands, {optimize, precision, preferredElementType}):
 * Einstein summation ("ij,jk->ik", implicit output "ij,jk", `...` for broadcast
 * dims, repeated labels for diagonals), contracted pairwise along an optimized
 * path, each pair as one dot_general. The interleaved form
 * `einsum(a, [0, 1], b, [1, 2], [0, 2])` is accepted too.
 */
export function einsum(subscripts: string | ArrayInput, ...operands: (ArrayInput | readonly (number | "...")[] | EinsumOptions)[]): Array {
  const { subscripts: s, operands: ops, opts } = splitArgs("einsum", subscripts, operands);
  const parsed = parse("einsum", s, ops);
  const steps = contractions(parsed, choosePath("einsum", parsed, opts.optimize));
  return execute(ops, steps, opts);
}

export type EinsumPathResult = [path: EinsumPath, description: string];

/**
 * jnp.einsum_path: the contraction path einsum would take and a description of
 * it (the naive and optimized FLOP counts and each step's einsum string).
 * Defaults to `optimize: "auto"`; `true` is "optimal", `false` left to right.
 */
export function einsumPath(subscripts: string | ArrayInput, ...operands: (ArrayInput | readonly (number | "...")[] | EinsumOptions)[]): EinsumPathResult {
  const { subscripts: s, operands: ops, opts } = splitArgs("einsum_path", subscripts, operands);
  const parsed = parse("einsum_path", s, ops);
  const path = choosePath("einsum_path", parsed, opts.optimize);
  const steps = contractions(parsed, path);
  const indices = keyOf(parsed.inputs.join(""));
  const inner = parsed.inputs.reduce((a, t) => a + new Set(t).size, 0) - indices.length > 0;
  const naive = flopCount(indices, inner, parsed.inputs.length, parsed.sizes);
  const opt = steps.reduce((a, c) => a + c.flops, 0);
  const lines = [
    `  Complete contraction:  ${parsed.inputs.join(",")}->${parsed.output}`,
    `         Naive FLOP count:  ${naive}`,
    `     Optimized FLOP count:  ${opt}`,
    `      Theoretical speedup:  ${opt ? (naive / opt).toFixed(3) : "inf"}`,
    "  steps (positions, einsum string):",
    ...steps.map((c, i) => `    ${JSON.stringify(path[i])}  ${c.einsumStr}`),
  ];
  return [path, lines.join("\n")];
}
