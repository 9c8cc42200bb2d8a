import { describe, it, expect } from "vitest";
import fc from "fast-check";
import * as tree from "../src/tree.js";
import {
  DictKey,
  FlattenedIndexKey,
  GetAttrKey,
  PyTreeDef,
  SequenceKey,
  TreeStructureError,
  type KeyPath,
} from "../src/tree.js";

// A leaf class that is not registered: it must stay a leaf.
class Box {
  constructor(readonly value: number) {}
}

class Point {
  constructor(
    readonly x: unknown,
    readonly y: unknown,
  ) {}
}
tree.registerPytreeNode(
  Point,
  (p) => [[p.x, p.y], null],
  (_aux, [x, y]) => new Point(x, y),
);

// A node with static aux data (a name) and keyed children.
class Named {
  constructor(
    readonly name: string,
    readonly items: Record<string, unknown>,
  ) {}
}
tree.registerPytreeWithKeys(
  Named,
  (n) => [Object.keys(n.items).map((k) => [new GetAttrKey(k), n.items[k]] as const), [n.name, Object.keys(n.items)] as [string, string[]]],
  ([name, keys], children) => new Named(name, Object.fromEntries(keys.map((k, i) => [k, children[i]]))),
);

class Linear {
  declare w: unknown;
  declare b: unknown;
  declare features: number;
  constructor() {
    throw new Error("unflatten must not call the constructor");
  }
}
tree.registerDataclass(Linear, ["w", "b"], ["features"]);

function makeLinear(w: unknown, b: unknown, features: number): Linear {
  return Object.assign(Object.create(Linear.prototype) as Linear, { w, b, features });
}

const roundTrip = (t: unknown): unknown => {
  const [leaves, def] = tree.flatten(t);
  return tree.unflatten(def, leaves);
};

