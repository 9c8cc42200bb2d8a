// Loops: the `while` and `scan` primitives with their rules, and lax.whileLoop,
// lax.foriLoop, lax.scan, lax.map. Params and printing follow JAX 0.10.2
// (loops.py): `while[body_jaxpr body_nconsts cond_jaxpr cond_nconsts]` and
// `scan[jaxpr length num_carry num_consts reverse unroll]`.
import { Array, Tracer, asArray, type ArrayInput } from "../../array.js";
import { Primitive } from "../../core.js";
import { bool, resultTypeWithWeak } from "../../dtypes.js";
import { ClosedJaxpr, Jaxpr, Var } from "../../jaxpr.js";
import { ShapedArray, fmtAval } from "../../shape.js";
import { traceToJaxpr } from "../../staging.js";
import * as tree from "../../tree.js";
import { setJvp, type Tangent } from "../../transforms/jvp.js";
import { partialEvalJaxprNounits, type PartialEvalTrace, type PartialEvalTracer } from "../../transforms/partial_eval.js";
import { backwardPass, isUndef, setTranspose, UndefPrimal, type LinearArg } from "../../transforms/transpose.js";
import { moveaxis, moveBatchAxis, setBatch, type BDim } from "../../transforms/vmap.js";
import { addAny, zerosLike } from "../../transforms/zeros.js";
import { add, convertElementType, lt } from "../elementwise.js";
import { reduceOr } from "../reduction.js";
import { broadcastInDim, concatenate, reshape, slice } from "../structural.js";
import {
  batchJaxpr,
  bcastSelectN,
  dceJaxpr,
  flattenArgs,
  jaxprForwarding,
  jvpJaxpr,
  leafPaths,
  memo,
  mergeLists,
  orLists,
  peJaxpr,
  permuteBinders,
  pruneOutputs,
  runBatched,
  runCompiled,
  runJaxpr,
  splitList,
  traceFlat,
  usedInputs,
  type PeSplit,
  type Traced,
} from "./common.js";

const range = (a: number, b: number) => globalThis.Array.from({ length: Math.max(b - a, 0) }, (_, i) => a + i);
const falses = (n: number) => globalThis.Array<boolean>(n).fill(false);
const count = (xs: readonly boolean[]) => xs.filter((x) => x).length;
const sameList = (a: readonly boolean[], b: readonly boolean[]) => a.every((x, i) => x === b[i]);
const avalsStr = (as: readonly ShapedArray[]) => as.map((a) => a.strShort()).join(" ");
const nonNull = <T>(x: T | null): x is T => x !== null;

// ---------------------------------------------------------------------------
// while

export type WhileParams = {
  cond_jaxpr: ClosedJaxpr;
  cond_nconsts: number;
  body_jaxpr: ClosedJaxpr;
  body_nconsts: number;
};

export const whileP = new Primitive("while", true);
whileP.abstractEval = (avals, { cond_jaxpr, cond_nconsts, body_jaxpr, body_nconsts }: WhileParams) => {
  const [cc, bc, carry] = splitList(avals, [cond_nconsts, body_nconsts]);
  const check = (what: string, expected: readonly ShapedArray[], got: ShapedArray[]) => {
    if (expected.length !== got.length || expected.some((a, i) => !a.sameType(got[i]!))) {
      throw new TypeError(`[while] ${what} takes ${avalsStr(expected)}, called with ${avalsStr(got)}`);
    }
  };
  check("cond_jaxpr", cond_jaxpr.inAvals, [...cc!, ...carry!]);
  check("body_jaxpr", body_jaxpr.inAvals, [...bc!, ...carry!]);
  const p = cond_jaxpr.outAvals;
  if (p.length !== 1 || p[0]!.dtype !== bool || p[0]!.ndim !== 0) {
    throw new TypeError(`[while] cond_jaxpr must return a boolean scalar, got ${avalsStr(p)}`);
  }
  const outs = body_jaxpr.outAvals;
  if (outs.length !== carry!.length || outs.some((a, i) => !a.sameType(carry![i]!))) {
    throw new TypeError(`[while] body_jaxpr returns ${avalsStr(outs)} for a carry of type ${avalsStr(carry!)}`);
  }
  return outs;
};
whileP.impl = (args, params: WhileParams) => {
  whileP.abstractEval(
    args.map((a) => a.aval),
    params,
  );
  const { cond_jaxpr, cond_nconsts, body_jaxpr, body_nconsts } = params;
  const [cc, bc, init] = splitList(args, [cond_nconsts, body_nconsts]);
  let carry = init!;
  while (runCompiled(cond_jaxpr, [...cc!, ...carry])[0]!.dataSync()[0]) carry = runCompiled(body_jaxpr, [...bc!, ...carry]);
  return carry;
};

