// Checkpoints in the safetensors format: an 8-byte little-endian header length,
// a JSON header `{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__}`
// padded with spaces to a multiple of 8 bytes, then the raw little-endian tensor
// bytes, packed in header order. Tensor names are the PyTree key paths joined by
// "/" ("params/Dense_0/kernel"); the tree's structure (objects, arrays, nulls and
// non-array leaves) is stored as JSON in `__metadata__.treedef`, so `load`
// restores it exactly. Files are written to a temporary file in the same
// directory and renamed over the target, so a failed save leaves an existing
// file untouched.
import { Array, ShapeDtypeStruct, dtype as toDType, float16FromBits, float16ToBits, fromTyped, type DType } from "@jaxts/core";

const FORMAT = "jaxts-pytree";

/** safetensors dtype codes ↔ jaxts dtypes. BF16 loads as float32 (jaxts has no bfloat16). */
const TO_ST: Record<string, string> = {
  float64: "F64",
  float32: "F32",
  float16: "F16",
  int32: "I32",
  int16: "I16",
  int8: "I8",
  uint32: "U32",
  uint16: "U16",
  uint8: "U8",
  bool: "BOOL",
};
const FROM_ST: Record<string, string> = {
  F64: "float64",
  F32: "float32",
  F16: "float16",
  BF16: "float32",
  I32: "int32",
  I16: "int16",
  I8: "int8",
  U32: "uint32",
  U16: "uint16",
  U8: "uint8",
  BOOL: "bool",
};
const ST_SIZE: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I32: 4, I16: 2, I8: 1, U32: 4, U16: 2, U8: 1, BOOL: 1 };

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export class CheckpointError extends Error {
  override name = "CheckpointError";
}

/** JSON skeleton of a PyTree: `{$t: name}` for arrays, `{$o: {...}}` objects, JS arrays, null, `{$n}`/`{$b}`/`{$u}` leaves. */
type Skeleton = null | Skeleton[] | { $t: string } | { $o: Record<string, Skeleton> } | { $n: number | string } | { $b: boolean } | { $u: 1 };

interface Leaf {
  name: string;
  path: string;
  value: Array | ShapeDtypeStruct;
}

const escapeKey = (k: string) => k.replace(/~/g, "~0").replace(/\//g, "~1");
const showPath = (path: string) => (path === "" ? "<root>" : path);

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== "object") return false;
  const p = Object.getPrototypeOf(x);
  return p === Object.prototype || p === null;
}

function encodeTree(op: string, t: unknown, path: string[], leaves: Leaf[]): Skeleton {
  const p = path.join("/");
  if (t instanceof Array || t instanceof ShapeDtypeStruct) {
    const name = p === "" ? "." : p;
    leaves.push({ name, path: p, value: t });
    return { $t: name };
  }
  if (t === null) return null;
  if (t === undefined) return { $u: 1 };
  if (typeof t === "number") return { $n: Number.isFinite(t) ? t : String(t) };
  if (typeof t === "boolean") return { $b: t };
  if (globalThis.Array.isArray(t)) return t.map((x, i) => encodeTree(op, x, [...path, String(i)], leaves));
  if (isPlainObject(t)) {
    const o: Record<string, Skeleton> = {};
    for (const [k, v] of Object.entries(t)) o[k] = encodeTree(op, v, [...path, escapeKey(k)], leaves);
    return { $o: o };
  }
  const what = typeof t === "object" ? (t as object).constructor?.name ?? "object" : typeof t;
  throw new CheckpointError(`[${op}] unsupported value at "${showPath(p)}": ${what} (leaves must be Arrays, numbers, booleans or null)`);
}

function decodeTree(s: Skeleton, tensors: Map<string, Array>): unknown {
  if (s === null) return null;
  if (globalThis.Array.isArray(s)) return s.map((x) => decodeTree(x, tensors));
  if ("$t" in s) return tensors.get(s.$t);
  if ("$o" in s) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s.$o)) o[k] = decodeTree(v, tensors);
    return o;
  }
  if ("$n" in s) return typeof s.$n === "number" ? s.$n : Number(s.$n);
  if ("$b" in s) return s.$b;
  return undefined;
}

