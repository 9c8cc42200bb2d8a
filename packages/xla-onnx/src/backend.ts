// The "onnx" backend: buffers are onnxruntime Tensors; compile(jaxpr) lowers
// the whole Jaxpr to one ONNX graph and runs it in an InferenceSession.
//
// Sessions run synchronously through onnxruntime-node's native binding (see
// ort.ts), so every buffer holds a computed tensor: `x.dataSync()` and
// `await x.data()` both work at once, as reads do in JAX after a blocking call.
import {
  DropVar,
  Jaxpr,
  JaxprEqn,
  Literal,
  Var,
  getBackend,
  type Backend,
  type Device,
  type Executable,
  type ShapedArray,
  type TypedArray,
} from "@jaxts/core";
import { DT, fromF16Bits, onnxType, ortType, toOrtData } from "./dtypes.js";
import { jaxprKey } from "./key.js";
import { lowerInto, whyNotLowerable } from "./lower/jaxpr.js";
import "./lower/index.js";
import { SyncSession, ort, type OrtSessionOptions, type OrtTensor } from "./ort.js";
import { GraphBuilder, IR_VERSION, OPSET, modelBytes } from "./proto.js";

// ---------------------------------------------------------------------------
// Buffers

/**
 * A handle to an onnxruntime tensor. Every result is computed by the time the
 * call that produced it returns (see ort.ts), so a live buffer always holds its
 * tensor; disposing one handle leaves other handles to the tensor valid.
 */
export class OrtBuffer {
  disposed = false;
  constructor(private t: OrtTensor) {}

  get tensor(): OrtTensor {
    if (this.disposed) throw new Error("[onnx] buffer was disposed");
    return this.t;
  }

  /** Another handle to the same value. */
  alias(): OrtBuffer {
    return new OrtBuffer(this.tensor);
  }

  dispose(): void {
    this.disposed = true;
    this.t = null as unknown as OrtTensor;
  }
}

function hostToOrt(data: TypedArray, aval: ShapedArray): OrtTensor {
  return new ort.Tensor(ortType(aval.dtype), toOrtData(data, aval.dtype) as any, [...aval.shape]);
}

function ortToHost(t: OrtTensor, aval: ShapedArray): TypedArray {
  const d = t.data as ArrayLike<number>;
  if (aval.dtype.name === "float16") return fromF16Bits(d);
  const S = aval.dtype.storage;
  if (d instanceof S) return (d as TypedArray).slice();
  return S.from(d as ArrayLike<number>);
}

// ---------------------------------------------------------------------------
// Options and providers

export type ExecutionProvider = "cuda" | "cpu" | "tensorrt" | "webgpu" | string;

export interface OnnxBackendOptions {
  /** Execution providers in order of preference; default `['cuda', 'cpu']`. */
  executionProviders?: ExecutionProvider[];
  /** Threads used within one op (0 or undefined: ORT's default, all cores). */
  intraOpNumThreads?: number;
  /** Threads across ops (ORT's default when undefined). */
  interOpNumThreads?: number;
  /** ORT graph optimization level; default "all". */
  graphOptimizationLevel?: "disabled" | "basic" | "extended" | "layout" | "all";
  /** Make "onnx" the default backend (new arrays live there); default true. */
  setDefault?: boolean;
  /** Register under another name (default "onnx"). */
  name?: string;
  /**
   * onnxruntime's native log level, set before its first session (process-wide).
   * Default "fatal": failures reach you as exceptions, and the CUDA provider's
   * expected load failure on machines without it stays quiet.
   */
  logLevel?: "verbose" | "info" | "warning" | "error" | "fatal";
}

export interface BackendInfo {
  name: string;
  /** The providers sessions are created with now. */
  executionProviders: string[];
  /** The providers asked for. */
  requestedProviders: string[];
  /** Why the requested providers were replaced (e.g. the CUDA libraries are missing). */
  fallbackReason: string | null;
  /** Number of sessions created / compile requests served from the structural cache. */
  sessions: number;
  cacheHits: number;
  /** Equations that ran on the CPU backend for want of a lowering. */
  cpuFallbacks: number;
  opset: number;
  irVersion: number;
}

let ortStarted = false;
const warned = new Set<string>();
function warnOnce(key: string, msg: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(msg);
}