// --- JVP: carry tangents through the loop; which carries have nonzero
// tangents is a fixed point (a zero tangent can become nonzero in the body).
setJvp(whileP, (primals, tangents, params: WhileParams) => {
  const { cond_jaxpr, cond_nconsts: nCC, body_jaxpr, body_nconsts: nBC } = params;
  const nz = tangents.map((t) => t !== null);
  const [, bcNz, initNz] = splitList(nz, [nCC, nBC]);
  const nK = initNz!.length;
  let carryNz = initNz!;
  let jv = jvpJaxpr(body_jaxpr, [...bcNz!, ...carryNz], carryNz);
  for (let it = 0; it <= nK && !sameList(jv.outNz, carryNz); it++) {
    carryNz = orLists(carryNz, jv.outNz);
    jv = jvpJaxpr(body_jaxpr, [...bcNz!, ...carryNz], carryNz);
  }
  const nBd = count(bcNz!);
  const nKd = count(carryNz);
  // jvp binders are [bconsts, carry, bconst dots, carry dots]; while wants
  // [bconsts, bconst dots] as consts and [carry, carry dots] as the carry.
  const inPerm = [...range(0, nBC), ...range(nBC + nK, nBC + nK + nBd), ...range(nBC, nBC + nK), ...range(nBC + nK + nBd, nBC + nK + nBd + nKd)];
  const body = permuteBinders(jv.jaxpr, inPerm, range(0, nK + nKd));
  const cj = cond_jaxpr.jaxpr;
  const [cc, bc, init] = splitList(primals, [nCC, nBC]);
  const [, bcT, initT] = splitList(tangents, [nCC, nBC]);
  const initDot = carryNz.flatMap((z, i) => (z ? [initT![i] ?? zerosLike(init![i]!.aval)] : []));
  const cond = new ClosedJaxpr(new Jaxpr(cj.constvars, [...cj.invars, ...initDot.map((t) => new Var(t.aval))], cj.eqns, cj.outvars), cond_jaxpr.consts);
  const outs = whileP.bind([...cc!, ...bc!, ...bcT!.filter(nonNull), ...init!, ...initDot], {
    cond_jaxpr: cond,
    cond_nconsts: nCC,
    body_jaxpr: body,
    body_nconsts: nBC + nBd,
  });
  let k = nK;
  return [outs.slice(0, nK), carryNz.map((z) => (z ? outs[k++]! : null))];
});

// --- vmap. With a batched predicate every carry is batched, the loop runs while
// any lane's predicate holds, and finished lanes keep their values (select_n),
// as JAX's lowering of a batched-predicate while does.
setBatch(whileP, (vals, dims, params: WhileParams, axisSize) => {
  const { cond_jaxpr, cond_nconsts: nCC, body_jaxpr, body_nconsts: nBC } = params;
  const toFront = (x: Array, d: BDim) => (d === null ? x : moveaxis(x, d, 0));
  const [cc, bc, init] = splitList(vals, [nCC, nBC]);
  const [ccd, bcd, initd] = splitList(dims, [nCC, nBC]);
  const ccV = cc!.map((x, i) => toFront(x, ccd![i]!));
  const bcV = bc!.map((x, i) => toFront(x, bcd![i]!));
  const ccD = ccd!.map((d) => (d === null ? null : 0));
  const bcD = bcd!.map((d) => (d === null ? null : 0));
  const nK = init!.length;
  let carryB = initd!.map((d) => d !== null);
  const dimsOf = (b: boolean[]) => b.map((x) => (x ? 0 : null));
  let ob = batchJaxpr(body_jaxpr, axisSize, [...bcD, ...dimsOf(carryB)], carryB).outBatched;
  for (let it = 0; it <= nK && !sameList(ob, carryB); it++) {
    carryB = orLists(carryB, ob);
    ob = batchJaxpr(body_jaxpr, axisSize, [...bcD, ...dimsOf(carryB)], carryB).outBatched;
  }
  const predBatched = batchJaxpr(cond_jaxpr, axisSize, [...ccD, ...dimsOf(carryB)], false).outBatched[0]!;
  if (predBatched) {
    const initV = init!.map((x, i) => moveBatchAxis(axisSize, initd![i]!, 0, x));
    const carryD = initV.map(() => 0);
    const { jaxpr: cond } = traceToJaxpr(
      (...a: Array[]) => {
        const [c, k] = splitList(a, [nCC]);
        const pred = runBatched(cond_jaxpr, [...c!, ...k!], [...ccD, ...carryD], axisSize)[0]!;
        return [reduceOr(pred, [0])];
      },
      [...ccV, ...initV].map((x) => x.aval),
    );
    const { jaxpr: body } = traceToJaxpr(
      (...a: Array[]) => {
        const [c, b, k] = splitList(a, [nCC, nBC]);
        const pred = runBatched(cond_jaxpr, [...c!, ...k!], [...ccD, ...carryD], axisSize)[0]!;
        const next = runBatched(body_jaxpr, [...b!, ...k!], [...bcD, ...carryD], axisSize);
        return next.map((n, i) => bcastSelectN(pred, [k![i]!, n]));
      },
      [...ccV, ...bcV, ...initV].map((x) => x.aval),
    );
    const outs = whileP.bind([...ccV, ...ccV, ...bcV, ...initV], {
      cond_jaxpr: cond,
      cond_nconsts: nCC,
      body_jaxpr: body,
      body_nconsts: nCC + nBC,
    });
    return [outs, carryD];
  }
  const carryD = dimsOf(carryB);
  const body = batchJaxpr(body_jaxpr, axisSize, [...bcD, ...carryD], carryB).jaxpr;
  const cond = batchJaxpr(cond_jaxpr, axisSize, [...ccD, ...carryD], false).jaxpr;
  const initV = init!.map((x, i) => (carryB[i] ? moveBatchAxis(axisSize, initd![i]!, 0, x) : x));
  const outs = whileP.bind([...ccV, ...bcV, ...initV], { cond_jaxpr: cond, cond_nconsts: nCC, body_jaxpr: body, body_nconsts: nBC });
  return [outs, carryD];
});