describe("flatten / unflatten", () => {
  const cases: [string, unknown, unknown[], string][] = [
    ["a number leaf", 1, [1], "PyTreeDef(*)"],
    ["a string leaf", "s", ["s"], "PyTreeDef(*)"],
    ["a bigint leaf", 3n, [3n], "PyTreeDef(*)"],
    ["a boolean leaf", false, [false], "PyTreeDef(*)"],
    ["null", null, [], "PyTreeDef(null)"],
    ["undefined", undefined, [], "PyTreeDef(undefined)"],
    ["an empty array", [], [], "PyTreeDef([])"],
    ["an empty object", {}, [], "PyTreeDef({})"],
    ["an array", [1, 2, 3], [1, 2, 3], "PyTreeDef([*, *, *])"],
    ["object keys sorted", { b: 2, a: 1, c: 3 }, [1, 2, 3], "PyTreeDef({a: *, b: *, c: *})"],
    ["nested", [1, { a: [2, null], b: undefined }, [[3]]], [1, 2, 3], "PyTreeDef([*, {a: [*, null], b: undefined}, [[*]]])"],
    ["quoted keys", { "x-y": 1, "0": 2 }, [2, 1], 'PyTreeDef({"0": *, "x-y": *})'],
    ["a custom node", new Point(1, [2, 3]), [1, 2, 3], "PyTreeDef(CustomNode(Point[null], [*, [*, *]]))"],
    [
      "a keyed custom node",
      new Named("n", { p: 1, q: 2 }),
      [1, 2],
      'PyTreeDef(CustomNode(Named[["n", ["p", "q"]]], [*, *]))',
    ],
    ["a dataclass", makeLinear(1, 2, 3), [1, 2], "PyTreeDef(CustomNode(Linear[[3]], [*, *]))"],
  ];

  for (const [name, value, leaves, printed] of cases) {
    it(`flattens ${name}`, () => {
      const [flat, def] = tree.flatten(value);
      expect(flat).toEqual(leaves);
      expect(def.toString()).toBe(printed);
      expect(def.numLeaves).toBe(leaves.length);
      expect(tree.leaves(value)).toEqual(leaves);
      expect(tree.structure(value).equals(def)).toBe(true);
    });
    it(`round-trips ${name}`, () => {
      expect(roundTrip(value)).toStrictEqual(value);
    });
  }

  it("keeps class instances, typed arrays, dates and functions as leaves", () => {
    const f = (): number => 1;
    const box = new Box(1);
    const typed = new Float32Array([1, 2]);
    const date = new Date(0);
    const map = new Map([[1, 2]]);
    const t = [box, typed, date, f, map];
    const [leaves, def] = tree.flatten(t);
    expect(leaves).toHaveLength(5);
    leaves.forEach((leaf, i) => expect(leaf).toBe(t[i]));
    expect(def.toString()).toBe("PyTreeDef([*, *, *, *, *])");
  });

  it("treats null-prototype objects as plain objects", () => {
    const o = Object.create(null) as Record<string, number>;
    o["b"] = 2;
    o["a"] = 1;
    const [leaves, def] = tree.flatten(o);
    expect(leaves).toEqual([1, 2]);
    expect(def.equals(tree.structure({ a: 0, b: 0 }))).toBe(true);
    expect(tree.unflatten(def, leaves)).toEqual({ a: 1, b: 2 });
  });

  it("keeps a literal __proto__ key as an own property", () => {
    const o = JSON.parse('{"__proto__": 1, "a": 2}') as object;
    const back = roundTrip(o) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back).sort()).toEqual(["__proto__", "a"]);
  });

  it("restores null and undefined distinctly", () => {
    const t = { a: null, b: undefined, c: [null, undefined] };
    const back = roundTrip(t) as typeof t;
    expect(back.a).toBeNull();
    expect(back.b).toBeUndefined();
    expect("b" in back).toBe(true);
    expect(back.c).toEqual([null, undefined]);
    expect(tree.structure(null).equals(tree.structure(undefined))).toBe(false);
  });

  it("unflattens from any iterable and with new leaves", () => {
    const def = tree.structure({ a: [0, 0], b: 0 });
    expect(tree.unflatten(def, new Set(["x", "y", "z"]))).toEqual({ a: ["x", "y"], b: "z" });
    expect(def.unflatten([1, 2, 3])).toEqual({ a: [1, 2], b: 3 });
  });

  it("rebuilds custom nodes with their unflatten", () => {
    const back = roundTrip([new Point(1, 2), makeLinear("w", "b", 4)]) as [Point, Linear];
    expect(back[0]).toBeInstanceOf(Point);
    expect(back[0]).toEqual(new Point(1, 2));
    expect(back[1]).toBeInstanceOf(Linear);
    expect({ ...back[1] }).toEqual({ w: "w", b: "b", features: 4 });
  });

  it("errors when the leaf count does not match", () => {
    const def = tree.structure([1, 2, 3]);
    expect(() => tree.unflatten(def, [1, 2])).toThrow("[tree.unflatten] treedef expects 3 leaves, got 2");
    expect(() => def.unflatten([1, 2, 3, 4])).toThrow("[tree.unflatten] treedef expects 3 leaves, got 4");
    expect(() => tree.unflatten(def, [1, 2])).toThrow(TreeStructureError);
  });

  it("honors isLeaf, including for null and the root", () => {
    const isNull = (x: unknown): boolean => x === null;
    expect(tree.leaves([1, null, [null]], isNull)).toEqual([1, null, null]);
    const isPair = (x: unknown): boolean => Array.isArray(x) && x.length === 2;
    const [leaves, def] = tree.flatten([[1, 2], [3, [4, 5]], [6]], isPair);
    expect(leaves).toEqual([[1, 2], [3, [4, 5]], 6]);
    expect(def.toString()).toBe("PyTreeDef([*, *, [*]])");
    expect(tree.leaves([1, 2], () => true)).toEqual([[1, 2]]);
  });

  it("rejects cyclic trees", () => {
    const a: unknown[] = [1];
    a.push(a);
    expect(() => tree.flatten(a)).toThrow("[tree.flatten] the tree contains a cycle");
    expect(() => tree.flattenWithPath({ x: a })).toThrow("cycle at ['x'][1]");
  });

  it("allows the same subtree twice (a DAG is not a cycle)", () => {
    const shared = [1, 2];
    expect(tree.leaves([shared, shared])).toEqual([1, 2, 1, 2]);
  });

  it("validates what a registered flatten returns", () => {
    class Bad {}
    tree.registerPytreeNode(
      Bad,
      () => "nope" as unknown as [unknown[], null],
      () => new Bad(),
    );
    expect(() => tree.flatten([new Bad()])).toThrow(
      "[tree.flatten] the flatten function registered for Bad must return [children, auxData]",
    );
  });
});

