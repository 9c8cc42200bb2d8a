// A tour of what jaxts does today, printed the way JAX prints it.
import { array, lax, makeJaxpr, tree, type Array } from "@jaxts/core";

const x = array([1, 2, 3], { dtype: "float32" });
console.log("x =", String(x));
console.log("sin(x) * 3 + x =", String(lax.sin(x).mul(3).add(x)));

// Weak types: JS numbers adapt to the array's dtype, as Python scalars do in JAX.
const i = array([1, 2, 3]);
console.log("int32 + 1 ->", i.add(1).dtype.name, "| int32 * 2.5 ->", i.mul(2.5).dtype.name);

// Every operation is a primitive that can be staged into a Jaxpr.
function predict(w: Array, b: Array, inputs: Array): Array {
  return lax.tanh(lax.dotGeneral(inputs, w, [[[1], [0]], [[], []]]).add(b));
}
const w = array([[0.5, -1], [2, 0.25], [1, 1]], { dtype: "float32" });
const b = array([0.1, -0.2], { dtype: "float32" });
const inputs = array([[1, 2, 3], [4, 5, 6]], { dtype: "float32" });
console.log("predict =", String(predict(w, b, inputs)));
console.log(makeJaxpr(predict)(w, b, inputs).toString());

// PyTrees: nested containers of arrays, mapped leaf by leaf.
const params = { w, b, layers: [x, i] };
const [leaves, treedef] = tree.flatten(params);
console.log(`${leaves.length} leaves in`, treedef.toString());
console.log("shapes:", JSON.stringify(tree.map((a: Array) => a.shape, params)));