// --- partial evaluation (JAX's _while_partial_eval): when the predicate is
// known, a loop over the known carries computes the known outputs; the unknown
// outputs come from the whole loop, staged (so linearize works, and reverse mode
// reaches the transpose error below).
whileP.rules.set("partialEval", (trace: PartialEvalTrace, tracers: PartialEvalTracer[], params: WhileParams) => {
  const { cond_jaxpr, cond_nconsts: nCC, body_jaxpr, body_nconsts: nBC } = params;
  const stageAll = () => trace.stage(whileP, tracers, params, body_jaxpr.outAvals);
  const uk = tracers.map((t) => !t.pval.isKnown);
  const [ccUk, bcUk, initUk] = splitList(uk, [nCC, nBC]);
  const nK = initUk!.length;
  let carryUk = initUk!;
  let split = peJaxpr(body_jaxpr, [...bcUk!, ...carryUk], carryUk);
  for (let it = 0; it <= nK && !sameList(split.outUk, carryUk); it++) {
    carryUk = orLists(carryUk, split.outUk);
    split = peJaxpr(body_jaxpr, [...bcUk!, ...carryUk], carryUk);
  }
  const condSplit = peJaxpr(cond_jaxpr, [...ccUk!, ...carryUk], false);
  if (condSplit.outUk[0] || carryUk.every((u) => u)) return stageAll();
  const kBody = pruneOutputs(split.known, split.known.outAvals.map((_, i) => i < split.numKnownOuts));
  const kCond = pruneOutputs(condSplit.known, condSplit.known.outAvals.map((_, i) => i === 0));
  const inUk = [...ccUk!, ...bcUk!, ...carryUk];
  const knownVals = tracers.filter((_, i) => !inUk[i]).map((t) => t.pval.known!);
  const kOuts = whileP.bind(knownVals, {
    cond_jaxpr: kCond,
    cond_nconsts: nCC - count(ccUk!),
    body_jaxpr: kBody,
    body_nconsts: nBC - count(bcUk!),
  });
  const staged = stageAll();
  let k = 0;
  return carryUk.map((u, i) => (u ? staged[i]! : (trace.pure(kOuts[k++]!) as PartialEvalTracer)));
});

setTranspose(whileP, () => {
  throw new Error(
    "Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop with dynamic start/stop values. " +
      "Try using lax.scan, or using fori_loop with static start/stop.",
  );
});

// ---------------------------------------------------------------------------
// scan

export type ScanParams = {
  /** Body: [consts..., carry..., x slices...] → [carry..., y slices...]. */
  jaxpr: ClosedJaxpr;
  length: number;
  reverse: boolean;
  num_consts: number;
  num_carry: number;
  unroll: number;
};

const stackedAval = (a: ShapedArray, n: number) => a.withShape([n, ...a.shape]);
const sliceAval = (a: ShapedArray) => a.withShape(a.shape.slice(1));

export const scanP = new Primitive("scan", true);
scanP.abstractEval = (avals, { jaxpr, length, num_consts: nC, num_carry: nK }: ScanParams) => {
  const ins = jaxpr.inAvals;
  if (!Number.isInteger(length) || length < 0) throw new TypeError(`[scan] length must be a non-negative integer, got ${length}`);
  if (avals.length !== ins.length) {
    throw new TypeError(`[scan] the body Jaxpr takes ${ins.length} inputs, called with ${avals.length}`);
  }
  avals.forEach((a, i) => {
    if (i < nC + nK) {
      if (!a.sameType(ins[i]!)) throw new TypeError(`[scan] body input ${i} has type ${ins[i]!.strShort()}, called with ${a.strShort()}`);
    } else if (a.ndim === 0 || a.shape[0] !== length || !sliceAval(a).sameType(ins[i]!)) {
      throw new TypeError(
        `[scan] scanned input ${i - nC - nK} must have type ${stackedAval(ins[i]!, length).strShort()}, got ${a.strShort()}`,
      );
    }
  });
  const outs = jaxpr.outAvals;
  for (let k = 0; k < nK; k++) {
    if (!outs[k]!.sameType(ins[nC + k]!)) {
      throw new TypeError(`[scan] body function carry output has type ${outs[k]!.strShort()} but input carry has type ${ins[nC + k]!.strShort()}`);
    }
  }
  return [...outs.slice(0, nK), ...outs.slice(nK).map((a) => stackedAval(a, length))];
};
scanP.impl = (args, params: ScanParams) => {
  scanP.abstractEval(
    args.map((a) => a.aval),
    params,
  );
  const { jaxpr, length, reverse, num_consts: nC, num_carry: nK } = params;
  const [consts, init, xs] = splitList(args, [nC, nK]);
  let carry = init!;
  const ys: Array[][] = [];
  for (let t = 0; t < length; t++) {
    const i = reverse ? length - 1 - t : t;
    const x = xs!.map((a) => {
      const s = slice(a, [i, ...a.aval.shape.slice(1).map(() => 0)], [i + 1, ...a.aval.shape.slice(1)]);
      return reshape(s, a.aval.shape.slice(1));
    });
    const out = runCompiled(jaxpr, [...consts!, ...carry, ...x]);
    carry = out.slice(0, nK);
    ys[i] = out.slice(nK);
  }
  const yAvals = jaxpr.outAvals.slice(nK);
  const stacked = yAvals.map((a, k) => {
    if (length === 0) return broadcastInDim(zerosLike(new ShapedArray([], a.dtype, a.weakType)), [0, ...a.shape], []);
    return concatenate(
      ys.map((y) => reshape(y[k]!, [1, ...a.shape])),
      0,
    );
  });
  return [...carry, ...stacked];
};

