// TensorFlow.js peers: the cpu backend (pure JS kernels) and the wasm backend (XNNPACK, SIMD). Both run
// a raw-ops training loop, TF.js's fastest path: explicit matMul/add/activation ops forward and the
// backprop written with ops too (no gradient tape), inside tf.tidy, float32.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { type Contestant, type Evaluation, scoreOutputs, timeCalls } from "../contestant.js";
import { type BenchActivation, layerOffsets } from "../net.js";
import type { BenchCase } from "../workloads.js";

export type TfBackend = "cpu" | "wasm";

const require = createRequire(import.meta.url);
let wasmPathsSet = false;

async function useBackend(b: TfBackend): Promise<void> {
  if (b === "wasm" && !wasmPathsSet) {
    // Under Node the wasm binaries are read from the package's dist/ folder as a file path.
    const dist = join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + "/";
    setWasmPaths(dist);
    wasmPathsSet = true;
  }
  if (tf.getBackend() !== b) {
    // Production mode: TF.js skips its debug-time checks (and its "install tfjs-node" banner), as a tuned user would.
    tf.enableProdMode();
    const ok = await tf.setBackend(b);
    if (!ok) throw new Error(`TF.js backend ${b} failed to initialise`);
  }
  await tf.ready();
}

function activate(act: BenchActivation, z: tf.Tensor2D): tf.Tensor2D {
  switch (act) {
    case "linear":
      return z;
    case "sigmoid":
      return tf.sigmoid(z);
    case "tanh":
      return tf.tanh(z);
    case "relu":
      return tf.relu(z);
    case "softmax":
      return tf.softmax(z);
  }
}

/** d(act)/dz from the activation's output a (softmax is fused with its loss and never asked). */
function derivative(act: BenchActivation, a: tf.Tensor2D): tf.Tensor2D | null {
  switch (act) {
    case "sigmoid":
      return tf.sub(a, tf.square(a));
    case "tanh":
      return tf.sub(1, tf.square(a));
    case "relu":
      return tf.step(a, 0);
    default:
      return null;
  }
}

export class TfjsContestant implements Contestant {
  readonly id: string;
  readonly label: string;
  private c!: BenchCase;
  /** The case whose data tensors are loaded. */
  private loaded: BenchCase | null = null;
  private weights: tf.Variable<tf.Rank.R2>[] = [];
  private biases: tf.Variable<tf.Rank.R1>[] = [];
  private xs!: tf.Tensor2D;
  private ys!: tf.Tensor2D;
  private hasData = false;
  /** Per batch of the plan: its sample indices, or (workloads without shuffle) the gathered batch itself. */
  private batchIndices: tf.Tensor1D[] = [];
  private fixedBatches: { x: tf.Tensor2D; y: tf.Tensor2D }[] = [];
  private lr!: tf.Scalar;

  constructor(readonly backend: TfBackend) {
    this.id = `tfjs-${backend}`;
    this.label = backend === "cpu" ? "TF.js cpu (raw-ops loop)" : "TF.js wasm SIMD (raw-ops loop)";
  }

