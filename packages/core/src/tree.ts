// PyTrees: nested containers whose leaves are arrays, numbers or anything else,
// with the semantics of jax.tree / jax.tree_util spelled the TypeScript way.
//
// Nodes (containers) are:
// - JS arrays: children in index order (key entries `SequenceKey`);
// - plain objects (prototype `Object.prototype` or `null`): children in sorted
//   key order, like JAX dicts (key entries `DictKey`); they unflatten to
//   ordinary `{}` objects;
// - `null` and `undefined`: nodes with no children, like `None` in JAX; the
//   treedef remembers which of the two it was;
// - instances of classes registered with `registerPytreeNode`,
//   `registerPytreeWithKeys`, `registerDataclass` or `registerStatic`
//   (matched by exact class, as JAX matches by exact type).
// Everything else is a leaf: numbers, booleans, strings, bigints, symbols,
// functions, and instances of unregistered classes (the core `Array`, typed
// arrays, `Date`, `Map`, ...).
//
// This module imports nothing from the rest of core so that every other module
// (transforms, jit caches, optimizers) can depend on it.

// `any` is deliberate in callback and result positions: a leaf can be anything,
// and callers annotate their callbacks with the leaf types they expect
// (`(p: Array, g: Array) => ...`), which `unknown` parameters would reject.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyValue = any;

/** Decides, for any subtree, whether to stop and treat it as a leaf (JAX's `is_leaf`). */
export type IsLeaf = (x: unknown) => boolean;

/** A class constructor, abstract or not; used as a registry key. */
export type Class<T = unknown> = abstract new (...args: never[]) => T;

// ---------------------------------------------------------------------------
// Key entries and key paths

/** Child `idx` of a JS array. Prints as `[0]`. */
export class SequenceKey {
  readonly idx: number;
  constructor(idx: number) {
    this.idx = idx;
  }
  toString(): string {
    return `[${this.idx}]`;
  }
}

/** Property `key` of a plain object (or a mapping-like custom node). Prints as `['a']`. */
export class DictKey {
  readonly key: string | number | symbol;
  constructor(key: string | number | symbol) {
    this.key = key;
  }
  toString(): string {
    return `[${formatDictKey(this.key)}]`;
  }
}

/** Attribute `name` of a custom node (dataclass-style). Prints as `.name`. */
export class GetAttrKey {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
  toString(): string {
    return `.${this.name}`;
  }
}

/** Child position of a custom node registered without key entries. Prints as `[0]`. */
export class FlattenedIndexKey {
  readonly key: number;
  constructor(key: number) {
    this.key = key;
  }
  toString(): string {
    return `[${this.key}]`;
  }
}

export type KeyEntry = SequenceKey | DictKey | GetAttrKey | FlattenedIndexKey;
export type KeyPath = readonly KeyEntry[];

