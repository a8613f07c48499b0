// ONNX Runtime as an inference peer (issue 16): the web developer's other way to run a model trained
// elsewhere. The bench's own network and parameters are exported with nnc's ONNX exporter
// (src/onnx/write.ts, float32, opset 13) and run by onnxruntime-node (native CPU execution provider,
// its best of 1 and 2 intra-op threads) or onnxruntime-web (WebAssembly SIMD, one thread: its threaded
// build needs cross-origin isolation in a page, and in Node it is what a user of the wasm build gets).
// It trains nothing: the runner measures it in the first-forward check, single-sample latency and
// batched inference only.
import { createRequire } from "node:module";
import { join } from "node:path";
import { type Contestant, type Evaluation, scoreOutputs } from "../contestant.js";
import type { BenchCase, Workload } from "../workloads.js";
import { importSrc, SPEC_DIR } from "./module.js";

type Backend = "node" | "web";

/** The part of onnxruntime-common's API the bench uses (both packages re-export it). */
interface OrtTensor {
  data: Float32Array;
}
interface OrtSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
interface Ort {
  InferenceSession: { create(bytes: Uint8Array, options?: object): Promise<OrtSession> };
  Tensor: new (type: "float32", data: Float32Array, dims: number[]) => OrtTensor;
  env: { wasm: { numThreads?: number; simd?: boolean } };
}

/** Samples per batched-inference call: the evaluation set in one run, as a user scores a data set. */
export interface BatchedInference {
  /** Seconds of one forward pass over `count` samples, outputs read back. */
  batched(count: number): Promise<number>;
}

const versionOf = (pkg: string): string => {
  try {
    // Neither package exports its package.json; read it through its resolved entry's folder.
    const require = createRequire(import.meta.url);
    const main = require.resolve(pkg);
    const root = main.slice(0, main.lastIndexOf(`node_modules/${pkg}/`) + `node_modules/${pkg}/`.length);
    return (require(join(root, "package.json")) as { version: string }).version;
  } catch {
    return "?";
  }
};

export class OnnxRuntimeContestant implements Contestant, BatchedInference {
  readonly id: string;
  readonly label: string;
  /** The runner trains nothing here. */
  readonly inferenceOnly = true;
  private ort: Ort | null = null;
  private reason: string | null | undefined;
  private c!: BenchCase;
  private session: OrtSession | null = null;
  private threads = 1;
  private readonly probed = new Map<string, number>();
  private scale = 1;

  constructor(private readonly backend: Backend) {
    this.id = backend === "node" ? "ort-node" : "ort-web";
    this.label =
      backend === "node"
        ? `onnxruntime-node ${versionOf("onnxruntime-node")} (CPU EP, native)`
        : `onnxruntime-web ${versionOf("onnxruntime-web")} (wasm SIMD, 1 thread)`;
  }

  async available(): Promise<string | null> {
    if (this.reason === undefined) {
      try {
        const mod = (await import(this.backend === "node" ? "onnxruntime-node" : "onnxruntime-web")) as unknown as Ort & { default?: Ort };
        this.ort = mod.InferenceSession ? mod : mod.default!;
        if (this.backend === "web") this.ort.env.wasm.numThreads = 1;
        this.reason = null;
      } catch (e) {
        this.reason = `${this.id} skipped: ${(e as Error).message.split("\n")[0]}`;
      }
    }
    return this.reason;
  }

  async describe(): Promise<string> {
    return this.backend === "node"
      ? "the bench's net and parameters exported by nnc export (float32, opset 13), InferenceSession with graph optimisation 'all', intra-op threads 1 or 2 per case (the faster in a probe before timing)"
      : "the bench's net and parameters exported by nnc export (float32, opset 13), onnxruntime-web's WebAssembly SIMD build run in Node, env.wasm.numThreads 1";
  }

  unsupported(w: Workload): string | null {
    return w.latency ? null : "inference peer: measured on the workloads with a latency row only";
  }