// --- JVP: carry tangents whose nonzero pattern is a fixed point.
setJvp(scanP, (primals, tangents, params: ScanParams) => {
  const { jaxpr, num_consts: nC, num_carry: nK } = params;
  const nX = primals.length - nC - nK;
  const nY = jaxpr.outAvals.length - nK;
  const nz = tangents.map((t) => t !== null);
  const [constNz, initNz, xsNz] = splitList(nz, [nC, nK]);
  let carryNz = initNz!;
  const inst = () => [...carryNz, ...falses(nY)];
  let jv = jvpJaxpr(jaxpr, [...constNz!, ...carryNz, ...xsNz!], inst());
  for (let it = 0; it <= nK && !sameList(jv.outNz.slice(0, nK), carryNz); it++) {
    carryNz = orLists(carryNz, jv.outNz.slice(0, nK));
    jv = jvpJaxpr(jaxpr, [...constNz!, ...carryNz, ...xsNz!], inst());
  }
  const nCd = count(constNz!);
  const nKd = count(carryNz);
  const nXd = count(xsNz!);
  const nYd = count(jv.outNz.slice(nK));
  const n = nC + nK + nX;
  const m = nK + nY;
  // jvp binders: [consts, carry, xs, const dots, carry dots, x dots] → [carry, ys, carry dots, y dots].
  const inPerm = [
    ...range(0, nC),
    ...range(n, n + nCd),
    ...range(nC, nC + nK),
    ...range(n + nCd, n + nCd + nKd),
    ...range(nC + nK, n),
    ...range(n + nCd + nKd, n + nCd + nKd + nXd),
  ];
  const outPerm = [...range(0, nK), ...range(m, m + nKd), ...range(nK, m), ...range(m + nKd, m + nKd + nYd)];
  const body = permuteBinders(jv.jaxpr, inPerm, outPerm);
  const [consts, init, xs] = splitList(primals, [nC, nK]);
  const [cT, iT, xT] = splitList(tangents, [nC, nK]);
  const initDot = carryNz.flatMap((z, i) => (z ? [iT![i] ?? zerosLike(init![i]!.aval)] : []));
  const outs = scanP.bind([...consts!, ...cT!.filter(nonNull), ...init!, ...initDot, ...xs!, ...xT!.filter(nonNull)], {
    ...params,
    jaxpr: body,
    num_consts: nC + nCd,
    num_carry: nK + nKd,
  });
  const [carry, carryDot, ys, ysDot] = splitList(outs, [nK, nKd, nY]);
  const outNz = [...carryNz, ...jv.outNz.slice(nK)];
  const dots = [...carryDot!, ...ysDot!];
  let k = 0;
  return [[...carry!, ...ys!], outNz.map((z) => (z ? dots[k++]! : null))];
});

// --- partial evaluation (JAX's _scan_partial_eval): a known scan computes the
// known outputs and the residuals the unknown part needs, stacked per iteration;
// the unknown scan consumes them as scanned inputs. Residuals that are just
// known consts (or known scanned inputs) are passed through instead of stacked.
scanP.rules.set("partialEval", (trace: PartialEvalTrace, tracers: PartialEvalTracer[], params: ScanParams) => {
  const { jaxpr, length, reverse, unroll, num_consts: nC, num_carry: nK } = params;
  const nY = jaxpr.outAvals.length - nK;
  const uk = tracers.map((t) => !t.pval.isKnown);
  const [constUk, initUk, xsUk] = splitList(uk, [nC, nK]);
  let carryUk = initUk!;
  const pe = (): PeSplit => peJaxpr(jaxpr, [...constUk!, ...carryUk, ...xsUk!], [...carryUk, ...falses(nY)]);
  let split = pe();
  for (let it = 0; it <= nK && !sameList(split.outUk.slice(0, nK), carryUk); it++) {
    carryUk = orLists(carryUk, split.outUk.slice(0, nK));
    split = pe();
  }
  const inUk = [...constUk!, ...carryUk, ...xsUk!];
  const known = tracers.filter((_, i) => !inUk[i]).map((t) => t.pval.known!);
  const nKC = nC - count(constUk!);
  const nKK = nK - count(carryUk);
  const [kConsts, kInit, kXs] = splitList(known, [nKC, nKK]);
  // Residuals: forwarded known consts are intensive; forwarded known xs and
  // computed residuals are extensive (stacked by the known scan), except those
  // computed from known consts alone, which are hoisted out of the loop
  // (JAX's _scan_known_hoisting) and passed as consts.
  const made = memo(jaxpr, `scanpe:${inUk.map(Number).join("")}`, () => {
    const kind = split.resFwd.map((f): "const" | "xs" | "stacked" =>
      f === null || (f >= nKC && f < nKC + nKK) ? "stacked" : f < nKC ? "const" : "xs",
    );
    const stackedIdx = range(0, kind.length).filter((r) => kind[r] === "stacked");
    const kj = split.known.jaxpr;
    const nKO = split.numKnownOuts;
    const knownBody = new ClosedJaxpr(
      new Jaxpr(kj.constvars, kj.invars, kj.eqns, [...kj.outvars.slice(0, nKO), ...stackedIdx.map((r) => kj.outvars[nKO + r]!)]),
      split.known.consts,
    );
    const nLoopIn = knownBody.inAvals.length - nKC;
    const h = partialEvalJaxprNounits(
      knownBody,
      [...falses(nKC), ...globalThis.Array<boolean>(nLoopIn).fill(true)],
      [...globalThis.Array<boolean>(nKO).fill(true), ...falses(stackedIdx.length)],
    );
    const hoist = h.outUk.slice(nKO).map((u) => !u);
    if (!hoist.some((x) => x)) return { kind, stackedIdx, nKO, loopBody: knownBody, hoistJaxpr: null, hoist };
    return { kind, stackedIdx, nKO, loopBody: h.unknown, hoistJaxpr: h.known, hoist };
  });
  const { stackedIdx, nKO, loopBody, hoistJaxpr, hoist } = made;
  const kind = [...made.kind];
  let loopConsts = kConsts!;
  let hoisted: Array[] = [];
  if (hoistJaxpr) {
    const hv = runJaxpr(hoistJaxpr, kConsts!);
    const nH = count(hoist);
    hoisted = hv.slice(0, nH);
    loopConsts = hv.slice(nH);
    stackedIdx.forEach((r, k) => hoist[k] && (kind[r] = "const"));
  }
  const kOuts =
    loopBody.outAvals.length > 0
      ? scanP.bind([...loopConsts, ...kInit!, ...kXs!], {
          jaxpr: loopBody,
          length,
          reverse,
          num_consts: loopConsts.length,
          num_carry: nKK,
          unroll,
        })
      : [];
  const outUk = split.outUk;
  let staged: PartialEvalTracer[] = [];
  if (outUk.some((u) => u)) {
    const stackedVal = new Map<number, Array>();
    let s = 0;
    let hk = 0;
    stackedIdx.forEach((r, k) => stackedVal.set(r, hoist[k] ? hoisted[hk++]! : kOuts[nKO + s++]!));
    const resVals = split.resFwd.map((f, r) => stackedVal.get(r) ?? (kind[r] === "const" ? kConsts![f!]! : kXs![f! - nKC - nKK]!));
    const intRes = range(0, kind.length).filter((r) => kind[r] === "const");
    const extRes = range(0, kind.length).filter((r) => kind[r] !== "const");
    const nRes = kind.length;
    const nUkIn = split.unknown.inAvals.length - nRes;
    const unknownBody = permuteBinders(
      split.unknown,
      [...intRes, ...range(nRes, nRes + nUkIn), ...extRes],
      range(0, split.unknown.outAvals.length),
    );
    const nUK = count(carryUk);
    const outAvals = unknownBody.outAvals.map((a, i) => (i < nUK ? a : stackedAval(a, length)));
    const pure = (x: Array) => trace.pure(x) as PartialEvalTracer;
    staged = trace.stage(
      scanP,
      [...intRes.map((r) => pure(resVals[r]!)), ...tracers.filter((_, i) => inUk[i]), ...extRes.map((r) => pure(resVals[r]!))],
      { jaxpr: unknownBody, length, reverse, num_consts: intRes.length + count(constUk!), num_carry: nUK, unroll },
      outAvals,
    );
  }
  return mergeLists(
    outUk,
    kOuts.slice(0, nKO).map((o) => trace.pure(o) as PartialEvalTracer),
    staged,
  );
});