describe("PyTreeDef", () => {
  it("counts leaves and nodes like JAX", () => {
    const def = tree.structure([1, { a: 2, b: null }]);
    expect(def.numLeaves).toBe(2);
    // array, leaf, object, leaf, null
    expect(def.numNodes).toBe(5);
    expect(def).toBeInstanceOf(PyTreeDef);
    expect(def.kind).toBe("array");
    expect(def.children().map(String)).toEqual(["PyTreeDef(*)", "PyTreeDef({a: *, b: null})"]);
    expect(tree.treedefChildren(def)).toHaveLength(2);
  });

  it("exposes node data", () => {
    expect(tree.structure({ b: 1, a: 2 }).objectKeys).toEqual(["a", "b"]);
    const custom = tree.structure(makeLinear(0, 0, 7));
    expect(custom.kind).toBe("custom");
    expect(custom.nodeClass).toBe(Linear);
    expect(custom.auxData).toEqual([7]);
  });

  it("tells leaves apart", () => {
    expect(tree.treedefIsLeaf(tree.structure(1))).toBe(true);
    expect(tree.treedefIsLeaf(tree.structure(null))).toBe(true);
    expect(tree.treedefIsStrictLeaf(tree.structure(null))).toBe(false);
    expect(tree.treedefIsStrictLeaf(tree.structure(new Box(1)))).toBe(true);
    expect(tree.treedefIsLeaf(tree.structure([1]))).toBe(false);
  });

  const distinct: [string, unknown, unknown][] = [
    ["null vs undefined", null, undefined],
    ["null vs leaf", null, 1],
    ["[] vs {}", [], {}],
    ["array lengths", [1, 2], [1, 2, 3]],
    ["object keys", { a: 1 }, { b: 1 }],
    ["nesting", [[1], 2], [1, [2]]],
    ["array vs object with index keys", [1], { 0: 1 }],
    ["class vs array", new Point(1, 2), [1, 2]],
    ["aux data", makeLinear(1, 2, 3), makeLinear(1, 2, 4)],
    ["aux data types", new Named("1", {}), new Named(1 as unknown as string, {})],
    ["key that looks like structure", { "a:*": 1 }, { a: 1 }],
  ];
  for (const [name, x, y] of distinct) {
    it(`distinguishes ${name}`, () => {
      const dx = tree.structure(x);
      const dy = tree.structure(y);
      expect(dx.equals(dy)).toBe(false);
      expect(dx.key).not.toBe(dy.key);
    });
  }

  it("distinguishes registered classes by identity, not name", () => {
    const makeClass = () =>
      class Same {
        constructor(readonly v: unknown) {}
      };
    const A = makeClass();
    const B = makeClass();
    for (const C of [A, B]) {
      tree.registerPytreeNode(C, (x) => [[x.v], null], (_aux, [v]) => new C(v));
    }
    const da = tree.structure(new A(1));
    const db = tree.structure(new B(1));
    expect(da.toString()).toBe(db.toString());
    expect(da.equals(db)).toBe(false);
    expect(da.key).not.toBe(db.key);
  });

  it("gives equal structures equal keys", () => {
    const x = { b: [1, null], a: new Point(undefined, 2), c: makeLinear(1, 2, 3) };
    const y = { a: new Point(undefined, "q"), b: [new Box(0), null], c: makeLinear("w", "b", 3) };
    const dx = tree.structure(x);
    const dy = tree.structure(y);
    expect(dx).not.toBe(dy);
    expect(dx.equals(dy)).toBe(true);
    expect(dx.key).toBe(dy.key);
    const cache = new Map([[dx.key, "hit"]]);
    expect(cache.get(dy.key)).toBe("hit");
  });

  it("composes", () => {
    const outer = tree.structure([0, { a: 0 }]);
    const inner = tree.structure([0, 0]);
    const composed = outer.compose(inner);
    expect(composed.toString()).toBe("PyTreeDef([[*, *], {a: [*, *]}])");
    expect(composed.numLeaves).toBe(4);
  });

  it("flattens up to a prefix", () => {
    const def = tree.structure([0, { a: 0 }]);
    expect(def.flattenUpTo([[1, 2], { a: { z: 3 } }])).toEqual([[1, 2], { z: 3 }]);
    expect(() => def.flattenUpTo([1, 2])).toThrow("[tree.flattenUpTo] tree structure mismatch at [1]");
  });
});