/** The first place two skeletons differ in structure, or null. */
function structureDiff(a: Skeleton, b: Skeleton, path: string): string | null {
  const kind = (s: Skeleton) =>
    s === null ? "null" : globalThis.Array.isArray(s) ? `list of ${s.length}` : "$t" in s ? "array" : "$o" in s ? "object" : "$n" in s ? "number" : "$b" in s ? "boolean" : "undefined";
  const ka = kind(a);
  const kb = kind(b);
  if (ka !== kb) return `"${showPath(path)}": ${ka} in the checkpoint, ${kb} in the target`;
  if (globalThis.Array.isArray(a)) {
    for (let i = 0; i < a.length; i++) {
      const d = structureDiff(a[i]!, (b as Skeleton[])[i]!, path ? `${path}/${i}` : String(i));
      if (d) return d;
    }
  } else if (a !== null && "$o" in a) {
    const bo = (b as { $o: Record<string, Skeleton> }).$o;
    const ak = Object.keys(a.$o);
    const bk = Object.keys(bo);
    const missing = bk.filter((k) => !(k in a.$o));
    const extra = ak.filter((k) => !(k in bo));
    const at = (k: string) => showPath(path ? `${path}/${escapeKey(k)}` : escapeKey(k));
    if (missing.length) return `"${at(missing[0]!)}" is in the target but not in the checkpoint`;
    if (extra.length) return `"${at(extra[0]!)}" is in the checkpoint but not in the target`;
    for (const k of bk) {
      const d = structureDiff(a.$o[k]!, bo[k]!, path ? `${path}/${escapeKey(k)}` : escapeKey(k));
      if (d) return d;
    }
  }
  return null;
}


function tensorBytes(a: Array, data: ArrayLike<number>): Uint8Array {
  const d = a.dtype.name;
  if (d === "float16") {
    const out = new Uint16Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = float16ToBits(data[i]!);
    return new Uint8Array(out.buffer);
  }
  const t = data as unknown as ArrayBufferView;
  return new Uint8Array(t.buffer, t.byteOffset, t.byteLength);
}

const stDType = (op: string, leaf: Leaf): string => {
  const code = TO_ST[leaf.value.dtype.name];
  if (!code) throw new CheckpointError(`[${op}] dtype ${leaf.value.dtype.name} at "${showPath(leaf.path)}" has no safetensors code`);
  return code;
};

function assemble(op: string, skeleton: Skeleton, leaves: Leaf[], datas: ArrayLike<number>[], metadata: Record<string, string>): Uint8Array {
  if (!LITTLE_ENDIAN) throw new CheckpointError(`[${op}] big-endian platforms are not supported`);
  const header: Record<string, unknown> = {
    __metadata__: { ...metadata, format: FORMAT, treedef: JSON.stringify(skeleton) },
  };
  const chunks: Uint8Array[] = [];
  let offset = 0;
  leaves.forEach((leaf, i) => {
    const a = leaf.value as Array;
    const bytes = tensorBytes(a, datas[i]!);
    header[leaf.name] = { dtype: stDType(op, leaf), shape: [...a.shape], data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(bytes);
    offset += bytes.byteLength;
  });
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let pos = 8 + json.length;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.byteLength;
  }
  return out;
}

function collect(op: string, t: unknown): [Skeleton, Leaf[]] {
  const leaves: Leaf[] = [];
  const skeleton = encodeTree(op, t, [], leaves);
  const names = new Set<string>();
  for (const l of leaves) {
    if (!(l.value instanceof Array)) throw new CheckpointError(`[${op}] "${showPath(l.path)}" is a ShapeDtypeStruct, not an Array`);
    stDType(op, l);
    if (names.has(l.name)) throw new CheckpointError(`[${op}] two leaves share the name "${l.name}"`);
    names.add(l.name);
  }
  return [skeleton, leaves];
}

export interface SaveOptions {
  /** extra string metadata stored in the header */
  metadata?: Record<string, string>;
}

/** Serialize a PyTree of arrays to safetensors bytes (awaits each array's data: any backend). */
export async function toSafetensors(t: unknown, opts: SaveOptions = {}): Promise<Uint8Array> {
  const [skeleton, leaves] = collect("toSafetensors", t);
  const datas = await Promise.all(leaves.map((l) => (l.value as Array).data() as Promise<ArrayLike<number>>));
  return assemble("toSafetensors", skeleton, leaves, datas, opts.metadata ?? {});
}