// --- transpose (JAX's _scan_transpose): a scan in the opposite direction over
// the transposed body. Non-linear consts and scanned inputs (residuals) are
// read; cotangents of linear consts accumulate in the carry, the carry's
// cotangent flows backwards, and scanned inputs' cotangents are stacked.
setTranspose(scanP, (cts, args, params: ScanParams) => {
  const { jaxpr, length, reverse, unroll, num_consts: nC, num_carry: nK } = params;
  const [consts, carry, xs] = splitList(args, [nC, nK]);
  const constU = consts!.map((c) => isUndef(c));
  const xsU = xs!.map((x) => isUndef(x));
  const ins = jaxpr.inAvals;
  const carryAvals = ins.slice(nC, nC + nK);
  const xAvals = ins.slice(nC + nK);
  const yAvals = jaxpr.outAvals.slice(nK);
  const ctCarry = cts.slice(0, nK).map((c, i) => c ?? zerosLike(carryAvals[i]!));
  const ctYs = cts.slice(nK);
  const ysNz = ctYs.map((c) => c !== null);
  const ires = consts!.filter((c): c is Array => !isUndef(c));
  const eres = xs!.filter((x): x is Array => !isUndef(x));
  const ctConsts0 = consts!.filter((c) => isUndef(c)).map((c) => zerosLike((c as UndefPrimal).aval));
  const nA = ctConsts0.length;
  const body = memo(jaxpr, `scanT:${constU.map(Number).join("")}:${xsU.map(Number).join("")}:${ysNz.map(Number).join("")}`, () => {
    const avals = [
      ...ins.filter((_, i) => i < nC && !constU[i]),
      ...ins.filter((_, i) => i < nC && constU[i]),
      ...carryAvals,
      ...yAvals.filter((_, k) => ysNz[k]),
      ...xAvals.filter((_, k) => !xsU[k]),
    ];
    return traceToJaxpr((...a: Array[]) => {
      const [iresV, accV, ctcV, ctyV, eresV] = splitList(a, [ires.length, nA, nK, count(ysNz)]);
      let ir = 0;
      let er = 0;
      const linArgs: LinearArg[] = [
        ...constU.map((u, i) => (u ? new UndefPrimal(ins[i]!) : iresV![ir++]!)),
        ...carryAvals.map((av) => new UndefPrimal(av)),
        ...xsU.map((u, k) => (u ? new UndefPrimal(xAvals[k]!) : eresV![er++]!)),
      ];
      let yk = 0;
      const ctsIn: Tangent[] = [...ctcV!, ...ysNz.map((z) => (z ? ctyV![yk++]! : null))];
      const res = backwardPass(jaxpr.jaxpr, jaxpr.consts, linArgs, ctsIn);
      const [rc, rk, rx] = splitList(res, [nC, nK]);
      let ai = 0;
      const acc = rc!.flatMap((r, i) => {
        if (!constU[i]) return [];
        const prev = accV![ai++]!;
        return [r === null ? prev : addAny(prev, r)];
      });
      const ctc = rk!.map((r, i) => r ?? zerosLike(carryAvals[i]!));
      const ctx = rx!.flatMap((r, k) => (xsU[k] ? [r ?? zerosLike(xAvals[k]!)] : []));
      return [...acc, ...ctc, ...ctx];
    }, avals).jaxpr;
  });
  const outs = scanP.bind([...ires, ...ctConsts0, ...ctCarry, ...(ctYs.filter(nonNull) as Array[]), ...eres], {
    jaxpr: body,
    length,
    reverse: !reverse,
    num_consts: ires.length,
    num_carry: nA + nK,
    unroll,
  });
  const [ctC, ctK, ctX] = splitList(outs, [nA, nK]);
  let c = 0;
  let x = 0;
  return [
    ...constU.map((u) => (u ? ctC![c++]! : null)),
    ...carry!.map((a, i) => (isUndef(a) ? ctK![i]! : null)),
    ...xsU.map((u) => (u ? ctX![x++]! : null)),
  ];
});