describe("stableKey", () => {
  it("compares plain data deeply", () => {
    expect(tree.stableKey({ a: [1, "x"], b: null })).toBe(tree.stableKey({ b: null, a: [1, "x"] }));
    expect(tree.stableKey(new Float32Array([1, 2]))).toBe(tree.stableKey(new Float32Array([1, 2])));
    expect(tree.stableKey(new Date(5))).toBe(tree.stableKey(new Date(5)));
    expect(tree.stableKey(NaN)).toBe(tree.stableKey(NaN));
    expect(tree.stableKey(Symbol.for("s"))).toBe(tree.stableKey(Symbol.for("s")));
  });

  it("separates values that only look alike", () => {
    const keys = [1, "1", 1n, true, "t", null, undefined, "n", -0, 0, [1], { 0: 1 }, new Int32Array([1]), new Float32Array([1])].map(
      tree.stableKey,
    );
    expect(new Set(keys).size).toBe(keys.length);
    expect(tree.stableKey(Symbol("s"))).not.toBe(tree.stableKey(Symbol("s")));
  });

  it("compares class instances and functions by identity unless they define auxKey", () => {
    const f = (): void => {};
    expect(tree.stableKey(f)).toBe(tree.stableKey(f));
    expect(tree.stableKey(new Box(1))).not.toBe(tree.stableKey(new Box(1)));
    class Shape {
      constructor(readonly dims: number[]) {}
      [tree.auxKey](): string {
        return this.dims.join("x");
      }
    }
    expect(tree.stableKey(new Shape([2, 3]))).toBe(tree.stableKey(new Shape([2, 3])));
    expect(tree.stableKey(new Shape([2, 3]))).not.toBe(tree.stableKey(new Shape([3, 2])));
  });
});

describe("registration", () => {
  it("errors on double registration, naming the class", () => {
    class Twice {}
    tree.registerPytreeNode(Twice, () => [[], null], () => new Twice());
    expect(() => tree.registerPytreeNode(Twice, () => [[], null], () => new Twice())).toThrow(
      "[tree.registerPytreeNode] Twice is already registered as a PyTree node",
    );
    expect(() => tree.registerPytreeWithKeys(Twice, () => [[], null], () => new Twice())).toThrow(
      "[tree.registerPytreeWithKeys] Twice is already registered",
    );
  });

  it("refuses built-in nodes", () => {
    expect(() => tree.registerStatic(Array)).toThrow("[tree.registerStatic] Array is a built-in PyTree node");
  });

  it("matches the exact class, not subclasses", () => {
    class Sub extends Point {}
    expect(tree.leaves(new Sub(1, 2))).toHaveLength(1);
  });

  it("supports registered Array subclasses", () => {
    class Pair extends Array<unknown> {}
    tree.registerPytreeNode(
      Pair,
      (p) => [[...p], "pair"],
      (_aux, children) => Pair.from(children) as Pair,
    );
    const p = Pair.from([1, 2]) as Pair;
    const back = roundTrip(p);
    expect(back).toBeInstanceOf(Pair);
    expect(tree.structure(p).toString()).toBe('PyTreeDef(CustomNode(Pair["pair"], [*, *]))');
  });

  it("registers static classes as childless nodes keyed by their value", () => {
    class Activation {
      constructor(readonly name: string) {}
      [tree.auxKey](): string {
        return this.name;
      }
    }
    tree.registerStatic(Activation);
    const t = { act: new Activation("relu"), w: 1 };
    const [leaves, def] = tree.flatten(t);
    expect(leaves).toEqual([1]);
    expect(def.equals(tree.structure({ act: new Activation("relu"), w: 2 }))).toBe(true);
    expect(def.equals(tree.structure({ act: new Activation("gelu"), w: 2 }))).toBe(false);
    const back = tree.unflatten<typeof t>(def, [5]);
    expect(back.act).toBe(t.act);
  });
});