function formatDictKey(key: string | number | symbol): string {
  if (typeof key === "string") {
    return `'${key.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  }
  return String(key);
}

function keyEntryName(entry: KeyEntry): string {
  if (entry instanceof SequenceKey) return String(entry.idx);
  if (entry instanceof DictKey) return String(entry.key);
  if (entry instanceof GetAttrKey) return entry.name;
  return String(entry.key);
}

export interface KeystrOptions {
  /** Print bare names (`a/0/b` with separator "/") instead of `['a'][0].b`. */
  readonly simple?: boolean;
  /** Joins the entries; "" by default. */
  readonly separator?: string;
}

/**
 * Renders a key path the way JAX's `keystr` does: `['a'][0].b` by default,
 * or the bare names joined by `separator` with `{ simple: true }`.
 */
export function keystr(path: KeyPath, options: KeystrOptions = {}): string {
  const separator = options.separator ?? "";
  const parts = path.map((entry) => (options.simple === true ? keyEntryName(entry) : entry.toString()));
  return parts.join(separator);
}

// ---------------------------------------------------------------------------
// Registry of custom node classes

type KeyedChildren = readonly (readonly [KeyEntry, unknown])[];

interface NodeRegistration {
  readonly cls: Class;
  /** Distinguishes classes that share a name in treedef keys. */
  readonly id: number;
  readonly name: string;
  readonly flatten: (x: AnyValue) => readonly [readonly unknown[], unknown];
  readonly flattenWithKeys: ((x: AnyValue) => readonly [KeyedChildren, unknown]) | undefined;
  readonly unflatten: (auxData: AnyValue, children: unknown[]) => unknown;
}

const registry = new Map<Class, NodeRegistration>();
let nextClassId = 1;

function register(
  op: string,
  cls: Class,
  flatten: NodeRegistration["flatten"],
  flattenWithKeys: NodeRegistration["flattenWithKeys"],
  unflatten: NodeRegistration["unflatten"],
): void {
  const name = cls.name === "" ? "<anonymous class>" : cls.name;
  if ((cls as unknown) === Array || (cls as unknown) === Object) {
    throw new Error(`[${op}] ${name} is a built-in PyTree node and cannot be registered`);
  }
  if (registry.has(cls)) {
    throw new Error(`[${op}] ${name} is already registered as a PyTree node`);
  }
  registry.set(cls, { cls, id: nextClassId++, name, flatten, flattenWithKeys, unflatten });
}

/**
 * Makes instances of `cls` (exactly that class, not subclasses) PyTree nodes,
 * like `jax.tree_util.register_pytree_node`.
 *
 * `flatten(x)` returns `[children, auxData]`; `unflatten(auxData, children)`
 * rebuilds an instance. `auxData` is static: it takes part in treedef equality
 * and in `PyTreeDef.key` (see `stableKey`), so keep it small plain data.
 * Key paths through such a node use `FlattenedIndexKey`.
 *
 * Throws if `cls` is already registered.
 */
export function registerPytreeNode<T, A = unknown>(
  cls: Class<T>,
  flatten: (x: T) => readonly [children: readonly unknown[], auxData: A],
  unflatten: (auxData: A, children: unknown[]) => T,
): void {
  register("tree.registerPytreeNode", cls, flatten, undefined, unflatten);
}

/**
 * Like `registerPytreeNode`, but `flattenWithKeys(x)` returns
 * `[[keyEntry, child][], auxData]` so key paths name the children
 * (`jax.tree_util.register_pytree_with_keys`). `flatten` may be given for speed;
 * it must produce the same children in the same order.
 */
export function registerPytreeWithKeys<T, A = unknown>(
  cls: Class<T>,
  flattenWithKeys: (x: T) => readonly [children: readonly (readonly [KeyEntry, unknown])[], auxData: A],
  unflatten: (auxData: A, children: unknown[]) => T,
  flatten?: (x: T) => readonly [children: readonly unknown[], auxData: A],
): void {
  const flattenFn =
    flatten ??
    ((x: T): readonly [unknown[], A] => {
      const [keyed, aux] = flattenWithKeys(x);
      return [keyed.map(([, child]) => child), aux];
    });
  register("tree.registerPytreeWithKeys", cls, flattenFn, flattenWithKeys, unflatten);
}

/**
 * Registers a record-like class (`jax.tree_util.register_dataclass`): the
 * properties in `dataFields` are children (key entries `GetAttrKey`), the ones
 * in `metaFields` are static aux data. Unflattening creates the instance with
 * `Object.create(cls.prototype)` and assigns the fields, bypassing the
 * constructor, since transforms rebuild nodes with placeholder leaves.
 */
export function registerDataclass<T extends object>(
  cls: Class<T>,
  dataFields: readonly (keyof T & string)[],
  metaFields: readonly (keyof T & string)[] = [],
): void {
  const fields = (x: T, names: readonly (keyof T & string)[]): unknown[] => names.map((name) => x[name]);
  register(
    "tree.registerDataclass",
    cls,
    (x: T) => [fields(x, dataFields), fields(x, metaFields)],
    (x: T) => [dataFields.map((name) => [new GetAttrKey(name), x[name]] as const), fields(x, metaFields)],
    (meta: unknown[], children: unknown[]) => {
      const out = Object.create(cls.prototype as object) as Record<string, unknown>;
      dataFields.forEach((name, i) => (out[name] = children[i]));
      metaFields.forEach((name, i) => (out[name] = meta[i]));
      return out;
    },
  );
}

/**
 * Registers `cls` as a node with no children whose instance is its own aux
 * data (`jax.tree_util.register_static`): such values are treated as static
 * structure, e.g. by `jit` caches. Instances compare by identity unless they
 * implement `[auxKey]()` (see `stableKey`).
 */
export function registerStatic<T>(cls: Class<T>): void {
  register(
    "tree.registerStatic",
    cls,
    (x: T) => [[], x],
    undefined,
    (aux: T) => aux,
  );
}

// ---------------------------------------------------------------------------
// Classifying values

type NodeKindOf = "leaf" | "null" | "undefined" | "array" | "object" | NodeRegistration;

function isPlainObject(x: object): boolean {
  const proto: unknown = Object.getPrototypeOf(x);
  if (proto === null || proto === Object.prototype) return true;
  // An object literal from another realm (iframe, vm context).
  return (
    Object.getPrototypeOf(proto) === null &&
    typeof (proto as { constructor?: unknown }).constructor === "function" &&
    (proto as { constructor: { name: string } }).constructor.name === "Object"
  );
}

function registrationOf(x: object): NodeRegistration | undefined {
  if (registry.size === 0) return undefined;
  const proto: unknown = Object.getPrototypeOf(x);
  if (proto === null) return undefined;
  return registry.get((proto as { constructor: Class }).constructor);
}

function nodeKindOf(x: unknown): NodeKindOf {
  if (x === null) return "null";
  if (x === undefined) return "undefined";
  if (typeof x !== "object") return "leaf";
  const registration = registrationOf(x);
  if (registration !== undefined) return registration;
  if (Array.isArray(x)) return "array";
  if (isPlainObject(x)) return "object";
  return "leaf";
}

function sortedKeys(x: object): string[] {
  return Object.keys(x).sort();
}

function checkedFlatten(registration: NodeRegistration, x: unknown, op: string): readonly [readonly unknown[], unknown] {
  const result = registration.flatten(x);
  if (!Array.isArray(result) || result.length !== 2 || !Array.isArray(result[0])) {
    throw new TypeError(
      `[${op}] the flatten function registered for ${registration.name} must return [children, auxData]`,
    );
  }
  return result;
}

function checkedFlattenWithKeys(
  registration: NodeRegistration,
  x: unknown,
  op: string,
): readonly [KeyedChildren, unknown] {
  if (registration.flattenWithKeys === undefined) {
    const [children, aux] = checkedFlatten(registration, x, op);
    return [children.map((child, i) => [new FlattenedIndexKey(i), child] as const), aux];
  }
  const result = registration.flattenWithKeys(x);
  if (!Array.isArray(result) || result.length !== 2 || !Array.isArray(result[0])) {
    throw new TypeError(
      `[${op}] the flattenWithKeys function registered for ${registration.name} must return [[key, child][], auxData]`,
    );
  }
  return result;
}

// ---------------------------------------------------------------------------
// Stable keys for aux data (and anything else that must key a cache)

/**
 * Objects may implement `[auxKey](): string` to be compared by value when they
 * appear in aux data (otherwise class instances compare by identity).
 */
export const auxKey: unique symbol = Symbol.for("jaxts.tree.auxKey");

const identityIds = new WeakMap<object, number>();
const symbolIds = new Map<symbol, number>();
let nextIdentityId = 1;

function identityId(x: object): number {
  let id = identityIds.get(x);
  if (id === undefined) {
    id = nextIdentityId++;
    identityIds.set(x, id);
  }
  return id;
}

/**
 * A string that is equal for two values exactly when they are interchangeable
 * as static data; treedef equality and `PyTreeDef.key` compare aux data with it.
 *
 * - primitives by value (`-0` differs from `0`, `NaN` equals `NaN`, `1` differs
 *   from `"1"` and `1n`); registered symbols (`Symbol.for`) by description,
 *   other symbols by identity;
 * - arrays, plain objects (sorted keys), `Map`, `Set` (in iteration order),
 *   `Date`, typed arrays: deeply, by contents;
 * - PyTreeDefs by their `key`;
 * - objects implementing `[auxKey]()` by the string it returns;
 * - functions and other class instances by identity.
 */
export function stableKey(x: unknown): string {
  switch (typeof x) {
    case "undefined":
      return "u";
    case "boolean":
      return x ? "t" : "f";
    case "number":
      return Object.is(x, -0) ? "d-0" : `d${x}`;
    case "bigint":
      return `b${x}`;
    case "string":
      return JSON.stringify(x);
    case "symbol": {
      const description = Symbol.keyFor(x);
      if (description !== undefined) return `s${JSON.stringify(description)}`;
      let id = symbolIds.get(x);
      if (id === undefined) {
        id = nextIdentityId++;
        symbolIds.set(x, id);
      }
      return `y${id}`;
    }
    case "function":
      return `F${identityId(x)}`;
  }
  if (x === null) return "n";
  const obj = x as object;
  const custom = (obj as { [auxKey]?: unknown })[auxKey];
  if (typeof custom === "function") {
    return `K${JSON.stringify(String((custom as () => unknown).call(obj)))}`;
  }
  if (obj instanceof PyTreeDef) return `P(${obj.key})`;
  if (Array.isArray(obj)) return `[${obj.map(stableKey).join(",")}]`;
  if (isPlainObject(obj)) {
    const record = obj as Record<string, unknown>;
    return `{${sortedKeys(obj)
      .map((k) => `${JSON.stringify(k)}:${stableKey(record[k])}`)
      .join(",")}}`;
  }
  if (obj instanceof Date) return `D${obj.getTime()}`;
  if (obj instanceof Map) {
    return `M[${[...obj].map(([k, v]) => `${stableKey(k)}:${stableKey(v)}`).join(",")}]`;
  }
  if (obj instanceof Set) return `S[${[...obj].map(stableKey).join(",")}]`;
  if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
    const items = Array.from(obj as unknown as ArrayLike<number | bigint>, String);
    return `A${obj.constructor.name}[${items.join(",")}]`;
  }
  return `O${identityId(obj)}`;
}

// ---------------------------------------------------------------------------
// PyTreeDef

export type TreeNodeKind = "leaf" | "null" | "undefined" | "array" | "object" | "custom";

const maxDescribedLength = 200;

function truncate(s: string): string {
  return s.length <= maxDescribedLength ? s : `${s.slice(0, maxDescribedLength)}…`;
}

function formatObjectKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

function formatAux(x: unknown): string {
  switch (typeof x) {
    case "string":
      return JSON.stringify(x);
    case "bigint":
      return `${x}n`;
    case "function":
      return x.name === "" ? "<function>" : x.name;
    case "object":
      break;
    default:
      return String(x);
  }
  if (x === null) return "null";
  if (x instanceof PyTreeDef) return x.toString();
  if (Array.isArray(x)) return `[${x.map(formatAux).join(", ")}]`;
  if (isPlainObject(x)) {
    const record = x as Record<string, unknown>;
    return `{${sortedKeys(x)
      .map((k) => `${formatObjectKey(k)}: ${formatAux(record[k])}`)
      .join(", ")}}`;
  }
  const name = (x as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "" ? name : "<object>";
}

/**
 * The structure of a PyTree: its nodes, with holes (`*`) for the leaves.
 * Immutable; compare with `equals` or use `key` as a cache key.
 */
export class PyTreeDef {
  readonly kind: TreeNodeKind;
  /** Number of leaves (`*`) in the structure. */
  readonly numLeaves: number;
  /** Number of nodes, counting leaves, `null`s and `undefined`s, as JAX counts them. */
  readonly numNodes: number;
  /** Sorted property names, for `kind === "object"`. */
  readonly objectKeys: readonly string[] | undefined;
  /** The registered class, for `kind === "custom"`. */
  readonly nodeClass: Class | undefined;
  /** The static aux data returned by the class's flatten, for `kind === "custom"`. */
  readonly auxData: unknown;
  readonly #children: readonly PyTreeDef[];
  /** @internal */
  readonly registration: NodeRegistration | undefined;
  #key: string | undefined;
  #auxKey: string | undefined;

  /** @internal Treedefs come from `flatten`/`structure`; this is not public API. */
  constructor(
    kind: TreeNodeKind,
    children: readonly PyTreeDef[],
    objectKeys?: readonly string[],
    registration?: NodeRegistration,
    auxData?: unknown,
  ) {
    this.kind = kind;
    this.#children = children;
    this.objectKeys = objectKeys;
    this.registration = registration;
    this.nodeClass = registration?.cls;
    this.auxData = auxData;
    let numLeaves = kind === "leaf" ? 1 : 0;
    let numNodes = 1;
    for (const child of children) {
      numLeaves += child.numLeaves;
      numNodes += child.numNodes;
    }
    this.numLeaves = numLeaves;
    this.numNodes = numNodes;
  }

  /** The treedefs of the node's children (empty for leaves, `null`, `undefined`). */
  children(): PyTreeDef[] {
    return [...this.#children];
  }

  /** @internal The children without a copy, for the hot paths in this module. */
  get childDefs(): readonly PyTreeDef[] {
    return this.#children;
  }

  /**
   * A string that identifies the structure: equal keys mean equal treedefs.
   * It tells `null` from `undefined`, includes object keys, identifies
   * registered classes by a per-class id (not by name) and aux data by
   * `stableKey`. Use it to key caches (e.g. `jit`'s).
   */
  get key(): string {
    if (this.#key === undefined) this.#key = computeKey(this);
    return this.#key;
  }

  /** @internal `stableKey` of the aux data, cached. */
  get auxDataKey(): string {
    if (this.#auxKey === undefined) this.#auxKey = stableKey(this.auxData);
    return this.#auxKey;
  }

  equals(other: PyTreeDef): boolean {
    if (this === other) return true;
    return this.numLeaves === other.numLeaves && this.numNodes === other.numNodes && this.key === other.key;
  }

  /** Builds the tree with this structure from `leaves` (in flatten order). */
  unflatten(leaves: Iterable<unknown>): AnyValue {
    return unflattenAs("tree.unflatten", this, leaves);
  }

  /**
   * The subtrees of `tree` at this treedef's leaves (JAX's `flatten_up_to`):
   * `tree` must have this structure, except that where this treedef has a
   * leaf, `tree` may have any subtree. Throws a `TreeStructureError` naming the
   * key path of the first mismatch.
   */
  flattenUpTo(tree: unknown): AnyValue[] {
    return flattenUpTo("tree.flattenUpTo", this, tree);
  }

  /** Replaces every leaf of this treedef by `inner` (JAX's `compose`). */
  compose(inner: PyTreeDef): PyTreeDef {
    if (this.kind === "leaf") return inner;
    if (this.#children.length === 0) return this;
    return new PyTreeDef(
      this.kind,
      this.#children.map((child) => child.compose(inner)),
      this.objectKeys,
      this.registration,
      this.auxData,
    );
  }

  /** JAX-style rendering, e.g. `PyTreeDef([*, {a: *, b: null}])`. */
  toString(): string {
    return `PyTreeDef(${this.#body()})`;
  }

  #body(): string {
    const children = this.#children.map((child) => child.#body());
    switch (this.kind) {
      case "leaf":
        return "*";
      case "null":
        return "null";
      case "undefined":
        return "undefined";
      case "array":
        return `[${children.join(", ")}]`;
      case "object":
        return `{${(this.objectKeys ?? []).map((k, i) => `${formatObjectKey(k)}: ${children[i]}`).join(", ")}}`;
      case "custom":
        return `CustomNode(${this.registration?.name}[${formatAux(this.auxData)}], [${children.join(", ")}])`;
    }
  }
}

function computeKey(td: PyTreeDef): string {
  const children = td.childDefs.map((child) => child.key);
  switch (td.kind) {
    case "leaf":
      return "*";
    case "null":
      return "N";
    case "undefined":
      return "U";
    case "array":
      return `[${children.join(",")}]`;
    case "object":
      return `{${(td.objectKeys ?? []).map((k, i) => `${JSON.stringify(k)}:${children[i]}`).join(",")}}`;
    case "custom": {
      const aux = td.auxDataKey;
      return `C${td.registration?.id}<${aux.length}:${aux}>(${children.join(",")})`;
    }
  }
}

const leafDef = new PyTreeDef("leaf", []);
const nullDef = new PyTreeDef("null", []);
const undefinedDef = new PyTreeDef("undefined", []);
const emptyArrayDef = new PyTreeDef("array", []);

/** Raised when trees that must share a structure do not. */
export class TreeStructureError extends TypeError {
  /** The key path of the mismatch, from the root of the tree given to `op`. */
  readonly path: KeyPath;
  constructor(message: string, path: KeyPath = []) {
    super(message);
    this.name = "TreeStructureError";
    this.path = path;
  }
}

// ---------------------------------------------------------------------------
// Flattening

interface FlattenState {
  readonly op: string;
  readonly isLeaf: IsLeaf | undefined;
  readonly leaves: unknown[];
  /** Key paths of the leaves, only when asked for (they cost allocations). */
  readonly paths: KeyPath[] | undefined;
  readonly path: KeyEntry[];
  readonly ancestors: Set<object>;
}

function flattenNode(x: unknown, state: FlattenState): PyTreeDef {
  const kind = state.isLeaf !== undefined && state.isLeaf(x) ? "leaf" : nodeKindOf(x);
  if (kind === "leaf") {
    state.leaves.push(x);
    state.paths?.push([...state.path]);
    return leafDef;
  }
  if (kind === "null") return nullDef;
  if (kind === "undefined") return undefinedDef;
  const node = x as object;
  if (state.ancestors.has(node)) {
    const where = state.paths === undefined ? "" : ` at ${describePath(state.path)}`;
    throw new TreeStructureError(`[${state.op}] the tree contains a cycle${where}`, [...state.path]);
  }
  state.ancestors.add(node);
  let def: PyTreeDef;
  if (kind === "array") {
    const items = node as readonly unknown[];
    def = items.length === 0 ? emptyArrayDef : new PyTreeDef("array", flattenChildren(items, state, (i) => new SequenceKey(i)));
  } else if (kind === "object") {
    const keys = sortedKeys(node);
    const record = node as Record<string, unknown>;
    const values = keys.map((k) => record[k]);
    def = new PyTreeDef("object", flattenChildren(values, state, (i) => new DictKey(keys[i] as string)), keys);
  } else if (state.paths === undefined) {
    const [children, aux] = checkedFlatten(kind, node, state.op);
    def = new PyTreeDef("custom", flattenChildren(children, state, undefined), undefined, kind, aux);
  } else {
    const [keyed, aux] = checkedFlattenWithKeys(kind, node, state.op);
    const children = keyed.map(([, child]) => child);
    const keyOf = (i: number): KeyEntry => (keyed[i] as readonly [KeyEntry, unknown])[0];
    def = new PyTreeDef("custom", flattenChildren(children, state, keyOf), undefined, kind, aux);
  }
  state.ancestors.delete(node);
  return def;
}

function flattenChildren(
  children: readonly unknown[],
  state: FlattenState,
  keyOf: ((i: number) => KeyEntry) | undefined,
): PyTreeDef[] {
  const defs: PyTreeDef[] = [];
  const trackPath = state.paths !== undefined;
  for (let i = 0; i < children.length; i++) {
    if (trackPath) state.path.push(keyOf === undefined ? new FlattenedIndexKey(i) : keyOf(i));
    defs.push(flattenNode(children[i], state));
    if (trackPath) state.path.pop();
  }
  return defs;
}

function flattenImpl(op: string, tree: unknown, isLeaf: IsLeaf | undefined, withPaths: boolean) {
  const state: FlattenState = {
    op,
    isLeaf,
    leaves: [],
    paths: withPaths ? [] : undefined,
    path: [],
    ancestors: new Set(),
  };
  const treedef = flattenNode(tree, state);
  return { leaves: state.leaves, paths: state.paths ?? [], treedef };
}

/** Leaves in order and the structure (`jax.tree.flatten`). */
export function flatten(tree: unknown, isLeaf?: IsLeaf): [leaves: AnyValue[], treedef: PyTreeDef] {
  const { leaves, treedef } = flattenImpl("tree.flatten", tree, isLeaf, false);
  return [leaves, treedef];
}

/** The leaves of `tree`, in flatten order (`jax.tree.leaves`). */
export function leaves(tree: unknown, isLeaf?: IsLeaf): AnyValue[] {
  return flattenImpl("tree.leaves", tree, isLeaf, false).leaves;
}

/** The treedef of `tree` (`jax.tree.structure`). */
export function structure(tree: unknown, isLeaf?: IsLeaf): PyTreeDef {
  return flattenImpl("tree.structure", tree, isLeaf, false).treedef;
}

/** `[[keyPath, leaf], ...]` and the treedef (`jax.tree.flatten_with_path`). */
export function flattenWithPath(
  tree: unknown,
  isLeaf?: IsLeaf,
): [pathsAndLeaves: [KeyPath, AnyValue][], treedef: PyTreeDef] {
  const { leaves, paths, treedef } = flattenImpl("tree.flattenWithPath", tree, isLeaf, true);
  return [leaves.map((leaf, i) => [paths[i] as KeyPath, leaf]), treedef];
}

/** `[[keyPath, leaf], ...]` (`jax.tree.leaves_with_path`). */
export function leavesWithPath(tree: unknown, isLeaf?: IsLeaf): [KeyPath, AnyValue][] {
  return flattenWithPath(tree, isLeaf)[0];
}

// ---------------------------------------------------------------------------
// Unflattening

function unflattenAs(op: string, treedef: PyTreeDef, leaves: Iterable<unknown>): AnyValue {
  const items = Array.isArray(leaves) ? (leaves as readonly unknown[]) : Array.from(leaves);
  if (items.length !== treedef.numLeaves) {
    throw new TreeStructureError(`[${op}] treedef expects ${treedef.numLeaves} leaves, got ${items.length}`);
  }
  let next = 0;
  const build = (td: PyTreeDef): unknown => {
    switch (td.kind) {
      case "leaf":
        return items[next++];
      case "null":
        return null;
      case "undefined":
        return undefined;
      case "array":
        return td.childDefs.map(build);
      case "object": {
        const out: Record<string, unknown> = {};
        const keys = td.objectKeys ?? [];
        td.childDefs.forEach((child, i) => {
          const key = keys[i] as string;
          const value = build(child);
          // A literal "__proto__" own property must stay a property.
          if (key === "__proto__") {
            Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
          } else {
            out[key] = value;
          }
        });
        return out;
      }
      case "custom":
        return (td.registration as NodeRegistration).unflatten(td.auxData, td.childDefs.map(build));
    }
  };
  return build(treedef);
}

/** Rebuilds a tree from its treedef and leaves (`jax.tree.unflatten`). */
export function unflatten<T = AnyValue>(treedef: PyTreeDef, leaves: Iterable<unknown>): T {
  return unflattenAs("tree.unflatten", treedef, leaves) as T;
}

// ---------------------------------------------------------------------------
// Matching a tree against a (prefix) treedef

function describePath(path: KeyPath): string {
  return path.length === 0 ? "root" : keystr(path);
}

function describeValue(x: unknown): string {
  const kind = nodeKindOf(x);
  if (kind !== "leaf") return truncate(structure(x).toString());
  if (typeof x === "object" || typeof x === "function") {
    return `a leaf (${formatAux(x)})`;
  }
  return `a leaf (${typeof x} ${truncate(formatAux(x))})`;
}

function flattenUpTo(op: string, treedef: PyTreeDef, tree: unknown): AnyValue[] {
  const out: unknown[] = [];
  const path: KeyEntry[] = [];
  const mismatch = (td: PyTreeDef, x: unknown, detail: string): never => {
    const expected = truncate(td.toString());
    throw new TreeStructureError(
      `[${op}] tree structure mismatch at ${describePath(path)}: expected ${expected}, got ${describeValue(x)} (${detail})`,
      [...path],
    );
  };
  const visit = (td: PyTreeDef, x: unknown): void => {
    if (td.kind === "leaf") {
      out.push(x);
      return;
    }
    const kind = nodeKindOf(x);
    const kindName = typeof kind === "string" ? kind : kind.name;
    const children = td.childDefs;
    const descend = (key: KeyEntry, child: PyTreeDef, value: unknown): void => {
      path.push(key);
      visit(child, value);
      path.pop();
    };
    switch (td.kind) {
      case "null":
      case "undefined":
        if (kind !== td.kind) mismatch(td, x, `expected ${td.kind}, got ${kindName}`);
        return;
      case "array": {
        if (kind !== "array") return mismatch(td, x, `expected an array, got ${kindName}`);
        const items = x as readonly unknown[];
        if (items.length !== children.length) {
          mismatch(td, x, `array length ${items.length} != ${children.length}`);
        }
        children.forEach((child, i) => descend(new SequenceKey(i), child, items[i]));
        return;
      }
      case "object": {
        if (kind !== "object") return mismatch(td, x, `expected an object, got ${kindName}`);
        const expectedKeys = td.objectKeys ?? [];
        const keys = sortedKeys(x as object);
        if (keys.length !== expectedKeys.length || keys.some((k, i) => k !== expectedKeys[i])) {
          const missing = expectedKeys.filter((k) => !keys.includes(k));
          const extra = keys.filter((k) => !expectedKeys.includes(k));
          const parts = [];
          if (missing.length > 0) parts.push(`missing keys ${missing.map(formatObjectKey).join(", ")}`);
          if (extra.length > 0) parts.push(`unexpected keys ${extra.map(formatObjectKey).join(", ")}`);
          mismatch(td, x, `object keys differ: ${parts.join("; ")}`);
        }
        const record = x as Record<string, unknown>;
        children.forEach((child, i) => {
          const key = expectedKeys[i] as string;
          descend(new DictKey(key), child, record[key]);
        });
        return;
      }
      case "custom": {
        const registration = td.registration as NodeRegistration;
        if (kind !== registration) {
          return mismatch(td, x, `custom node type mismatch: expected ${registration.name}, got ${kindName}`);
        }
        const [keyed, aux] = checkedFlattenWithKeys(registration, x, op);
        if (stableKey(aux) !== td.auxDataKey) {
          mismatch(td, x, `${registration.name} aux data ${formatAux(aux)} != ${formatAux(td.auxData)}`);
        }
        if (keyed.length !== children.length) {
          mismatch(td, x, `${registration.name} has ${keyed.length} children, expected ${children.length}`);
        }
        children.forEach((child, i) => {
          const [key, value] = keyed[i] as readonly [KeyEntry, unknown];
          descend(key, child, value);
        });
        return;
      }
    }
  };
  visit(treedef, tree);
  return out;
}

// ---------------------------------------------------------------------------
// Mapping, reducing, transposing

export interface MapOptions {
  /** JAX's `is_leaf`, applied to the first tree, whose structure leads. */
  readonly isLeaf?: IsLeaf | undefined;
}

function mapImpl(
  op: string,
  isLeaf: IsLeaf | undefined,
  withPath: boolean,
  f: (...args: AnyValue[]) => unknown,
  tree: unknown,
  rest: readonly unknown[],
): AnyValue {
  const { leaves, paths, treedef } = flattenImpl(op, tree, isLeaf, withPath);
  const restLeaves = rest.map((other) => flattenUpTo(op, treedef, other));
  const results = leaves.map((leaf, i) => {
    const args = [leaf, ...restLeaves.map((xs) => xs[i])];
    return withPath ? f(paths[i], ...args) : f(...args);
  });
  return unflattenAs(op, treedef, results);
}

/**
 * Applies `f` to every leaf of `tree` and the matching subtrees of `rest`, and
 * returns a tree with `tree`'s structure (`jax.tree.map(f, tree, *rest)`).
 *
 * `tree`'s structure leads: each tree in `rest` must have the same structure,
 * except that where `tree` has a leaf, it may have a whole subtree (which is
 * passed to `f` as is). A mismatch throws a `TreeStructureError` naming the key
 * path. For JAX's `is_leaf`, use `mapWithOptions({ isLeaf }, f, tree, ...rest)`:
 * the options come first because `rest` is variadic and a trailing options
 * object could not be told apart from a tree.
 */
export function map<T = AnyValue>(f: (leaf: AnyValue, ...rest: AnyValue[]) => unknown, tree: unknown, ...rest: unknown[]): T {
  return mapImpl("tree.map", undefined, false, f, tree, rest) as T;
}

/** `map` with options: `mapWithOptions({ isLeaf: (x) => x === null }, f, tree, ...rest)`. */
export function mapWithOptions<T = AnyValue>(
  options: MapOptions,
  f: (leaf: AnyValue, ...rest: AnyValue[]) => unknown,
  tree: unknown,
  ...rest: unknown[]
): T {
  return mapImpl("tree.map", options.isLeaf, false, f, tree, rest) as T;
}

/** Like `map`, but `f` also receives the leaf's key path first (`jax.tree.map_with_path`). */
export function mapWithPath<T = AnyValue>(
  f: (path: KeyPath, leaf: AnyValue, ...rest: AnyValue[]) => unknown,
  tree: unknown,
  ...rest: unknown[]
): T {
  return mapImpl("tree.mapWithPath", undefined, true, f as (...args: AnyValue[]) => unknown, tree, rest) as T;
}

/** `mapWithPath` with options (`isLeaf`), options first as in `mapWithOptions`. */
export function mapWithPathWithOptions<T = AnyValue>(
  options: MapOptions,
  f: (path: KeyPath, leaf: AnyValue, ...rest: AnyValue[]) => unknown,
  tree: unknown,
  ...rest: unknown[]
): T {
  return mapImpl("tree.mapWithPath", options.isLeaf, true, f as (...args: AnyValue[]) => unknown, tree, rest) as T;
}

/**
 * Folds `f` over the leaves (`jax.tree.reduce`): `reduce(f, tree)` starts from
 * the first leaf and throws on a tree without leaves; `reduce(f, tree, init)`
 * starts from `init` (even if it is `undefined`), `reduce(f, tree, init, isLeaf)`.
 */
export function reduce<T>(
  f: (accumulator: T, leaf: AnyValue) => T,
  tree: unknown,
  ...initializerAndIsLeaf: [] | [initializer: T] | [initializer: T, isLeaf: IsLeaf | undefined]
): T {
  const [, isLeaf] = initializerAndIsLeaf;
  const items = flattenImpl("tree.reduce", tree, isLeaf, false).leaves;
  if (initializerAndIsLeaf.length === 0) {
    if (items.length === 0) {
      throw new TypeError("[tree.reduce] the tree has no leaves and no initializer was given");
    }
    return items.slice(1).reduce<T>((acc, leaf) => f(acc, leaf), items[0] as T);
  }
  return items.reduce<T>((acc, leaf) => f(acc, leaf), initializerAndIsLeaf[0] as T);
}

/** Whether every leaf is truthy (`jax.tree.all`); `true` for a tree without leaves. */
export function all(tree: unknown, isLeaf?: IsLeaf): boolean {
  return flattenImpl("tree.all", tree, isLeaf, false).leaves.every(Boolean);
}

/**
 * Turns a tree of structure `outer ∘ inner` into one of structure
 * `inner ∘ outer` (`jax.tree.transpose`), e.g. a list of `{a, b}` records
 * into `{a: list, b: list}`. `inner` may be `null`/`undefined` to take it from
 * the first inner subtree. The tree must match `outer.compose(inner)`, with
 * subtrees allowed where that has leaves.
 */
export function transpose(outer: PyTreeDef, inner: PyTreeDef | null | undefined, tree: unknown): AnyValue {
  const op = "tree.transpose";
  let innerDef = inner;
  if (innerDef === null || innerDef === undefined) {
    const outerSubtrees = flattenUpTo(op, outer, tree);
    if (outerSubtrees.length === 0) {
      throw new TypeError(`[${op}] cannot infer the inner treedef: the outer treedef ${outer} has no leaves`);
    }
    innerDef = structure(outerSubtrees[0]);
  }
  const flat = flattenUpTo(op, outer.compose(innerDef), tree);
  const outerSize = outer.numLeaves;
  const innerSize = innerDef.numLeaves;
  const transposed: unknown[] = [];
  for (let j = 0; j < innerSize; j++) {
    const column: unknown[] = [];
    for (let i = 0; i < outerSize; i++) column.push(flat[i * innerSize + j]);
    transposed.push(unflattenAs(op, outer, column));
  }
  return unflattenAs(op, innerDef, transposed);
}

/**
 * Replicates each leaf of `prefixTree` once for every leaf of the matching
 * subtree of `fullTree` (JAX's `broadcast_prefix`), giving one entry per leaf
 * of `fullTree`. `isLeaf` applies to `prefixTree`; for `vmap`'s `inAxes`, pass
 * `(x) => x === null` so that `null` (broadcast) is a leaf. `op` names the
 * caller in errors, e.g. "vmap in_axes".
 */
export function broadcastPrefix(
  prefixTree: unknown,
  fullTree: unknown,
  isLeaf?: IsLeaf,
  op = "tree.broadcastPrefix",
): AnyValue[] {
  const { leaves: prefixLeaves, treedef } = flattenImpl(op, prefixTree, isLeaf, false);
  const subtrees = flattenUpTo(op, treedef, fullTree);
  const result: unknown[] = [];
  prefixLeaves.forEach((leaf, i) => {
    const count = structure(subtrees[i]).numLeaves;
    for (let k = 0; k < count; k++) result.push(leaf);
  });
  return result;
}

/**
 * Broadcasts `prefixTree` to the structure of `fullTree` (`jax.tree.broadcast`):
 * each prefix leaf is copied to every leaf of its matching subtree.
 */
export function broadcast(prefixTree: unknown, fullTree: unknown, isLeaf?: IsLeaf): AnyValue {
  const full = structure(fullTree);
  return unflattenAs("tree.broadcast", full, broadcastPrefix(prefixTree, fullTree, isLeaf, "tree.broadcast"));
}

// ---------------------------------------------------------------------------
// Treedef helpers

/** JAX's `treedef_is_leaf`: a single node (a leaf, or an empty `null`/`undefined`). */
export function treedefIsLeaf(treedef: PyTreeDef): boolean {
  return treedef.numNodes === 1;
}

/** JAX's `treedef_is_strict_leaf`: exactly one leaf and nothing else. */
export function treedefIsStrictLeaf(treedef: PyTreeDef): boolean {
  return treedef.numNodes === 1 && treedef.numLeaves === 1;
}

/** The child treedefs (JAX's `treedef_children`). */
export function treedefChildren(treedef: PyTreeDef): PyTreeDef[] {
  return treedef.children();
}

/** Whether every element of `iterable` is a leaf (JAX's `all_leaves`); `null` is not one unless `isLeaf` says so. */
export function allLeaves(iterable: Iterable<unknown>, isLeaf?: IsLeaf): boolean {
  for (const x of iterable) {
    if (!(isLeaf?.(x) ?? false) && nodeKindOf(x) !== "leaf") return false;
  }
  return true;
}
