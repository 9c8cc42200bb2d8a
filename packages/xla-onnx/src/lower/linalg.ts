// dot_general with arbitrary dimension numbers: transpose both operands to
// [batch, free, contract] / [batch, contract, free], reshape to 3-D (2-D without
// batch dims), one MatMul, reshape to lax's [batch, lhs free, rhs free].
import { lax } from "@jaxts/core";
import { registerLowering1 } from "./table.js";
import { T, cast, computeType, dt, isFloat, reshape, size } from "./util.js";
import { convert } from "./elementwise.js";
import { transpose } from "./structural.js";

registerLowering1(lax.dotGeneralP, ({ g }, [x, y], e) => {
  const [[lc, rc], [lb, rb]] = e.params.dimension_numbers as [[number[], number[]], [number[], number[]]];
  const [xa, ya] = e.inAvals as [any, any];
  const out = e.outAvals[0]!;
  const tOut = dt(out);
  const tx = dt(xa);
  const ty = dt(ya);
  const lf = xa.shape.map((_: number, i: number) => i).filter((i: number) => !lc.includes(i) && !lb.includes(i));
  const rf = ya.shape.map((_: number, i: number) => i).filter((i: number) => !rc.includes(i) && !rb.includes(i));
  const B = size(lb.map((d) => xa.shape[d]));
  const M = size(lf.map((d: number) => xa.shape[d]));
  const K = size(lc.map((d) => xa.shape[d]));
  const N = size(rf.map((d: number) => ya.shape[d]));
  // Compute in the output type (preferred_element_type), widened where MatMul
  // lacks a kernel; float inputs with an integer/bool result compute in float
  // and convert (as JAX does).
  const floatIn = isFloat(tx);
  const work = floatIn && !isFloat(tOut) ? tx : tOut === T.bool ? T.i32 : tOut;
  const c = computeType("MatMul", work)!;
  let a = cast(g, x!, tx, c);
  let b = cast(g, y!, ty, c);
  a = transpose(g, a, [...lb, ...lf, ...lc]);
  b = transpose(g, b, [...rb, ...rc, ...rf]);
  const batched = lb.length > 0;
  const aShape = batched ? [B, M, K] : [M, K];
  const bShape = batched ? [B, K, N] : [K, N];
  const cur = (s: number[]) => s;
  const aNow = cur([...lb, ...lf, ...lc].map((d) => xa.shape[d]));
  const bNow = cur([...rb, ...rc, ...rf].map((d) => ya.shape[d]));
  if (!sameShape(aNow, aShape)) a = reshape(g, a, aShape);
  if (!sameShape(bNow, bShape)) b = reshape(g, b, bShape);
  let r = g.op("MatMul", [a, b]);
  const rShape = batched ? [B, M, N] : [M, N];
  if (!sameShape(rShape, out.shape)) r = reshape(g, r, out.shape);
  return convert(g, r, c, tOut);
});

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