// ---------------------------------------------------------------------------
// Plans: a Jaxpr split into ONNX segments and CPU-fallback equations

interface OnnxSegment {
  kind: "onnx";
  inputs: number[];
  outputs: number[];
  outAvals: ShapedArray[];
  inNames: string[];
  outNames: string[];
  bytes: Uint8Array;
  /** Created on first run. */
  session: SyncSession | null;
}

interface CpuSegment {
  kind: "cpu";
  inputs: (number | Literal)[];
  inAvals: ShapedArray[];
  outputs: (number | null)[];
  outAvals: ShapedArray[];
  exe: Executable;
}

interface Plan {
  nInputs: number;
  segments: (OnnxSegment | CpuSegment)[];
  outputs: (number | Literal)[];
  outAvals: ShapedArray[];
}

export class OnnxBackend implements Backend {
  readonly name: string;
  readonly devices: readonly Device[];
  private providers: string[];
  private readonly requested: string[];
  private fallbackReason: string | null = null;
  private readonly plans = new Map<string, Plan>();
  private stats = { sessions: 0, cacheHits: 0, cpuFallbacks: 0 };

  constructor(readonly options: OnnxBackendOptions = {}) {
    this.name = options.name ?? "onnx";
    this.requested = [...(options.executionProviders ?? ["cuda", "cpu"])];
    this.providers = [...this.requested];
    const self = this;
    this.devices = [
      {
        platform: "onnx",
        id: 0,
        backend: self,
        toString: () => `OnnxDevice(${self.providers[0] ?? "cpu"})`,
      },
    ];
  }

  info(): BackendInfo {
    return {
      name: this.name,
      executionProviders: [...this.providers],
      requestedProviders: [...this.requested],
      fallbackReason: this.fallbackReason,
      ...this.stats,
      opset: OPSET,
      irVersion: IR_VERSION,
    };
  }

  // --- buffers ---

  put(data: TypedArray, aval: ShapedArray): OrtBuffer {
    return new OrtBuffer(hostToOrt(data, aval));
  }

  async read(buf: unknown, aval: ShapedArray): Promise<TypedArray> {
    return ortToHost((buf as OrtBuffer).tensor, aval);
  }

  readSync(buf: unknown, aval: ShapedArray): TypedArray {
    return ortToHost((buf as OrtBuffer).tensor, aval);
  }

  dispose(buf: unknown): void {
    (buf as OrtBuffer).dispose();
  }

  // --- sessions ---

  private sessionOptions(providers: string[], quiet = false): OrtSessionOptions {
    const o = this.options;
    return {
      ...(quiet ? { logSeverityLevel: 4 as const } : {}),
      executionProviders: providers,
      graphOptimizationLevel: o.graphOptimizationLevel ?? "all",
      ...(o.intraOpNumThreads !== undefined ? { intraOpNumThreads: o.intraOpNumThreads } : {}),
      ...(o.interOpNumThreads !== undefined ? { interOpNumThreads: o.interOpNumThreads } : {}),
    };
  }

  /** Create a session; when a non-CPU provider fails to load, switch to ['cpu'] once and for all. */
  createSession(bytes: Uint8Array, outNames: readonly string[], quiet = false): SyncSession {
    if (!ortStarted) {
      // onnxruntime reads its log level once, when the first session starts.
      ort.env.logLevel = this.options.logLevel ?? "fatal";
      ortStarted = true;
    }
    const providers = this.providers;
    try {
      const s = new SyncSession(bytes, this.sessionOptions(providers, quiet), outNames);
      this.stats.sessions++;
      return s;
    } catch (e) {
      const msg = String((e as Error)?.message ?? e);
      const nonCpu = providers.filter((p) => p !== "cpu");
      if (nonCpu.length > 0 && isProviderError(msg, nonCpu)) {
        if (this.providers === providers) {
          this.providers = ["cpu"];
          this.fallbackReason = msg;
          warnOnce(
            `providers:${this.name}`,
            `[@jaxts/xla-onnx] execution provider ${nonCpu.join("/")} is unavailable (${msg.split("\n")[0]}); using ONNX Runtime's CPU provider`,
          );
        }
        const s = new SyncSession(bytes, this.sessionOptions(this.providers), outNames);
        this.stats.sessions++;
        return s;
      }
      throw e;
    }
  }