/** Synchronous `toSafetensors` (arrays must be readable synchronously, e.g. on the CPU backend). */
export function toSafetensorsSync(t: unknown, opts: SaveOptions = {}): Uint8Array {
  const [skeleton, leaves] = collect("toSafetensorsSync", t);
  const datas = leaves.map((l) => (l.value as Array).dataSync() as ArrayLike<number>);
  return assemble("toSafetensorsSync", skeleton, leaves, datas, opts.metadata ?? {});
}

interface Entry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export interface ParsedSafetensors {
  metadata: Record<string, string>;
  /** tensors by name, in header order */
  tensors: Map<string, Array>;
  /** the stored file dtype code of each tensor */
  codes: Map<string, string>;
}

/** Parse safetensors bytes into named arrays and metadata (validating the header). */
export function parseSafetensors(bytes: Uint8Array, op = "parseSafetensors"): ParsedSafetensors {
  if (!(bytes instanceof Uint8Array)) throw new CheckpointError(`[${op}] expected a Uint8Array, got ${typeof bytes}`);
  if (bytes.length < 8) throw new CheckpointError(`[${op}] ${bytes.length} bytes is too short for a safetensors header`);
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (n > bytes.length - 8) throw new CheckpointError(`[${op}] header length ${n} exceeds the ${bytes.length - 8} bytes that follow`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new CheckpointError(`[${op}] the header is not valid JSON: ${(e as Error).message}`);
  }
  if (!isPlainObject(header)) throw new CheckpointError(`[${op}] the header must be a JSON object`);
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const tensors = new Map<string, Array>();
  const codes = new Map<string, string>();
  for (const [name, raw] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const e = raw as Entry;
    const size = ST_SIZE[e?.dtype];
    if (size === undefined) throw new CheckpointError(`[${op}] tensor "${name}" has unsupported dtype ${JSON.stringify(e?.dtype)}`);
    if (!globalThis.Array.isArray(e.shape) || e.shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new CheckpointError(`[${op}] tensor "${name}" has an invalid shape ${JSON.stringify(e.shape)}`);
    }
    const [b, end] = e.data_offsets ?? [];
    const count = e.shape.reduce((a, c) => a * c, 1);
    if (!Number.isInteger(b) || !Number.isInteger(end) || b! < 0 || end! > dataLen || end! - b! !== count * size) {
      throw new CheckpointError(
        `[${op}] tensor "${name}" (${e.dtype}[${e.shape.join(",")}]) has data offsets ${JSON.stringify(e.data_offsets)} inconsistent with its size or the ${dataLen} data bytes`,
      );
    }
    const chunk = bytes.slice(dataStart + b!, dataStart + end!);
    let typed: ArrayLike<number> & ArrayBufferView;
    const dt: DType = toDType(FROM_ST[e.dtype]!);
    if (e.dtype === "F16") {
      const h = new Uint16Array(chunk.buffer);
      const f = new Float32Array(count);
      for (let i = 0; i < count; i++) f[i] = float16FromBits(h[i]!);
      typed = f;
    } else if (e.dtype === "BF16") {
      const h = new Uint16Array(chunk.buffer);
      const w = new Uint32Array(count);
      for (let i = 0; i < count; i++) w[i] = h[i]! << 16;
      typed = new Float32Array(w.buffer);
    } else {
      typed = new dt.storage(chunk.buffer) as ArrayLike<number> & ArrayBufferView;
    }
    tensors.set(name, fromTyped(typed as any, e.shape, dt));
    codes.set(name, e.dtype);
  }
  return { metadata, tensors, codes };
}

const fmt = (x: { shape: readonly number[]; dtype: DType }) => `${x.dtype.name}[${x.shape.join(",")}]`;

/**
 * Rebuild a PyTree from safetensors bytes. Without `target`, the structure
 * stored by `toSafetensors` is restored (a file from elsewhere gives a flat
 * `{name: Array}` object). With `target` (a PyTree of Arrays or
 * ShapeDtypeStructs, e.g. the variables from init), every leaf must be present
 * with the same shape and dtype and nothing else may be in the file; a
 * mismatch throws a CheckpointError naming the key path.
 */