  async available(): Promise<string | null> {
    try {
      await useBackend(this.backend);
      if (this.backend === "wasm" && !(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"))) return "TF.js wasm backend runs without SIMD here";
      return null;
    } catch (e) {
      return `TF.js ${this.backend} backend unavailable: ${(e as Error).message}`;
    }
  }

  async describe(): Promise<string> {
    await useBackend(this.backend);
    const parts = [`@tensorflow/tfjs ${tf.version.tfjs}`, `backend ${tf.getBackend()}`];
    if (this.backend === "wasm") {
      parts.push(`SIMD ${await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")}`, `threads ${await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT")}`);
    }
    return parts.join(", ") + ", float32";
  }

  async setup(c: BenchCase): Promise<void> {
    await useBackend(this.backend);
    for (const t of [...this.weights, ...this.biases]) t.dispose();
    this.weights = [];
    this.biases = [];
    const offsets = layerOffsets(c.workload.net);
    c.workload.net.layers.forEach((l, k) => {
      const at = offsets[k]!;
      this.weights.push(tf.variable(tf.tensor2d(Float32Array.from(c.params.subarray(at.weights, at.bias)), [l.outputs, l.inputs], "float32")));
      this.biases.push(tf.variable(tf.tensor1d(Float32Array.from(c.params.subarray(at.bias, at.bias + l.outputs)), "float32")));
    });
    if (this.loaded !== c) this.loadCase(c);
    this.loaded = c;
    this.c = c;
  }

  /** Data, batch indices and the learning rate as tensors of this backend; kept across the rounds of one case. */
  private loadCase(c: BenchCase): void {
    this.disposeData();
    this.xs = tf.tensor2d(Float32Array.from(c.data.xs), [c.data.count, c.data.inputs], "float32");
    this.ys = tf.tensor2d(Float32Array.from(c.data.ys), [c.data.count, c.data.outputs], "float32");
    this.lr = tf.scalar(c.workload.learningRate);
    this.hasData = true;
    const { plan } = c;
    if (!c.workload.shuffle) {
      // Every epoch repeats the same batches: gather them once, as any TF.js user would.
      const perEpoch = plan.epochs.indexOf(1) === -1 ? plan.batches : plan.epochs.indexOf(1);
      for (let b = 0; b < perEpoch; b++) {
        const idx = tf.tensor1d(plan.indices.subarray(plan.starts[b]!, plan.starts[b]! + plan.sizes[b]!), "int32");
        this.fixedBatches.push({ x: tf.gather(this.xs, idx), y: tf.gather(this.ys, idx) });
        idx.dispose();
      }
    } else {
      for (let b = 0; b < plan.batches; b++) {
        this.batchIndices.push(tf.tensor1d(plan.indices.subarray(plan.starts[b]!, plan.starts[b]! + plan.sizes[b]!), "int32"));
      }
    }
  }

  private forward(x: tf.Tensor2D): tf.Tensor2D[] {
    const acts = [x];
    this.c.workload.net.layers.forEach((l, k) => {
      const z = tf.add(tf.matMul(acts[k]!, this.weights[k]!, false, true), this.biases[k]!) as tf.Tensor2D;
      acts.push(activate(l.activation, z));
    });
    return acts;
  }

  private step(x: tf.Tensor2D, y: tf.Tensor2D, count: number): void {
    tf.tidy(() => {
      const { layers, loss } = this.c.workload.net;
      const L = layers.length;
      const acts = this.forward(x);
      const out = acts[L]!;
      const last = layers[L - 1]!;
      let delta: tf.Tensor2D;
      if (loss === "mse") {
        const d = derivative(last.activation, out);
        delta = tf.mul(tf.sub(out, y), 2 / (count * last.outputs));
        if (d) delta = tf.mul(delta, d);
      } else {
        // sigmoid + binary CE and softmax + categorical CE: dL/dz = (a − y) / count.
        delta = tf.mul(tf.sub(out, y), 1 / count);
      }
      const updates: [tf.Variable, tf.Tensor][] = [];
      for (let k = L - 1; k >= 0; k--) {
        const gW = tf.matMul(delta, acts[k]!, true, false);
        const gb = tf.sum(delta, 0);
        updates.push([this.weights[k]!, gW], [this.biases[k]!, gb]);
        if (k > 0) {
          const back = tf.matMul(delta, this.weights[k]!) as tf.Tensor2D;
          const d = derivative(layers[k - 1]!.activation, acts[k]!);
          delta = d ? (tf.mul(back, d) as tf.Tensor2D) : back;
        }
      }
      for (const [v, g] of updates) v.assign(tf.sub(v, tf.mul(g, this.lr)));
    });
  }

  async train(): Promise<undefined> {
    const { plan } = this.c;
    if (this.fixedBatches.length > 0) {
      const n = this.fixedBatches.length;
      for (let b = 0; b < plan.batches; b++) {
        const fb = this.fixedBatches[b % n]!;
        this.step(fb.x, fb.y, plan.sizes[b]!);
      }
    } else {
      for (let b = 0; b < plan.batches; b++) {
        const idx = this.batchIndices[b]!;
        tf.tidy(() => this.step(tf.gather(this.xs, idx), tf.gather(this.ys, idx), plan.sizes[b]!));
      }
    }
    // Make sure every queued kernel has run before the clock stops.
    await this.weights[0]!.data();
    return undefined;
  }

  async evaluate(): Promise<Evaluation> {
    const e = this.c.evaluation;
    const outputs = tf.tidy(() => {
      const acts = this.forward(tf.tensor2d(Float32Array.from(e.xs), [e.count, this.c.data.inputs], "float32"));
      return acts[acts.length - 1]!;
    });
    const values = await outputs.data();
    outputs.dispose();
    return scoreOutputs(values, e.ys, e.count, this.c.data.outputs, this.c.workload.net.loss);
  }

  async parameters(): Promise<Float64Array> {
    const out = new Float64Array(this.c.params.length);
    const offsets = layerOffsets(this.c.workload.net);
    for (let k = 0; k < this.weights.length; k++) {
      out.set(await this.weights[k]!.data(), offsets[k]!.weights);
      out.set(await this.biases[k]!.data(), offsets[k]!.bias);
    }
    return out;
  }

  async latency(x: Float64Array, calls: number): Promise<number> {
    await useBackend(this.backend);
    const n = this.c.data.inputs;
    const input = Float32Array.from(x);
    return timeCalls(() => {
      const out = tf.tidy(() => {
        const acts = this.forward(tf.tensor2d(input, [1, n]));
        return acts[acts.length - 1]!;
      });
      const values = out.dataSync();
      out.dispose();
      return values;
    }, calls);
  }

  private disposeData(): void {
    for (const t of this.batchIndices) t.dispose();
    for (const b of this.fixedBatches) tf.dispose([b.x, b.y]);
    if (this.hasData) tf.dispose([this.xs, this.ys, this.lr]);
    this.hasData = false;
    this.loaded = null;
    this.batchIndices = [];
    this.fixedBatches = [];
  }

  /** Keeps the case's data tensors for the next round; `close()` frees everything. */
  async dispose(): Promise<void> {}

  async close(): Promise<void> {
    await useBackend(this.backend);
    for (const t of [...this.weights, ...this.biases]) t.dispose();
    this.weights = [];
    this.biases = [];
    this.disposeData();
  }
}
