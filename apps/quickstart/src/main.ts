// A tour of what jaxts does today, printed the way JAX prints it.
import { array, grad, jit, lax, makeJaxpr, tree, vmap, type Array } from "@jaxts/core";

// --- Arrays and weak types: JS numbers adapt to the array's dtype, as Python scalars do in JAX.
const i = array([1, 2, 3]);
console.log("int32 + 1 ->", i.add(1).dtype.name, "| int32 * 2.5 ->", i.mul(2.5).dtype.name);

// --- The README's quickstart: a tiny model, its loss, and its gradient.
function predict(w: Array, b: Array, x: Array): Array {
  return lax.tanh(x.matmul(w).add(b));
}
function loss(w: Array, b: Array, x: Array, y: Array): Array {
  const err = predict(w, b, x).sub(y);
  return err.mul(err).mean();
}

const w = array([[0.5, -1], [2, 0.25], [1, 1]], { dtype: "float32" });
const b = array([0.1, -0.2], { dtype: "float32" });
const x = array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], { dtype: "float32" });
const y = array([[0, 1], [1, 0]], { dtype: "float32" });

const step = jit((w: Array, b: Array) => grad(loss, { argnums: [0, 1] })(w, b, x, y));
const [dw, db] = step(w, b) as [Array, Array];
console.log("dloss/dw =", String(dw));
console.log("dloss/db =", String(db));
console.log("per-example predictions =", String(vmap(predict, { inAxes: [null, null, 0] })(w, b, x)));
console.log(makeJaxpr(loss)(w, b, x, y).toString());

// --- A few steps of gradient descent.
let params = { w, b };
const update = jit((p: { w: Array; b: Array }) => {
  const [gw, gb] = grad(loss, { argnums: [0, 1] })(p.w, p.b, x, y) as [Array, Array];
  return { w: p.w.sub(gw.mul(0.5)), b: p.b.sub(gb.mul(0.5)) };
});
for (let k = 0; k <= 50; k++) {
  if (k % 10 === 0) console.log(`step ${k}: loss ${(loss(params.w, params.b, x, y).item() as number).toFixed(5)}`);
  params = update(params);
}

// --- PyTrees: nested containers of arrays, mapped leaf by leaf.
const [leaves, treedef] = tree.flatten(params);
console.log(`${leaves.length} leaves in`, treedef.toString());
console.log("shapes:", JSON.stringify(tree.map((a: Array) => a.shape, params)));
