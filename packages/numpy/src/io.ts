// jnp.save / jnp.savez / jnp.load in NumPy's .npy and .npz formats, and
// jnp.frombuffer / jnp.fromstring (array data from bytes and from text).
//
// .npy (NumPy's format.py): the magic "\x93NUMPY", a version byte pair, the
// header length (uint16 little-endian for 1.0, uint32 for 2.0/3.0), then a
// Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces and a final "\n" so the data starts at a multiple of 64
// bytes, then the raw C-order element bytes. We write version 1.0 (2.0 only
// when the header would not fit), byte for byte as NumPy 2 writes it, and read
// 1.0, 2.0 and 3.0 in either byte order. No maintained npm package writes
// .npy, so the format is done here; .npz is a zip of "<name>.npy" entries,
// done with fflate.
//
// Dtypes: bool, int8/16/32, uint8/16/32, float16/32/64. int64/uint64 data
// loads as int32/uint32 (wrapping), as jnp.load does with x64 disabled.
// Fortran-order files are refused with an error naming the file.
//
// Files: `save`/`savez` write a temporary file in the target's directory and
// rename it over the target, so a failed save leaves an existing file intact.
// `load` takes a path or the file's bytes. `encodeNpy`/`decodeNpy`/
// `encodeNpz`/`decodeNpz` are the in-memory forms (no Node APIs).
import { Array, Tracer, dtype as toDType, float16FromBits, float16ToBits, fromTyped, type DType, type DTypeLike } from "@jaxts/core";
import { unzipSync, zipSync } from "fflate";
import { asarray } from "./creation.js";
import type { ArrayLike } from "./shape_util.js";

type TypedArray = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