  /** Probe the providers once with a tiny model (so `info()` is accurate after init). */
  probe(): void {
    const g = new GraphBuilder();
    g.addInput("x", DT.FLOAT, [1]);
    const y = g.op("Identity", ["x"]);
    g.addOutput(y, DT.FLOAT, [1]);
    this.createSession(modelBytes(g.toGraph()), [y], true).release();
  }

  // --- compile ---

  compile(jaxpr: Jaxpr): Executable {
    const key = jaxprKey(jaxpr);
    let plan = this.plans.get(key);
    if (plan) this.stats.cacheHits++;
    else {
      plan = this.buildPlan(jaxpr);
      this.plans.set(key, plan);
    }
    const p = plan;
    return { execute: (inputs) => this.run(p, inputs as OrtBuffer[]) };
  }

  /** Number of cached plans (one per structurally distinct Jaxpr). */
  get cacheSize(): number {
    return this.plans.size;
  }

  private buildPlan(jaxpr: Jaxpr): Plan {
    const nums = new Map<Var, number>();
    let n = 0;
    for (const v of [...jaxpr.constvars, ...jaxpr.invars]) nums.set(v, n++);
    for (const e of jaxpr.eqns) for (const v of e.outvars) nums.set(v, n++);
    const avalOf = new Map<number, ShapedArray>();
    for (const [v, k] of nums) avalOf.set(k, v.aval);

    // Which equations lower; runs of lowerable ones become one ONNX segment each.
    const groups: { onnx: boolean; eqns: JaxprEqn[] }[] = [];
    for (const e of jaxpr.eqns) {
      const why = whyNotLowerable(e);
      const ok = why === null;
      if (!ok) {
        warnOnce(`eqn:${why}`, `[@jaxts/xla-onnx] ${why}; running it on the CPU backend`);
      }
      const last = groups[groups.length - 1];
      if (ok && last?.onnx) last.eqns.push(e);
      else groups.push({ onnx: ok, eqns: [e] });
    }

    // Uses after each group: a value defined in a group is an output if read later.
    const usedLater: Set<number>[] = groups.map(() => new Set());
    const finalOuts = new Set<number>(jaxpr.outvars.filter((a): a is Var => a instanceof Var).map((v) => nums.get(v)!));
    let acc = new Set<number>(finalOuts);
    for (let k = groups.length - 1; k >= 0; k--) {
      usedLater[k] = new Set(acc);
      for (const e of groups[k]!.eqns) for (const a of e.inputs) if (a instanceof Var) acc.add(nums.get(a)!);
    }

    const segments: Plan["segments"] = groups.map((grp, k) => {
      if (!grp.onnx) {
        const e = grp.eqns[0]!;
        this.stats.cpuFallbacks++;
        const invars = e.inputs.map((a) => new Var(a.aval));
        const outvars = e.outvars.map((v) => new Var(v.aval));
        const one = new Jaxpr([], invars, [new JaxprEqn(e.primitive, invars, e.params, outvars)], outvars);
        return {
          kind: "cpu",
          inputs: e.inputs.map((a) => (a instanceof Literal ? a : nums.get(a)!)),
          inAvals: e.inputs.map((a) => a.aval),
          outputs: e.outvars.map((v) => (v instanceof DropVar ? null : nums.get(v)!)),
          outAvals: e.outvars.map((v) => v.aval),
          exe: getBackend("cpu").compile(one),
        } satisfies CpuSegment;
      }
      return this.buildOnnxSegment(grp.eqns, nums, avalOf, usedLater[k]!);
    });

    return {
      nInputs: jaxpr.constvars.length + jaxpr.invars.length,
      segments,
      outputs: jaxpr.outvars.map((a) => (a instanceof Literal ? a : nums.get(a as Var)!)),
      outAvals: jaxpr.outvars.map((a) => a.aval),
    };
  }