// --- vmap: batched consts and xs; which carries are batched is a fixed point.
// Scanned inputs and outputs carry the batch axis at 1 (0 is the scan axis).
setBatch(scanP, (vals, dims, params: ScanParams, axisSize) => {
  const { jaxpr, num_consts: nC, num_carry: nK } = params;
  const nY = jaxpr.outAvals.length - nK;
  const [constB, initB, xsB] = splitList(
    dims.map((d) => d !== null),
    [nC, nK],
  );
  const dimsOf = (b: boolean[]) => b.map((x) => (x ? 0 : null));
  let carryB = initB!;
  const batch = () => batchJaxpr(jaxpr, axisSize, [...dimsOf(constB!), ...dimsOf(carryB), ...dimsOf(xsB!)], [...carryB, ...falses(nY)]);
  let bj = batch();
  for (let it = 0; it <= nK && !sameList(bj.outBatched.slice(0, nK), carryB); it++) {
    carryB = orLists(carryB, bj.outBatched.slice(0, nK));
    bj = batch();
  }
  const [consts, init, xs] = splitList(vals, [nC, nK]);
  const [cd, id, xd] = splitList(dims, [nC, nK]);
  const newConsts = consts!.map((x, i) => (cd![i] === null ? x : moveaxis(x, cd![i]!, 0)));
  const newInit = init!.map((x, i) => (carryB[i] ? moveBatchAxis(axisSize, id![i]!, 0, x) : x));
  const newXs = xs!.map((x, i) => (xd![i] === null ? x : moveaxis(x, xd![i]!, 1)));
  const outs = scanP.bind([...newConsts, ...newInit, ...newXs], { ...params, jaxpr: bj.jaxpr });
  return [outs, [...dimsOf(carryB), ...bj.outBatched.slice(nK).map((b) => (b ? 1 : null))]];
});

// ---------------------------------------------------------------------------
// Carry checks shared by scan and while_loop

function checkCarry(
  api: string,
  inTree: tree.PyTreeDef,
  outTree: tree.PyTreeDef,
  ins: ShapedArray[],
  outs: ShapedArray[],
  structureOnly = false,
): void {
  if (!inTree.equals(outTree) || ins.length !== outs.length) {
    throw new TypeError(
      `[${api}] body function carry input and carry output must have the same pytree structure, but they differ: ` +
        `the input carry is ${inTree} but the carry output is ${outTree}. ` +
        `Revise the function so that the carry output has the same pytree structure as the carry input.`,
    );
  }
  if (structureOnly) return;
  const paths = leafPaths(inTree);
  const diffs = ins.flatMap((a, i) => {
    if (a.sameType(outs[i]!)) return [];
    const at = paths[i] ? ` at path ${paths[i]}` : "";
    return [`body function carry output${at} has type ${outs[i]!.strShort()} but input carry${at} has type ${a.strShort()}`];
  });
  if (diffs.length) {
    throw new TypeError(
      `[${api}] ${diffs.join("; ")}. Revise the function so that all output types match the corresponding input types.`,
    );
  }
}

/**
 * Weakly typed initial carries (JS numbers) take the body output's dtype, as
 * JAX's _promote_weak_typed_input; returns whether anything changed.
 */
function promoteWeak(vals: Array[], ins: ShapedArray[], outs: ShapedArray[]): [Array[], boolean] {
  let changed = false;
  const res = vals.map((v, i) => {
    const a = ins[i]!;
    const o = outs[i];
    if (!o || !a.weakType || a.sameType(o) || a.ndim !== o.ndim || a.shape.some((d, k) => d !== o.shape[k])) return v;
    changed = true;
    return convertElementType(v, resultTypeWithWeak([a, o]).dtype);
  });
  return [res, changed];
}

function callable(f: unknown, msg: string): void {
  if (typeof f !== "function") throw new TypeError(msg);
}

// ---------------------------------------------------------------------------
// lax.whileLoop

/**
 * lax.while_loop(condFun, bodyFun, initVal): `while (condFun(val)) val = bodyFun(val)`.
 * The carry is a PyTree of fixed types. Not reverse-mode differentiable.
 */