export class NpyFormatError extends Error {
  override name = "NpyFormatError";
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const ALIGN = 64;
const GROWTH_AXIS_MAX_DIGITS = 21;

/** jaxts dtype → .npy descr (little-endian). */
const DESCR: Record<string, string> = {
  bool: "|b1",
  int8: "|i1",
  uint8: "|u1",
  int16: "<i2",
  uint16: "<u2",
  int32: "<i4",
  uint32: "<u4",
  float16: "<f2",
  float32: "<f4",
  float64: "<f8",
};

/** .npy type code (kind + size) → jaxts dtype; 8-byte integers canonicalize to 32 bits. */
const FROM_CODE: Record<string, string> = {
  b1: "bool",
  i1: "int8",
  u1: "uint8",
  i2: "int16",
  u2: "uint16",
  i4: "int32",
  u4: "uint32",
  i8: "int32",
  u8: "uint32",
  f2: "float16",
  f4: "float32",
  f8: "float64",
};

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;


// --- encoding

function concreteArray(op: string, a: ArrayLike, what: string): Array {
  if (a instanceof Tracer) {
    throw new TypeError(`[${op}] ${what} is a traced value (${a.aval.toString()}); save needs a concrete array, outside jit/vmap/grad`);
  }
  return asarray(a);
}

function pyShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** The header dict exactly as NumPy 2's format.write_array_header_1_0 writes it, with its padding. */
function npyHeader(descr: string, shape: readonly number[]): Uint8Array {
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${pyShape(shape)}, }`;
  if (shape.length > 0) dict += " ".repeat(GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length);
  for (const [major, lenBytes] of [
    [1, 2],
    [2, 4],
  ] as const) {
    const pre = MAGIC.length + 2 + lenBytes;
    const hlen = dict.length + 1;
    const padded = dict + " ".repeat((ALIGN - ((pre + hlen) % ALIGN)) % ALIGN) + "\n";
    if (major === 1 && padded.length >= 65536) continue;
    const out = new Uint8Array(pre + padded.length);
    out.set(MAGIC, 0);
    out[6] = major;
    out[7] = 0;
    const dv = new DataView(out.buffer);
    if (lenBytes === 2) dv.setUint16(8, padded.length, true);
    else dv.setUint32(8, padded.length, true);
    for (let i = 0; i < padded.length; i++) out[pre + i] = padded.charCodeAt(i);
    return out;
  }
  throw new NpyFormatError("[save] array header too long");
}

function dataBytes(a: Array): Uint8Array {
  const data = a.dataSync() as TypedArray;
  const name = a.dtype.name;
  if (name === "float16") {
    const out = new Uint8Array(data.length * 2);
    const dv = new DataView(out.buffer);
    for (let i = 0; i < data.length; i++) dv.setUint16(2 * i, float16ToBits(data[i]!), true);
    return out;
  }
  if (name === "bool") {
    const out = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = data[i] ? 1 : 0;
    return out;
  }
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const size = a.dtype.itemsize;
  if (LITTLE_ENDIAN || size === 1) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += size) for (let k = 0; k < size; k++) out[i + k] = bytes[i + size - 1 - k]!;
  return out;
}

/** The bytes of a .npy file holding `arr` (what jnp.save writes). */
export function encodeNpy(arr: ArrayLike): Uint8Array {
  return encodeNpyAs("encodeNpy", arr, "the array");
}

function encodeNpyAs(op: string, arr: ArrayLike, what: string): Uint8Array {
  const a = concreteArray(op, arr, what);
  const descr = DESCR[a.dtype.name];
  if (!descr) throw new NpyFormatError(`[${op}] unsupported dtype ${a.dtype.name} for ${what}`);
  const header = npyHeader(descr, a.shape);
  const body = dataBytes(a);
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

type SavezArgs = (ArrayLike | Record<string, ArrayLike>)[];

function isRecord(x: unknown): x is Record<string, ArrayLike> {
  return typeof x === "object" && x !== null && !(x instanceof Array) && !globalThis.Array.isArray(x) && !ArrayBuffer.isView(x);
}

/**
 * The bytes of a .npz file (what jnp.savez writes): positional arrays are
 * named arr_0, arr_1, ...; a trailing plain object adds arrays by name.
 */
export function encodeNpz(...args: SavezArgs): Uint8Array {
  return encodeNpzAs("encodeNpz", args);
}

function encodeNpzAs(op: string, args: SavezArgs): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  const named = args.length > 0 && isRecord(args[args.length - 1]) ? (args[args.length - 1] as Record<string, ArrayLike>) : {};
  const positional = args.length > 0 && isRecord(args[args.length - 1]) ? args.slice(0, -1) : args;
  positional.forEach((a, i) => {
    if (isRecord(a)) throw new TypeError(`[${op}] argument ${i + 1}: a name→array object must come last`);
    entries[`arr_${i}.npy`] = encodeNpyAs(op, a, `arr_${i}`);
  });
  for (const [k, v] of Object.entries(named)) {
    const key = `${k}.npy`;
    if (key in entries) throw new TypeError(`[${op}] cannot use un-named variables and keyword ${k}`);
    entries[key] = encodeNpyAs(op, v, `"${k}"`);
  }
  // NumPy's savez stores entries uncompressed (ZIP_STORED).
  return zipSync(entries, { level: 0 });
}

// --- decoding

const where = (file?: string) => (file ? ` in ${file}` : "");

interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  dataOffset: number;
}

function parseHeader(op: string, bytes: Uint8Array, file?: string): NpyHeader {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) {
    throw new NpyFormatError(`[${op}] not a .npy file${where(file)}: bad magic (expected "\\x93NUMPY")`);
  }
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (![1, 2, 3].includes(major) || minor !== 0) {
    throw new NpyFormatError(`[${op}] unsupported .npy format version ${major}.${minor}${where(file)}`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) throw new NpyFormatError(`[${op}] truncated header${where(file)}`);
  const hlen = lenBytes === 2 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = 8 + lenBytes;
  if (bytes.length < start + hlen) {
    throw new NpyFormatError(`[${op}] truncated header${where(file)}: needs ${start + hlen} bytes, file has ${bytes.length}`);
  }
  const raw = bytes.subarray(start, start + hlen);
  const text = major === 3 ? new TextDecoder().decode(raw) : String.fromCharCode(...raw);
  const bad = (why: string) => new NpyFormatError(`[${op}] malformed header${where(file)} (${why}): ${text.trim()}`);
  const descr = /['"]descr['"]\s*:\s*(['"])([^'"]*)\1/.exec(text);
  if (!descr) {
    if (/['"]descr['"]\s*:\s*\[/.test(text)) {
      throw new NpyFormatError(`[${op}] unsupported dtype${where(file)}: structured dtypes are not supported (${text.trim()})`);
    }
    throw bad("no 'descr'");
  }
  const fo = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  if (!fo) throw bad("no 'fortran_order'");
  const sh = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!sh) throw bad("no 'shape'");
  const shape = sh[1]!
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => (/^\d+L?$/.test(s) ? parseInt(s, 10) : NaN));
  if (shape.some((n) => !Number.isSafeInteger(n))) throw bad("bad 'shape'");
  return { descr: descr[2]!, fortranOrder: fo[1] === "True", shape, dataOffset: start + hlen };
}

/** An Array from the bytes of a .npy file (what jnp.load returns for one). */
export function decodeNpy(bytes: Uint8Array, file?: string): Array {
  return decodeNpyAs("decodeNpy", bytes, file);
}

function decodeNpyAs(op: string, bytes: Uint8Array, file?: string): Array {
  const h = parseHeader(op, bytes, file);
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(h.descr);
  const code = m ? `${m[2]}${m[3]}` : "";
  const dtName = FROM_CODE[code];
  if (!m || !dtName) {
    throw new NpyFormatError(
      `[${op}] unsupported dtype '${h.descr}'${where(file)}; supported: bool, int8-64, uint8-64, float16/32/64`,
    );
  }
  if (h.fortranOrder) {
    throw new NpyFormatError(`[${op}] Fortran-order arrays are not supported${where(file)}; save a C-contiguous array (np.ascontiguousarray)`);
  }
  const size = parseInt(m[3]!, 10);
  const big = m[1] === ">" || (m[1] === "=" && !LITTLE_ENDIAN);
  const n = h.shape.reduce((a, b) => a * b, 1);
  const need = n * size;
  const avail = bytes.length - h.dataOffset;
  if (avail < need) {
    throw new NpyFormatError(
      `[${op}] truncated data${where(file)}: shape ${pyShape(h.shape)} '${h.descr}' needs ${need} bytes, file has ${avail}`,
    );
  }
  const dt: DType = toDType(dtName);
  const dv = new DataView(bytes.buffer, bytes.byteOffset + h.dataOffset, need);
  return fromTyped(readElements(dv, m[2]!, size, !big, n, dt), h.shape, dt);
}

/**
 * n elements of NumPy type kind/size ('f' 4 = float32, ...) from `dv`, in the
 * given byte order, stored as `dt` (8-byte integers wrap to 32 bits).
 */
function readElements(dv: DataView, kind: string, size: number, le: boolean, n: number, dt: DType): TypedArray {
  const out = new dt.storage(n) as TypedArray;
  for (let i = 0; i < n; i++) {
    const o = i * size;
    let v: number;
    if (kind === "b") v = dv.getUint8(o) ? 1 : 0;
    else if (kind === "f") v = size === 2 ? float16FromBits(dv.getUint16(o, le)) : size === 4 ? dv.getFloat32(o, le) : dv.getFloat64(o, le);
    else if (kind === "i") v = size === 1 ? dv.getInt8(o) : size === 2 ? dv.getInt16(o, le) : size === 4 ? dv.getInt32(o, le) : Number(BigInt.asIntN(32, dv.getBigInt64(o, le)));
    else v = size === 1 ? dv.getUint8(o) : size === 2 ? dv.getUint16(o, le) : size === 4 ? dv.getUint32(o, le) : Number(BigInt.asUintN(32, dv.getBigUint64(o, le)));
    out[i] = v;
  }
  return out;
}

/** The dtype a `dtype` argument names, and the NumPy element type read for it (JAX's default `float`: float64 bytes, a float32 result). */
function bufferType(op: string, dtype: DTypeLike | null | undefined): { dt: DType; kind: string; size: number } {
  if (dtype === null || dtype === undefined) return { dt: toDType("float32"), kind: "f", size: 8 };
  let dt: DType;
  try {
    dt = toDType(dtype as any);
  } catch {
    throw new TypeError(`[${op}] data type ${JSON.stringify(String(dtype))} not understood`);
  }
  const code = DESCR[dt.name]!.slice(1);
  return { dt, kind: code[0]!, size: parseInt(code.slice(1), 10) };
}

/**
 * jnp.frombuffer(buffer, dtype = float, count = -1, offset = 0): the bytes
 * (little-endian) as a 1-D array. As JAX with x64 disabled, the default reads
 * float64 values into a float32 array.
 */
export function frombuffer(buffer: ArrayBufferLike | ArrayBufferView, dtype?: DTypeLike | null, count = -1, offset = 0): Array {
  const op = "frombuffer";
  const bytes = ArrayBuffer.isView(buffer) ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) : new Uint8Array(buffer);
  const { dt, kind, size } = bufferType(op, dtype);
  if (!Number.isInteger(offset) || offset < 0 || offset > bytes.length) {
    throw new RangeError(`[${op}] offset must be an integer in [0, ${bytes.length}], got ${offset}`);
  }
  const avail = bytes.length - offset;
  let n: number;
  if (count < 0) {
    if (avail % size !== 0) throw new RangeError(`[${op}] buffer size must be a multiple of element size (${avail} bytes, ${size}-byte elements)`);
    n = avail / size;
  } else {
    if (!Number.isInteger(count)) throw new TypeError(`[${op}] count must be an integer, got ${count}`);
    if (count * size > avail) throw new RangeError(`[${op}] buffer is smaller than requested size (${count} × ${size} bytes > ${avail})`);
    n = count;
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset + offset, n * size);
  return fromTyped(readElements(dv, kind, size, true, n, dt), [n], dt);
}

/**
 * jnp.fromstring(string, dtype = float, count = -1, {sep}): numbers in text,
 * separated by `sep` (whitespace around it is ignored; a blank `sep` is any
 * whitespace). The binary mode (sep "") is refused, as in NumPy and JAX.
 */
export function fromstring(text: string, dtype?: DTypeLike | null, count = -1, opts: { sep?: string } = {}): Array {
  const op = "fromstring";
  const sep = opts.sep ?? "";
  if (sep === "") throw new TypeError(`[${op}] the binary mode of fromstring is removed, use frombuffer instead (pass {sep})`);
  const { dt } = bufferType(op, dtype);
  const body = text.trim();
  const tokens = body === "" ? [] : sep.trim() === "" ? body.split(/\s+/) : body.split(sep.trim()).map((t) => t.trim());
  const n = count < 0 ? tokens.length : Math.min(count, tokens.length);
  if (count >= 0 && count > tokens.length) throw new RangeError(`[${op}] string holds ${tokens.length} items, ${count} requested`);
  const intLike = dt.kind !== "f";
  const values = tokens.slice(0, n).map((t) => {
    const v = t === "" ? NaN : Number(t);
    if (Number.isNaN(v) && !/^[+-]?nan$/i.test(t)) {
      throw new TypeError(`[${op}] string could not be read to its end due to unmatched data: ${JSON.stringify(t)}`);
    }
    if (intLike && !Number.isInteger(v)) throw new TypeError(`[${op}] ${JSON.stringify(t)} is not an integer (dtype ${dt.name})`);
    return v;
  });
  return asarray(values, dt);
}

function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

/** The arrays of a .npz file by name (the ".npy" suffix dropped), in file order. */
export function decodeNpz(bytes: Uint8Array, file?: string): Record<string, Array> {
  return decodeNpzAs("decodeNpz", bytes, file);
}

function decodeNpzAs(op: string, bytes: Uint8Array, file?: string): Record<string, Array> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    throw new NpyFormatError(`[${op}] not a readable .npz (zip) file${where(file)}: ${(e as Error).message}`, { cause: e });
  }
  const out: Record<string, Array> = {};
  for (const [name, data] of Object.entries(entries)) {
    if (name.endsWith("/")) continue;
    const key = name.endsWith(".npy") ? name.slice(0, -4) : name;
    out[key] = decodeNpyAs(op, data, `${file ?? "<bytes>"}:${name}`);
  }
  return out;
}

// --- files (Node)

async function nodeFs() {
  return { fs: await import("node:fs/promises") };
}

/** Write `bytes` to `file` atomically (write-file-atomic: a fsync'd temporary file renamed over it). */
async function writeAtomic(op: string, file: string, bytes: Uint8Array): Promise<void> {
  const { default: writeFileAtomic } = await import("write-file-atomic");
  try {
    await writeFileAtomic(file, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new Error(`[${op}] could not write ${file}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * jnp.save: write `arr` to `file` in .npy format (".npy" is appended when the
 * name lacks it, as NumPy does). The write is atomic: a temporary file in the
 * same directory renamed over the target. Returns the path written.
 */
export async function save(file: string, arr: ArrayLike): Promise<string> {
  const target = file.endsWith(".npy") ? file : `${file}.npy`;
  const bytes = encodeNpyAs("save", arr, "the array");
  await writeAtomic("save", target, bytes);
  return target;
}

/**
 * jnp.savez: write several arrays to `file` as an uncompressed .npz (".npz"
 * is appended when the name lacks it). Positional arrays are stored as arr_0,
 * arr_1, ...; a trailing plain object `{name: array}` stores arrays by name.
 * Atomic like `save`. Returns the path written.
 */
export async function savez(file: string, ...args: SavezArgs): Promise<string> {
  const target = file.endsWith(".npz") ? file : `${file}.npz`;
  const bytes = encodeNpzAs("savez", args);
  await writeAtomic("savez", target, bytes);
  return target;
}

/**
 * jnp.load: read a .npy file (an Array) or a .npz file (an object of Arrays
 * by name) from a path or from the file's bytes; the format is told from the
 * content. Errors name the file and the problem.
 */
export async function load(file: string | Uint8Array): Promise<Array | Record<string, Array>> {
  if (typeof file !== "string") return loadBytes("load", file);
  const { fs } = await nodeFs();
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(file));
  } catch (e) {
    throw new Error(`[load] could not read ${file}: ${(e as Error).message}`, { cause: e });
  }
  return loadBytes("load", bytes, file);
}

function loadBytes(op: string, bytes: Uint8Array, file?: string): Array | Record<string, Array> {
  if (isZip(bytes)) return decodeNpzAs(op, bytes, file);
  return decodeNpyAs(op, bytes, file);
}