describe("key paths", () => {
  it("prints like JAX's keystr", () => {
    const path: KeyPath = [new DictKey("a"), new SequenceKey(0), new GetAttrKey("b"), new FlattenedIndexKey(2)];
    expect(tree.keystr(path)).toBe("['a'][0].b[2]");
    expect(tree.keystr(path, { simple: true, separator: "/" })).toBe("a/0/b/2");
    expect(tree.keystr([])).toBe("");
    expect(new DictKey("it's").toString()).toBe("['it\\'s']");
    expect(new DictKey(3).toString()).toBe("[3]");
  });

  it("flattens with paths", () => {
    const t = { a: [1, { b: 2 }], c: new Point(3, null), d: new Named("n", { q: 4 }), e: makeLinear(5, 6, 1) };
    const [withPath, def] = tree.flattenWithPath(t);
    expect(withPath.map(([p, leaf]) => [tree.keystr(p), leaf])).toEqual([
      ["['a'][0]", 1],
      ["['a'][1]['b']", 2],
      ["['c'][0]", 3],
      ["['d'].q", 4],
      ["['e'].w", 5],
      ["['e'].b", 6],
    ]);
    expect(def.equals(tree.structure(t))).toBe(true);
    expect(withPath[2]?.[0][1]).toBeInstanceOf(FlattenedIndexKey);
    expect(tree.leavesWithPath([7]).map(([p, x]) => [tree.keystr(p), x])).toEqual([["[0]", 7]]);
    expect(tree.leavesWithPath(8)).toEqual([[[], 8]]);
  });

  it("maps with paths over several trees", () => {
    const out = tree.mapWithPath((path, x: number, y: number) => `${tree.keystr(path)}=${x + y}`, { a: 1, b: [2] }, {
      a: 10,
      b: [20],
    });
    expect(out).toEqual({ a: "['a']=11", b: ["['b'][0]=22"] });
    const withOpts = tree.mapWithPathWithOptions(
      { isLeaf: (x) => x === null },
      (path, x) => [tree.keystr(path), x],
      [null, 1],
    );
    expect(withOpts).toEqual([["[0]", null], ["[1]", 1]]);
  });
});