  note(): string | null {
    return this.backend === "node" ? `${this.threads} intra-op thread${this.threads === 1 ? "" : "s"} (probed)` : null;
  }

  private async open(threads: number): Promise<OrtSession> {
    const { loadSpec } = (await importSrc("front/index.js")) as { loadSpec: (p: string) => { normalize: string; data?: { scale?: number } } };
    const { exportOnnx } = (await importSrc("onnx/write.js")) as { exportOnnx: (i: object) => Uint8Array };
    const spec = loadSpec(join(SPEC_DIR, this.c.workload.spec));
    const n = this.c.data.inputs;
    // Identity statistics and the data scale divided out of the input, as the module contestants feed it.
    this.scale = spec.data?.scale ?? 1;
    const bytes = exportOnnx({
      spec,
      params: this.c.params,
      normalization: { kind: spec.normalize, offset: new Array<number>(n).fill(0), scale: new Array<number>(n).fill(1) },
    });
    const options =
      this.backend === "node" ? { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: "all" } : { graphOptimizationLevel: "all" };
    return this.ort!.InferenceSession.create(bytes, options);
  }

  async setup(c: BenchCase): Promise<void> {
    this.c = c;
    let threads = this.probed.get(c.workload.id);
    if (threads === undefined) {
      threads = 1;
      if (this.backend === "node") {
        // The user's best thread count: a short probe of batched inference at 1 and 2 threads.
        let best = Infinity;
        for (const t of [1, 2]) {
          this.session = await this.open(t);
          await this.batched(Math.min(1024, c.evaluation.count));
          const start = performance.now();
          for (let r = 0; r < 3; r++) await this.batched(Math.min(1024, c.evaluation.count));
          const seconds = performance.now() - start;
          await this.session.release();
          if (seconds < best) [best, threads] = [seconds, t];
        }
      }
      this.probed.set(c.workload.id, threads);
    }
    this.threads = threads;
    this.session = await this.open(threads);
  }

  async train(): Promise<number | undefined> {
    throw new Error(`${this.id} is an inference peer: it does not train`);
  }

  /** Raw input rows for the exported graph (its first node multiplies by the data scale). */
  private rows(from: Float64Array, count: number): Float32Array {
    const x = new Float32Array(count * this.c.data.inputs);
    for (let i = 0; i < x.length; i++) x[i] = from[i]! / this.scale;
    return x;
  }

  private async run(x: Float32Array, count: number): Promise<Float32Array> {
    const s = this.session!;
    const map = this.c.workload.net.image?.input;
    const dims = map ? [count, map.channels, map.height, map.width] : [count, this.c.data.inputs];
    const out = await s.run({ [s.inputNames[0]!]: new this.ort!.Tensor("float32", x, dims) });
    return out[s.outputNames[0]!]!.data;
  }

  async forward(count: number): Promise<Float64Array> {
    return Float64Array.from(await this.run(this.rows(this.c.evaluation.xs, count), count));
  }

  async evaluate(): Promise<Evaluation> {
    const e = this.c.evaluation;
    return scoreOutputs(await this.forward(e.count), e.ys, e.count, this.c.data.outputs, this.c.workload.net.loss);
  }

  async parameters(): Promise<Float64Array> {
    return Float64Array.from(this.c.params);
  }

  async batched(count: number): Promise<number> {
    const x = this.rows(this.c.evaluation.xs, count);
    const start = performance.now();
    await this.run(x, count);
    return (performance.now() - start) / 1000;
  }

  async latency(x: Float64Array, calls: number): Promise<number> {
    const input = this.rows(x, 1);
    const warm = Math.max(10, Math.floor(calls / 10));
    for (let i = 0; i < warm; i++) await this.run(input, 1);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) await this.run(input, 1);
    return Number(process.hrtime.bigint() - t0) / 1000 / calls;
  }

  async dispose(): Promise<void> {
    await this.session?.release();
    this.session = null;
  }
}