  private buildOnnxSegment(eqns: JaxprEqn[], nums: Map<Var, number>, avalOf: Map<number, ShapedArray>, usedLater: Set<number>): OnnxSegment {
    const g = new GraphBuilder();
    const defined = new Set<number>();
    for (const e of eqns) for (const v of e.outvars) if (!(v instanceof DropVar)) defined.add(nums.get(v)!);
    const inputs: number[] = [];
    const env = new Map<Var, string>();
    const inNames: string[] = [];
    for (const e of eqns) {
      for (const a of e.inputs) {
        if (!(a instanceof Var)) continue;
        const k = nums.get(a)!;
        if (defined.has(k) || env.has(a)) continue;
        const name = `in${inputs.length}`;
        inputs.push(k);
        inNames.push(name);
        env.set(a, name);
        g.addInput(name, onnxType(a.aval.dtype), a.aval.shape);
      }
    }
    lowerInto(g, eqns, env);
    const outputs: number[] = [];
    const outNames: string[] = [];
    const outAvals: ShapedArray[] = [];
    const taken = new Set<string>(inNames);
    const byNum = new Map<number, Var>();
    for (const [v, k] of nums) byNum.set(k, v);
    for (const k of [...defined].sort((a, b) => a - b)) {
      if (!usedLater.has(k)) continue;
      const v = byNum.get(k)!;
      let name = env.get(v)!;
      if (taken.has(name)) name = g.op("Identity", [name]);
      taken.add(name);
      outputs.push(k);
      outNames.push(name);
      outAvals.push(avalOf.get(k)!);
      g.addOutput(name, onnxType(v.aval.dtype), v.aval.shape);
    }
    return {
      kind: "onnx",
      inputs,
      outputs,
      outAvals,
      inNames,
      outNames,
      bytes: modelBytes(g.toGraph()),
      session: null,
    };
  }

  // --- execute ---

  private run(plan: Plan, inputs: OrtBuffer[]): OrtBuffer[] {
    if (inputs.length !== plan.nInputs) {
      throw new TypeError(`[onnx] program takes ${plan.nInputs} inputs, got ${inputs.length}`);
    }
    const env = new Map<number, OrtTensor>();
    inputs.forEach((b, i) => env.set(i, b.tensor));
    for (const seg of plan.segments) {
      if (seg.kind === "onnx") {
        if (seg.outputs.length === 0) continue;
        // A failed load throws here and leaves the segment without a session:
        // the next run tries again.
        seg.session ??= this.createSession(seg.bytes, seg.outNames);
        const feeds: Record<string, OrtTensor> = {};
        for (let i = 0; i < seg.inputs.length; i++) feeds[seg.inNames[i]!] = env.get(seg.inputs[i]!)!;
        const outs = seg.session.run(feeds);
        seg.outputs.forEach((k, i) => env.set(k, outs[i]!));
      } else {
        const outs = runCpu(seg, seg.inputs.map((k) => (k instanceof Literal ? k : env.get(k)!)));
        seg.outputs.forEach((k, i) => {
          if (k !== null) env.set(k, outs[i]!);
        });
      }
    }
    return plan.outputs.map((a, i) => {
      if (a instanceof Literal) {
        const data = new a.aval.dtype.storage(1);
        data[0] = a.val;
        return new OrtBuffer(hostToOrt(data, plan.outAvals[i]!));
      }
      return new OrtBuffer(env.get(a)!);
    });
  }
}

/** An equation without a lowering, on the CPU backend (host copies in and out). */
function runCpu(seg: CpuSegment, ins: (OrtTensor | Literal)[]): OrtTensor[] {
  const cpu = getBackend("cpu");
  const host = ins.map((t, i) => {
    if (t instanceof Literal) {
      const d = new t.aval.dtype.storage(1);
      d[0] = t.val;
      return d;
    }
    return ortToHost(t, seg.inAvals[i]!);
  });
  const outs = seg.exe.execute(host.map((d, i) => cpu.put(d, seg.inAvals[i]!)));
  return outs.map((b, i) => hostToOrt(cpu.readSync(b, seg.outAvals[i]!), seg.outAvals[i]!));
}

function isProviderError(msg: string, providers: string[]): boolean {
  if (/Failed to load shared library|ExecutionProvider|execution provider|not supported backend|backend not found|Providers|provider/i.test(msg)) return true;
  return providers.some((p) => msg.toLowerCase().includes(p.toLowerCase()));
}