describe("map", () => {
  it("maps one tree", () => {
    expect(tree.map((x: number) => x * 2, { a: [1, 2], b: null, c: 3 })).toEqual({ a: [2, 4], b: null, c: 6 });
    expect(tree.map((x: number) => x + 1, 1)).toBe(2);
    expect(tree.map((x: number) => x + 1, [])).toEqual([]);
  });

  it("maps several trees", () => {
    const p = { w: [1, 2], b: 3 };
    const g = { b: 30, w: [10, 20] };
    expect(tree.map((x: number, y: number, z: number) => x + y + z, p, g, p)).toEqual({ w: [12, 24], b: 36 });
  });

  it("maps custom nodes", () => {
    const out = tree.map((x: number) => -x, [new Point(1, 2)]) as Point[];
    expect(out[0]).toBeInstanceOf(Point);
    expect(out[0]).toEqual(new Point(-1, -2));
  });

  it("passes whole subtrees where the first tree has leaves", () => {
    const out = tree.map((axis: number, sub: unknown) => [axis, tree.leaves(sub).length], [0, 1], [[1, 2, 3], { a: 1 }]);
    expect(out).toEqual([
      [0, 3],
      [1, 1],
    ]);
  });

  it("supports isLeaf through mapWithOptions", () => {
    const out = tree.mapWithOptions({ isLeaf: (x) => x === null }, (axis: number | null, x: unknown) => [axis, x], [0, null], [
      "a",
      "b",
    ]);
    expect(out).toEqual([
      [0, "a"],
      [null, "b"],
    ]);
  });

  const mismatches: [string, unknown, unknown, string][] = [
    [
      "different object keys",
      { a: 1, b: { c: 2 } },
      { a: 1, b: { d: 2 } },
      "[tree.map] tree structure mismatch at ['b']: expected PyTreeDef({c: *}), got PyTreeDef({d: *}) (object keys differ: missing keys c; unexpected keys d)",
    ],
    [
      "different array lengths",
      [1, [2, 3]],
      [1, [2, 3, 4]],
      "[tree.map] tree structure mismatch at [1]: expected PyTreeDef([*, *]), got PyTreeDef([*, *, *]) (array length 3 != 2)",
    ],
    [
      "a leaf where a node is expected",
      { a: [1] },
      { a: 5 },
      "[tree.map] tree structure mismatch at ['a']: expected PyTreeDef([*]), got a leaf (number 5) (expected an array, got leaf)",
    ],
    [
      "null vs undefined",
      [null],
      [undefined],
      "[tree.map] tree structure mismatch at [0]: expected PyTreeDef(null), got PyTreeDef(undefined) (expected null, got undefined)",
    ],
    [
      "a custom node type",
      { p: new Point(1, 2) },
      { p: [1, 2] },
      "[tree.map] tree structure mismatch at ['p']: expected PyTreeDef(CustomNode(Point[null], [*, *])), got PyTreeDef([*, *]) (custom node type mismatch: expected Point, got array)",
    ],
    [
      "custom aux data",
      [makeLinear(1, 2, 3)],
      [makeLinear(1, 2, 4)],
      "[tree.map] tree structure mismatch at [0]: expected PyTreeDef(CustomNode(Linear[[3]], [*, *])), got PyTreeDef(CustomNode(Linear[[4]], [*, *])) (Linear aux data [4] != [3])",
    ],
    [
      "the root",
      [1],
      { a: 1 },
      "[tree.map] tree structure mismatch at root: expected PyTreeDef([*]), got PyTreeDef({a: *}) (expected an array, got object)",
    ],
    [
      "deep inside a keyed custom node",
      new Named("n", { q: [1] }),
      new Named("n", { q: [1, 2] }),
      "[tree.map] tree structure mismatch at .q: expected PyTreeDef([*]), got PyTreeDef([*, *]) (array length 2 != 1)",
    ],
  ];
  for (const [name, x, y, message] of mismatches) {
    it(`reports ${name} with its key path`, () => {
      let error: unknown;
      try {
        tree.map((a: unknown) => a, x, y);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TreeStructureError);
      expect((error as Error).message).toBe(message);
    });
  }

  it("records the mismatch path on the error", () => {
    try {
      tree.map((a: unknown) => a, { a: [1, 2] }, { a: [1, [2], 3] });
      expect.unreachable();
    } catch (e) {
      expect(tree.keystr((e as TreeStructureError).path)).toBe("['a']");
    }
  });
});