export function fromSafetensors<T = any>(bytes: Uint8Array, target?: unknown): T {
  const op = "fromSafetensors";
  const { metadata, tensors, codes } = parseSafetensors(bytes, op);
  let stored: Skeleton | null = null;
  if (metadata.format === FORMAT && typeof metadata.treedef === "string") stored = JSON.parse(metadata.treedef) as Skeleton;
  if (target === undefined) {
    if (stored !== null) return decodeTree(stored, tensors) as T;
    return Object.fromEntries(tensors) as T;
  }
  const leaves: Leaf[] = [];
  const want = encodeTree(op, target, [], leaves);
  if (stored !== null) {
    const d = structureDiff(stored, want, "");
    if (d) throw new CheckpointError(`[${op}] structure mismatch: ${d}`);
  }
  const used = new Set<string>();
  for (const l of leaves) {
    const got = tensors.get(l.name);
    if (!got) throw new CheckpointError(`[${op}] "${showPath(l.path)}" (${fmt(l.value)}) is missing from the checkpoint`);
    used.add(l.name);
    const code = codes.get(l.name)!;
    const dtypeOk = got.dtype === l.value.dtype && !(code === "BF16" && l.value.dtype.name !== "float32");
    if (!dtypeOk) throw new CheckpointError(`[${op}] dtype mismatch at "${showPath(l.path)}": checkpoint has ${code} (${fmt(got)}), target expects ${fmt(l.value)}`);
    if (got.shape.length !== l.value.shape.length || got.shape.some((v, i) => v !== l.value.shape[i])) {
      throw new CheckpointError(`[${op}] shape mismatch at "${showPath(l.path)}": checkpoint has ${fmt(got)}, target expects ${fmt(l.value)}`);
    }
  }
  const extra = [...tensors.keys()].filter((k) => !used.has(k));
  if (extra.length) {
    throw new CheckpointError(`[${op}] structure mismatch: "${extra[0]}"${extra.length > 1 ? ` (and ${extra.length - 1} more)` : ""} is in the checkpoint but not in the target`);
  }
  return decodeTree(stored ?? want, tensors) as T;
}

// --- files (Node)

async function nodeFs() {
  const [fs, path, crypto] = await Promise.all([import("node:fs/promises"), import("node:path"), import("node:crypto")]);
  return { fs, path, crypto };
}

/**
 * Check that `file` can be written (its directory exists and accepts a new
 * file), without touching `file` itself. Throws a CheckpointError otherwise.
 */
export async function assertWritable(file: string): Promise<void> {
  const { fs, path, crypto } = await nodeFs();
  const dir = path.dirname(path.resolve(file));
  const probe = path.join(dir, `.${path.basename(file)}.${crypto.randomBytes(6).toString("hex")}.probe`);
  try {
    const st = await fs.stat(file).catch(() => null);
    if (st?.isDirectory()) throw new Error("it is a directory");
    await fs.writeFile(probe, "", { flag: "wx" });
    await fs.unlink(probe);
  } catch (e) {
    throw new CheckpointError(`[assertWritable] cannot write a checkpoint to ${file}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Save a PyTree of arrays to a safetensors file. The bytes are written to a
 * temporary file in the same directory, flushed, and renamed over `file`; on
 * any failure the temporary file is removed and an existing `file` is untouched.
 */
export async function saveCheckpoint(file: string, t: unknown, opts: SaveOptions = {}): Promise<void> {
  const bytes = await toSafetensors(t, opts);
  // write-file-atomic: a temporary file beside `file`, fsync'd, renamed over it, removed on failure.
  const { default: writeFileAtomic } = await import("write-file-atomic");
  try {
    await writeFileAtomic(file, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new CheckpointError(`[saveCheckpoint] could not write ${file}: ${(e as Error).message}`, { cause: e });
  }
}

/** Load a safetensors file (see `fromSafetensors` for `target`). */
export async function loadCheckpoint<T = any>(file: string, target?: unknown): Promise<T> {
  const { fs } = await nodeFs();
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(file));
  } catch (e) {
    throw new CheckpointError(`[loadCheckpoint] could not read ${file}: ${(e as Error).message}`, { cause: e });
  }
  try {
    return fromSafetensors<T>(bytes, target);
  } catch (e) {
    if (e instanceof CheckpointError) throw new CheckpointError(`${e.message} (file ${file})`, { cause: e });
    throw e;
  }
}