export function whileLoop<T>(condFun: (val: T) => ArrayInput, bodyFun: (val: T) => T, initVal: T): T {
  if (typeof condFun !== "function" || typeof bodyFun !== "function") {
    throw new TypeError("[while_loop] bodyFun and condFun arguments should be callable");
  }
  let [init, inTree] = flattenArgs("while_loop", "initVal", initVal);
  const create = (avals: ShapedArray[]) => {
    const c = traceFlat((...xs) => condFun(tree.unflatten(inTree, xs)), avals);
    const p = c.jaxpr.outAvals;
    if (!tree.treedefIsLeaf(c.outTree) || p.length !== 1) {
      throw new TypeError(`[while_loop] condFun must return a boolean scalar, but got pytree ${c.outTree}`);
    }
    if (p[0]!.dtype !== bool || p[0]!.ndim !== 0) {
      throw new TypeError(`[while_loop] condFun must return a boolean scalar, but got output type(s) ${avalsStr(p)}`);
    }
    const b = traceFlat((...xs) => bodyFun(tree.unflatten(inTree, xs)), avals);
    return { c, b };
  };
  let avals = init.map((x) => x.aval);
  let { c, b } = create(avals);
  checkCarry("while_loop", inTree, b.outTree, avals, b.jaxpr.outAvals, true);
  const [promoted, changed] = promoteWeak(init, avals, b.jaxpr.outAvals);
  if (changed) {
    init = promoted;
    avals = init.map((x) => x.aval);
    ({ c, b } = create(avals));
  }
  checkCarry("while_loop", inTree, b.outTree, avals, b.jaxpr.outAvals);

  // A carry the body returns unchanged and the predicate does not read is a
  // loop constant: it becomes a body const (JAX's move_to_const).
  let condJ = c.jaxpr;
  let bodyJ = b.jaxpr;
  let bconsts = b.consts;
  const nCC = c.consts.length;
  const nBC = b.consts.length;
  const fwd = jaxprForwarding(bodyJ.jaxpr);
  const condUsed = usedInputs(condJ.jaxpr);
  const move = init.map((_, i) => fwd[i] === nBC + i && !condUsed[nCC + i]);
  let loopInit = init;
  if (move.some((m) => m)) {
    const d = dceJaxpr(condJ.jaxpr);
    condJ = new ClosedJaxpr(new Jaxpr([], d.invars.filter((_, i) => i < nCC || !move[i - nCC]), d.eqns, d.outvars), []);
    bodyJ = pruneOutputs(bodyJ, move.map((m) => !m));
    const movedIdx = range(0, init.length).filter((i) => move[i]);
    const keptIdx = range(0, init.length).filter((i) => !move[i]);
    bodyJ = permuteBinders(bodyJ, [...movedIdx.map((i) => nBC + i), ...range(0, nBC), ...keptIdx.map((i) => nBC + i)], range(0, keptIdx.length));
    bconsts = [...movedIdx.map((i) => init[i]!), ...bconsts];
    loopInit = keptIdx.map((i) => init[i]!);
  }
  const outs = whileP.bind([...c.consts, ...bconsts, ...loopInit], {
    cond_jaxpr: condJ,
    cond_nconsts: nCC,
    body_jaxpr: bodyJ,
    body_nconsts: bconsts.length,
  });
  const full = mergeLists(
    move,
    outs,
    init.filter((_, i) => move[i]),
  );
  return tree.unflatten(inTree, full);
}

// ---------------------------------------------------------------------------
// lax.scan and lax.map

export interface ScanOptions {
  /** Number of iterations; required when xs has no leaves. */
  length?: number;
  /** Iterate from the end (xs and ys both reversed). */
  reverse?: boolean;
  /** Iterations per rolled loop step (true: all, false: 1). */
  unroll?: number | boolean;
}

function inferLength(xs: Array[], length: number | undefined): number {
  for (const x of xs) {
    if (x.ndim === 0) throw new TypeError(`[scan] got value with no leading axis to scan over: ${fmtAval(x.aval)}`);
  }
  const lengths = xs.map((x) => x.aval.shape[0]!);
  if (length !== undefined && length !== null) {
    if (typeof length !== "number" || !Number.isInteger(length) || length < 0) {
      throw new TypeError(`[scan] the \`length\` argument expects a non-negative integer, got ${String(length)}`);
    }
    if (lengths.some((l) => l !== length)) {
      throw new TypeError(`[scan] got \`length\` argument of ${length} which disagrees with leading axis sizes [${lengths.join(", ")}]`);
    }
    return length;
  }
  const unique = new Set(lengths);
  if (unique.size > 1) throw new TypeError(`[scan] got values with different leading axis sizes: ${lengths.join(", ")}`);
  if (unique.size === 0) throw new TypeError("[scan] got no values to scan over and `length` not provided");
  return lengths[0]!;
}

/**
 * lax.scan(f, init, xs, {length, reverse, unroll}) → [carry, ys]: `f(carry, x)`
 * returns `[carry, y]`; ys stacks the y's along a new leading axis. init, xs and
 * the outputs are PyTrees; xs may be null (with `length`).
 */