describe("reduce and all", () => {
  it("reduces with and without an initializer", () => {
    const t = { a: [1, 2], b: 3 };
    expect(tree.reduce((acc: number, x: number) => acc + x, t)).toBe(6);
    expect(tree.reduce((acc: number, x: number) => acc + x, t, 10)).toBe(16);
    expect(tree.reduce((acc: string[], x: number) => [...acc, String(x)], t, [] as string[])).toEqual(["1", "2", "3"]);
    expect(tree.reduce((acc: unknown, x: unknown) => [acc, x], [1], undefined)).toEqual([undefined, 1]);
    expect(tree.reduce((acc: number, x: number) => acc + x, [], 0)).toBe(0);
    const isNumberList = (x: unknown): boolean => Array.isArray(x) && x.every((n) => typeof n === "number");
    expect(tree.reduce((acc: number, x: number[]) => acc + x.length, [[1, 2], [3]], 0, isNumberList)).toBe(3);
  });

  it("errors on an empty tree without an initializer", () => {
    expect(() => tree.reduce((a: number, b: number) => a + b, { a: [] })).toThrow(
      "[tree.reduce] the tree has no leaves and no initializer was given",
    );
  });

  it("checks all leaves", () => {
    expect(tree.all({ a: [true, 1], b: "x" })).toBe(true);
    expect(tree.all({ a: [true, 0] })).toBe(false);
    expect(tree.all([])).toBe(true);
    expect(tree.all([null])).toBe(true);
    expect(tree.all([null], (x) => x === null)).toBe(false);
  });

  it("checks all-leaves iterables", () => {
    expect(tree.allLeaves([1, "a", new Box(1)])).toBe(true);
    expect(tree.allLeaves([1, [2]])).toBe(false);
    expect(tree.allLeaves([null])).toBe(false);
    expect(tree.allLeaves([null], (x) => x === null)).toBe(true);
  });
});

describe("transpose", () => {
  it("turns a list of records into a record of lists", () => {
    const t = [
      { a: 1, b: 2 },
      { a: 3, b: 4 },
      { a: 5, b: 6 },
    ];
    const outer = tree.structure([0, 0, 0]);
    const inner = tree.structure({ a: 0, b: 0 });
    expect(tree.transpose(outer, inner, t)).toEqual({ a: [1, 3, 5], b: [2, 4, 6] });
    expect(tree.transpose(outer, null, t)).toEqual({ a: [1, 3, 5], b: [2, 4, 6] });
  });

  it("is its own inverse and keeps subtrees at inner leaves", () => {
    const outer = tree.structure({ x: 0, y: 0 });
    const inner = tree.structure([0, 0]);
    const t = { x: [[1], 2], y: [3, { z: 4 }] };
    const tt = tree.transpose(outer, inner, t);
    expect(tt).toEqual([{ x: [1], y: 3 }, { x: 2, y: { z: 4 } }]);
    expect(tree.transpose(inner, outer, tt)).toEqual(t);
  });

  it("errors on a mismatched tree", () => {
    const outer = tree.structure([0, 0]);
    const inner = tree.structure({ a: 0, b: 0 });
    expect(() => tree.transpose(outer, inner, [{ a: 1, b: 2 }, { a: 3 }])).toThrow(
      "[tree.transpose] tree structure mismatch at [1]: expected PyTreeDef({a: *, b: *}), got PyTreeDef({a: *})",
    );
    expect(() => tree.transpose(tree.structure([]), undefined, [])).toThrow("[tree.transpose] cannot infer the inner treedef");
  });
});

describe("broadcastPrefix", () => {
  it("replicates prefix leaves over full subtrees", () => {
    const full = [{ a: 1, b: [2, 3] }, 4, [5, 6]];
    expect(tree.broadcastPrefix([0, 1, 2], full)).toEqual([0, 0, 0, 1, 2, 2]);
    expect(tree.broadcastPrefix(7, full)).toEqual([7, 7, 7, 7, 7, 7]);
    expect(tree.broadcastPrefix([{ a: 0, b: 1 }, 2, 3], full)).toEqual([0, 1, 1, 2, 3, 3]);
  });

  it("treats null in the prefix as a leaf when asked (vmap in_axes)", () => {
    const isNull = (x: unknown): boolean => x === null;
    const args = [
      [1, 2],
      { w: 3, b: 4 },
    ];
    expect(tree.broadcastPrefix([0, null], args, isNull)).toEqual([0, 0, null, null]);
    expect(tree.broadcastPrefix([null, { w: 1, b: null }], args, isNull)).toEqual([null, null, null, 1]);
  });

  it("replicates nothing over empty subtrees", () => {
    expect(tree.broadcastPrefix([0, 1], [[], [2]])).toEqual([1]);
    expect(tree.broadcastPrefix([0, 1], [null, 2])).toEqual([1]);
  });

  it("errors when the prefix is not a prefix, naming the caller", () => {
    expect(() => tree.broadcastPrefix([0, 0, 0], [1, 2])).toThrow(
      "[tree.broadcastPrefix] tree structure mismatch at root: expected PyTreeDef([*, *, *]), got PyTreeDef([*, *]) (array length 2 != 3)",
    );
    expect(() => tree.broadcastPrefix({ a: 0 }, [{ b: 1 }], undefined, "vmap in_axes")).toThrow(
      "[vmap in_axes] tree structure mismatch at root",
    );
    // Without isLeaf, null in the prefix is a node and needs null in the full tree.
    expect(() => tree.broadcastPrefix([null], [1])).toThrow("at [0]: expected PyTreeDef(null), got a leaf (number 1)");
  });

  it("broadcasts to the full structure", () => {
    expect(tree.broadcast({ a: 0, b: 1 }, { a: [5, 6], b: { c: 7 } })).toEqual({ a: [0, 0], b: { c: 1 } });
  });
});

// ---------------------------------------------------------------------------
// Properties over random trees

const leafArb = fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(new Box(1)));
const { node: treeArb } = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leafArb,
    fc.constantFrom(null, undefined),
    fc.array(tie("node"), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 3 }), tie("node"), { maxKeys: 4, noNullPrototype: true }),
    fc.tuple(tie("node"), tie("node")).map(([x, y]) => new Point(x, y)),
  ),
}));

describe("properties", () => {
  it("unflatten(flatten(t)) reproduces t", () => {
    fc.assert(
      fc.property(treeArb, (t) => {
        const [leaves, def] = tree.flatten(t);
        expect(tree.unflatten(def, leaves)).toStrictEqual(t);
        expect(def.numLeaves).toBe(leaves.length);
      }),
    );
  });

  it("structure is stable under map, and keys agree with equals", () => {
    fc.assert(
      fc.property(treeArb, treeArb, (t, u) => {
        const dt = tree.structure(t);
        const mapped = tree.map(() => 0, t);
        expect(tree.structure(mapped).key).toBe(dt.key);
        const du = tree.structure(u);
        expect(dt.equals(du)).toBe(dt.key === du.key);
        expect(dt.equals(du)).toBe(dt.toString() === du.toString());
      }),
    );
  });

  it("flattenWithPath agrees with flatten, and paths lead to the leaves", () => {
    fc.assert(
      fc.property(treeArb, (t) => {
        const [withPath, def] = tree.flattenWithPath(t);
        expect(withPath.map(([, x]) => x)).toEqual(tree.leaves(t));
        expect(def.equals(tree.structure(t))).toBe(true);
        for (const [path, leaf] of withPath) expect(follow(t, path)).toBe(leaf);
      }),
    );
  });

  it("the full structure is a prefix of itself, and the leaves are a prefix of anything", () => {
    fc.assert(
      fc.property(treeArb, (t) => {
        expect(tree.broadcastPrefix(t, t)).toEqual(tree.leaves(t));
        expect(tree.broadcastPrefix(0, t)).toEqual(tree.leaves(t).map(() => 0));
      }),
    );
  });
});

function follow(t: unknown, path: KeyPath): unknown {
  let node = t;
  for (const entry of path) {
    if (entry instanceof SequenceKey) node = (node as unknown[])[entry.idx];
    else if (entry instanceof DictKey) node = (node as Record<string, unknown>)[entry.key as string];
    else if (entry instanceof FlattenedIndexKey) {
      const p = node as Point;
      node = entry.key === 0 ? p.x : p.y;
    } else node = (node as Record<string, unknown>)[entry.name];
  }
  return node;
}