export function scan<C = any, Y = any>(
  f: (carry: any, x: any) => readonly [unknown, unknown],
  init: C,
  xs: unknown = null,
  opts: ScanOptions = {},
): [C, Y] {
  callable(f, "[scan] f argument should be a callable");
  let [initFlat, initTree] = flattenArgs("scan", "init", init);
  const [xsFlat, xsTree] = flattenArgs("scan", "xs", xs ?? null);
  const length = inferLength(xsFlat, opts.length);
  const xAvals = xsFlat.map((x) => sliceAval(x.aval));
  const nK0 = initFlat.length;
  const create = (carryAvals: ShapedArray[]) => {
    let carryTree: tree.PyTreeDef | null = null;
    let yTree: tree.PyTreeDef | null = null;
    let nCarryOut = 0;
    const t: Traced = traceFlat(
      (...flat) => {
        const out = f(tree.unflatten(initTree, flat.slice(0, nK0)) as C, tree.unflatten(xsTree, flat.slice(nK0)));
        if (!globalThis.Array.isArray(out) || out.length !== 2) {
          throw new TypeError(`[scan] body output must be a pair [carry, y], got ${tree.structure(out)}`);
        }
        const [cl, ct] = tree.flatten(out[0]);
        const [yl, yt] = tree.flatten(out[1]);
        carryTree = ct;
        yTree = yt;
        nCarryOut = cl.length;
        return [...cl, ...yl];
      },
      [...carryAvals, ...xAvals],
    );
    return { t, carryTree: carryTree!, yTree: yTree!, nCarryOut };
  };
  let carryAvals = initFlat.map((x) => x.aval);
  let r = create(carryAvals);
  const outAvalsOf = (rr: typeof r) => rr.t.jaxpr.outAvals.slice(0, rr.nCarryOut);
  checkCarry("scan", initTree, r.carryTree, carryAvals, outAvalsOf(r), true);
  const [promoted, changed] = promoteWeak(initFlat, carryAvals, outAvalsOf(r));
  if (changed) {
    initFlat = promoted;
    carryAvals = initFlat.map((x) => x.aval);
    r = create(carryAvals);
  }
  checkCarry("scan", initTree, r.carryTree, carryAvals, outAvalsOf(r));

  let unroll: number;
  if (opts.unroll === undefined || opts.unroll === false) unroll = 1;
  else if (opts.unroll === true) unroll = Math.max(length, 1);
  else if (!Number.isInteger(opts.unroll) || opts.unroll < 0) {
    throw new TypeError(`[scan] \`unroll\` must be a boolean or a non-negative integer, got ${String(opts.unroll)}`);
  } else unroll = opts.unroll;

  let body = r.t.jaxpr;
  let consts = r.t.consts;
  let nC = consts.length;
  let nK = nK0;
  const nY = body.outAvals.length - nK;
  // A carry the body forwards unchanged is read-only: it becomes a const.
  const carryFwd = jaxprForwarding(body.jaxpr).slice(0, nK);
  const move = carryFwd.map((f, i) => f === nC + i);
  let loopInit = initFlat;
  if (move.some((m) => m)) {
    const movedIdx = range(0, nK).filter((i) => move[i]);
    const keptIdx = range(0, nK).filter((i) => !move[i]);
    body = pruneOutputs(body, [...move.map((m) => !m), ...globalThis.Array<boolean>(nY).fill(true)]);
    const nXs = xsFlat.length;
    body = permuteBinders(
      body,
      [...movedIdx.map((i) => nC + i), ...range(0, nC), ...keptIdx.map((i) => nC + i), ...range(nC + nK, nC + nK + nXs)],
      range(0, body.outAvals.length),
    );
    consts = [...movedIdx.map((i) => initFlat[i]!), ...consts];
    loopInit = keptIdx.map((i) => initFlat[i]!);
    nC = consts.length;
    nK = keptIdx.length;
  }
  // A y that is just an x is that x: no need to copy it through the loop.
  const yFwd = jaxprForwarding(body.jaxpr)
    .slice(nK)
    .map((f) => (f !== null && f >= nC + nK ? f - nC - nK : null));
  body = pruneOutputs(body, [...globalThis.Array<boolean>(nK).fill(true), ...yFwd.map((f) => f === null)]);
  const outs = scanP.bind([...consts, ...loopInit, ...xsFlat], {
    jaxpr: body,
    length,
    reverse: !!opts.reverse,
    num_consts: nC,
    num_carry: nK,
    unroll,
  });
  const carryOut = mergeLists(
    move,
    outs.slice(0, nK),
    initFlat.filter((_, i) => move[i]),
  );
  let k = nK;
  const ys = yFwd.map((f) => (f === null ? outs[k++]! : xsFlat[f]!));
  return [tree.unflatten(initTree, carryOut) as C, tree.unflatten(r.yTree, ys) as Y];
}

/** lax.map(f, xs): stack `f(x)` over the leading axis of xs (a scan with no carry). */
export function map<Y = any>(f: (x: any) => Y, xs: unknown): Y {
  callable(f, "[map] f argument should be a callable");
  return scan((c: [], x) => [c, f(x)], [] as [], xs)[1] as Y;
}

// ---------------------------------------------------------------------------
// lax.foriLoop

function isStatic(x: ArrayInput): boolean {
  return typeof x === "number" || (x instanceof Array && !(x instanceof Tracer));
}

/**
 * lax.fori_loop(lower, upper, bodyFun, initVal): `for (i = lower; i < upper; i++)
 * val = bodyFun(i, val)`. With static bounds (JS numbers or concrete Arrays) it
 * is a scan (reverse-mode differentiable); otherwise a while loop.
 */
export function foriLoop<T>(
  lower: ArrayInput,
  upper: ArrayInput,
  bodyFun: (i: Array, val: T) => T,
  initVal: T,
  opts: { unroll?: number | boolean } = {},
): T {
  callable(bodyFun, "[fori_loop] bodyFun argument should be callable");
  const lo = asArray(lower);
  const hi = asArray(upper);
  let dt = lo.dtype;
  if (lo.dtype !== hi.dtype) {
    const intKind = (d: typeof dt) => d.kind === "i";
    if (intKind(lo.dtype) && intKind(hi.dtype) && lo.weakType !== hi.weakType) dt = lo.weakType ? hi.dtype : lo.dtype;
    else {
      throw new TypeError(`[fori_loop] lower and upper arguments must have equal types, got ${lo.dtype.name} and ${hi.dtype.name}`);
    }
  }
  if (isStatic(lower) && isStatic(upper)) {
    if (lo.ndim !== 0 || hi.ndim !== 0 || lo.dtype.kind === "f" || hi.dtype.kind === "f") {
      throw new TypeError(`[fori_loop] lower and upper must be integer scalars, got ${fmtAval(lo.aval)} and ${fmtAval(hi.aval)}`);
    }
    const l = Number(lo.item());
    const u = Number(hi.item());
    const [[, result]] = scan(
      ([i, x]: [Array, T]) => [[add(i, 1), bodyFun(i, x)], null] as [[Array, T], null],
      [l, initVal] as unknown as [Array, T],
      null,
      { length: Math.max(u - l, 0), unroll: opts.unroll ?? false },
    );
    return result;
  }
  if (opts.unroll !== undefined && opts.unroll !== false && opts.unroll !== 1) {
    throw new TypeError("[fori_loop] can only use `unroll` if the loop bounds are statically known");
  }
  const l = lo.dtype === dt ? lower : convertElementType(lo, dt);
  const u = hi.dtype === dt ? upper : convertElementType(hi, dt);
  const [, , result] = whileLoop(
    ([i, hiV]: [Array, Array, T]) => lt(i, hiV),
    ([i, hiV, x]: [Array, Array, T]) => [add(i, 1), hiV, bodyFun(i, x)] as [Array, Array, T],
    [l, u, initVal] as unknown as [Array, Array, T],
  );
  return result;
}
