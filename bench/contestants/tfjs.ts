// TensorFlow.js peers: the cpu backend (pure JS kernels) and the wasm backend (XNNPACK, SIMD). Both run
// a raw-ops training loop, TF.js's fastest path: explicit matMul/add/activation ops forward and the
// backprop written with ops too (no gradient tape), inside tf.tidy, float32. Conv nets (W7, W8) run NHWC
// (TF.js's native layout) with filters [kh][kw][C][F] and the first dense layer's inputs in H·W·C order:
// the shared NCHW / [F][C][kh][kw] / C-major parameters and data are converted once, untimed, and back in
// parameters() (bench/net.ts; the layouts are what test/bench/conv.test.ts checks).
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { type Contestant, type Evaluation, gatherRows, scoreOutputs, timeCalls } from "../contestant.js";
import { type BenchActivation, type ImageStep, imageOffsets, imageSteps, layerOffsets, mapSize, type NetShape } from "../net.js";
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

/**
 * How a contestant stores each layer's weights and forms the three products of a dense layer (forward
 * x·W, weight gradient, and the delta sent back). TF.js's wasm backend runs matMul with a transpose flag
 * ~10× slower than a plain one (XNNPACK is handed a transposed copy made element by element), so which
 * variant is fastest differs per backend; docs/performance.md has the measurements.
 * - weights "out-in": the bench's shared layout [outputs, inputs]; "in-out": [inputs, outputs], as tf.layers.dense stores it.
 * - transposes "flags": matMul's transposeA/transposeB flags; "explicit": tf.transpose of the smaller operand
 *   (weights or delta, never the batch of inputs) and plain matMuls; for fixed batches the transposed input
 *   batch is cached with the batch; "by-size": flags for products of at most FLAG_MAX_MACS multiply-adds
 *   (where an extra transpose op costs more than the flag), explicit above.
 * - foldLr: the learning rate is folded into the output delta once, instead of scaling every gradient.
 * - gather (shuffled workloads): "tf" gathers the batch with tf.gather from the data tensor; "js" copies the
 *   rows in JS (as the module contestants do) and uploads them with tf.tensor2d. TF.js's gather kernels
 *   index element by element and cost as much as a matMul of the batch on both backends.
 */
export interface TfVariant {
  weights: "out-in" | "in-out";
  transposes: "flags" | "explicit" | "by-size";
  foldLr: boolean;
  gather: "tf" | "js";
  /**
   * Conv nets, the filter gradient: "kernel" runs TF.js's Conv2DBackpropFilter (what tf.conv2d's gradient
   * uses; the wasm backend does not register it, so tf.grad of a conv2d fails there); "conv" computes it as
   * a conv2d of the batch seen as C images of N channels by the delta seen as an oh×ow filter
   * (dW[i][j][c][f] = Σ x[n][i+y][j+x][c]·δ[n][y][x][f]), one XNNPACK convolution of the forward's size
   * (slow when the output map is large: a 13×13×128 filter for W7); "im2col": the patches by a conv2d with
   * an identity filter [k, k, C, k²C] (made once), then δᵀ·patches, one plain matMul (cheap when k²C is
   * small); "auto": im2col when k²C ≤ IM2COL_MAX_TAPS, else conv.
   */
  filterGrad: "kernel" | "conv" | "im2col" | "auto";
  /**
   * Conv nets, the gradient sent to a conv layer's input: "kernel" by conv2dTranspose (Conv2DBackpropInput,
   * a plain loop on wasm); "conv" as the conv2d of δ with the filter flipped and its channels swapped,
   * padding k − 1 − p (an XNNPACK convolution).
   */
  inputGrad: "kernel" | "conv";
  /** Conv nets, forward: tf.fused.conv2d with bias and activation (one op) rather than conv2d, add, relu. */
  fused: boolean;
}

/** The fastest variant per backend, measured on W1–W5 here (docs/performance.md, "TF.js"); conv options on W7/W8. */
export const BEST_VARIANT: Record<TfBackend, TfVariant> = {
  cpu: { weights: "in-out", transposes: "flags", foldLr: true, gather: "js", filterGrad: "kernel", inputGrad: "kernel", fused: true },
  wasm: { weights: "in-out", transposes: "by-size", foldLr: true, gather: "js", filterGrad: "conv", inputGrad: "conv", fused: true },
};

/** filterGrad "auto" uses im2col up to this many patch values (k²·C) per position. */
const IM2COL_MAX_TAPS = 32;

/**
 * The shared parameters with the first dense layer's input columns reordered from the image stage's
 * C-major flattening (c·H·W + h·W + w, PyTorch's and nnc's) to NHWC's ((h·W + w)·C + c); `back` undoes it.
 */
export function denseColumnsForNhwc(net: NetShape, p: Float64Array, back = false): Float64Array {
  const q = Float64Array.from(p);
  const steps = imageSteps(net);
  if (steps.length === 0) return q;
  const { channels: C, height: H, width: W } = steps[steps.length - 1]!.output;
  const at = layerOffsets(net)[0]!.weights;
  const n = C * H * W;
  for (let o = 0; o < net.layers[0]!.outputs; o++) {
    for (let c = 0; c < C; c++)
      for (let hw = 0; hw < H * W; hw++) {
        const cm = at + o * n + c * H * W + hw;
        const hwc = at + o * n + hw * C + c;
        if (back) q[cm] = p[hwc]!;
        else q[hwc] = p[cm]!;
      }
  }
  return q;
}

/** Rows of C×H×W maps (NCHW) → rows of H×W×C (NHWC), as float32; a copy when C = 1 (the layouts coincide). */
export function rowsToNhwc(xs: ArrayLike<number>, count: number, m: { channels: number; height: number; width: number }): Float32Array {
  const out = new Float32Array(count * m.channels * m.height * m.width);
  const hw = m.height * m.width;
  const n = m.channels * hw;
  for (let s = 0; s < count; s++) for (let c = 0; c < m.channels; c++) for (let i = 0; i < hw; i++) out[s * n + i * m.channels + c] = xs[s * n + c * hw + i]!;
  return out;
}

/** A conv filter [F][C][kh][kw] (shared, PyTorch's) → [kh][kw][C][F] (TF.js's), or back. */
export function filterToTf(w: ArrayLike<number>, F: number, C: number, k: number, back = false): Float64Array {
  const out = new Float64Array(F * C * k * k);
  for (let f = 0; f < F; f++)
    for (let c = 0; c < C; c++)
      for (let i = 0; i < k; i++)
        for (let j = 0; j < k; j++) {
          const pt = ((f * C + c) * k + i) * k + j;
          const tfi = ((i * k + j) * C + c) * F + f;
          if (back) out[pt] = w[tfi]!;
          else out[tfi] = w[pt]!;
        }
  return out;
}

/** Products up to this many multiply-adds keep matMul's transpose flag in the "by-size" variant. */
const FLAG_MAX_MACS = 32_768;

const FILTER_GRAD: Record<TfVariant["filterGrad"], string> = {
  kernel: "by the Conv2DBackpropFilter kernel",
  conv: "as a conv2d of the transposed batch by the delta (wasm registers no Conv2DBackpropFilter)",
  im2col: "as δᵀ·patches, the patches by a conv2d with an identity filter (wasm registers no Conv2DBackpropFilter)",
  auto: `as δᵀ·patches (identity-filter conv2d) up to ${IM2COL_MAX_TAPS} taps per patch, else as a conv2d of the transposed batch by the delta (wasm registers no Conv2DBackpropFilter)`,
};

export function describeVariant(v: TfVariant): string {
  return `weights [${v.weights === "in-out" ? "in, out" : "out, in"}], ${v.transposes} transposes${v.foldLr ? ", lr folded into the delta" : ""}, ${v.gather === "js" ? "batches gathered in JS" : "tf.gather batches"}; conv nets: NHWC, ${v.fused ? "tf.fused.conv2d (bias + relu in the op)" : "conv2d + add + activation"}, filter gradient ${FILTER_GRAD[v.filterGrad]}, input gradient ${v.inputGrad === "kernel" ? "conv2dTranspose" : "a conv2d with the flipped filter"}, pool gradient the MaxPoolGrad kernel`;
}

export class TfjsContestant implements Contestant {
  readonly id: string;
  readonly label: string;
  private c!: BenchCase;
  /** The case whose data tensors are loaded. */
  private loaded: BenchCase | null = null;
  private weights: tf.Variable<tf.Rank.R2>[] = [];
  private biases: tf.Variable<tf.Rank.R1>[] = [];
  /** Conv nets: per image layer its filter [kh, kw, C, F] and bias (null for a pool). */
  private filters: ({ w: tf.Variable<tf.Rank.R4>; b: tf.Variable<tf.Rank.R1>; eye: tf.Tensor4D | null } | null)[] = [];
  private steps: ImageStep[] = [];
  private xs!: tf.Tensor2D;
  private ys!: tf.Tensor2D;
  private hasData = false;
  /** Per batch of the plan: its sample indices, or (workloads without shuffle) the gathered batch itself. */
  private batchIndices: tf.Tensor1D[] = [];
  /** The data as float32 JS arrays, for batches gathered in JS (variant gather "js"). */
  private xsJs: Float32Array | null = null;
  private ysJs: Float32Array | null = null;
  private fixedBatches: { x: tf.Tensor2D; y: tf.Tensor2D; xT: tf.Tensor2D | null }[] = [];
  private lr!: tf.Scalar;

  constructor(
    readonly backend: TfBackend,
    readonly variant: TfVariant = BEST_VARIANT[backend],
  ) {
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

  /**
   * The cpu backend on conv nets: its Conv2D and gradient kernels are scalar JS loops (a quick run measured
   * 62 samples/s on W7 and 7 on W8, under load), hours for a full bench; issue 14 compares with wasm only.
   * The conv path still runs on cpu when called directly (test/bench/conv.test.ts uses it as a cross-check).
   */
  unsupported(w: BenchCase["workload"]): string | null {
    return this.backend === "cpu" && w.net.image
      ? "TF.js cpu's conv kernels are scalar JS loops (7–60 samples/s here); issue 14 compares conv nets with the wasm backend"
      : null;
  }

  async describe(): Promise<string> {
    await useBackend(this.backend);
    const parts = [`@tensorflow/tfjs ${tf.version.tfjs}`, `backend ${tf.getBackend()}`];
    if (this.backend === "wasm") {
      parts.push(`SIMD ${await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")}`, `threads ${await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT")}`);
    }
    return parts.join(", ") + `, float32, ${describeVariant(this.variant)}`;
  }

  async setup(c: BenchCase): Promise<void> {
    await useBackend(this.backend);
    this.disposeParameters();
    const net = c.workload.net;
    const params = denseColumnsForNhwc(net, c.params);
    this.steps = imageSteps(net);
    const image = imageOffsets(net);
    this.filters = this.steps.map((st, i) => {
      if (st.layer.kind !== "conv") return null;
      const at = image[i]!;
      const { filters: F, kernel: k } = st.layer;
      const C = st.input.channels;
      const w = filterToTf(params.subarray(at.weights, at.bias), F, C, k);
      const taps = k * k * C;
      const im2col = this.variant.filterGrad === "im2col" || (this.variant.filterGrad === "auto" && taps <= IM2COL_MAX_TAPS);
      return {
        w: tf.variable(tf.tensor4d(Float32Array.from(w), [k, k, C, F], "float32")),
        b: tf.variable(tf.tensor1d(Float32Array.from(params.subarray(at.bias, at.bias + F)), "float32")),
        // im2col's identity filter: patch value (i, j, c) → channel (i·k + j)·C + c.
        eye: im2col ? tf.tidy(() => tf.reshape(tf.eye(taps), [k, k, C, taps]) as tf.Tensor4D) : null,
      };
    });
    const offsets = layerOffsets(net);
    net.layers.forEach((l, k) => {
      const at = offsets[k]!;
      const w = tf.tensor2d(Float32Array.from(params.subarray(at.weights, at.bias)), [l.outputs, l.inputs], "float32");
      this.weights.push(tf.variable(this.variant.weights === "in-out" ? tf.tidy(() => tf.transpose(w)) : w));
      if (this.variant.weights === "in-out") w.dispose();
      this.biases.push(tf.variable(tf.tensor1d(Float32Array.from(params.subarray(at.bias, at.bias + l.outputs)), "float32")));
    });
    if (this.loaded !== c) this.loadCase(c);
    this.loaded = c;
    this.c = c;
  }

  /** Data, batch indices and the learning rate as tensors of this backend; kept across the rounds of one case. */
  private loadCase(c: BenchCase): void {
    this.disposeData();
    // Conv nets: images stored NHWC once, as a TF.js user loads them (the same bytes when C = 1).
    const image = c.workload.net.image;
    const xs32 = image ? rowsToNhwc(c.data.xs, c.data.count, image.input) : Float32Array.from(c.data.xs);
    this.xs = tf.tensor2d(xs32, [c.data.count, c.data.inputs], "float32");
    this.ys = tf.tensor2d(Float32Array.from(c.data.ys), [c.data.count, c.data.outputs], "float32");
    this.lr = tf.scalar(c.workload.learningRate);
    this.hasData = true;
    const { plan } = c;
    if (!c.workload.shuffle) {
      // Every epoch repeats the same batches: gather them once, as any TF.js user would.
      const perEpoch = plan.epochs.indexOf(1) === -1 ? plan.batches : plan.epochs.indexOf(1);
      for (let b = 0; b < perEpoch; b++) {
        const idx = tf.tensor1d(plan.indices.subarray(plan.starts[b]!, plan.starts[b]! + plan.sizes[b]!), "int32");
        const x = tf.gather(this.xs, idx);
        // The transposed batch for the first layer's weight gradient xᵀ·δ, made once like the batch itself.
        const xT = this.variant.weights === "in-out" && this.variant.transposes !== "flags" ? tf.transpose(x) : null;
        this.fixedBatches.push({ x, y: tf.gather(this.ys, idx), xT });
        idx.dispose();
      }
    } else if (this.variant.gather === "js") {
      this.xsJs = xs32;
      this.ysJs = Float32Array.from(c.data.ys);
    } else {
      for (let b = 0; b < plan.batches; b++) {
        this.batchIndices.push(tf.tensor1d(plan.indices.subarray(plan.starts[b]!, plan.starts[b]! + plan.sizes[b]!), "int32"));
      }
    }
  }

  /**
   * Conv nets: the image layers on x (rows of H·W·C values) as NHWC maps. Returns each image layer's input
   * map and the last output (maps[i] is layer i's input, maps[i + 1] its output), and that output flattened.
   */
  private features(x: tf.Tensor2D): { maps: tf.Tensor4D[]; flat: tf.Tensor2D } {
    const i0 = this.c.workload.net.image!.input;
    const maps: tf.Tensor4D[] = [tf.reshape(x, [x.shape[0], i0.height, i0.width, i0.channels])];
    this.steps.forEach((st, i) => {
      const a = maps[i]!;
      const l = st.layer;
      if (l.kind === "conv") {
        const f = this.filters[i]!;
        if (this.variant.fused && (l.activation === "relu" || l.activation === "linear"))
          maps.push(tf.fused.conv2d({ x: a, filter: f.w, strides: 1, pad: l.padding, bias: f.b, activation: l.activation }));
        else maps.push(activate(l.activation, tf.add(tf.conv2d(a, f.w, 1, l.padding), f.b) as unknown as tf.Tensor2D) as unknown as tf.Tensor4D);
      } else {
        maps.push(tf.maxPool(a, l.size, l.size, "valid"));
      }
    });
    const last = maps[maps.length - 1]!;
    return { maps, flat: tf.reshape(last, [x.shape[0], last.size / x.shape[0]]) };
  }

  /** Backprop through the image layers from δ at the flattened output (already scaled like the dense deltas). */
  private imageBackward(maps: tf.Tensor4D[], dFlat: tf.Tensor2D, updates: [tf.Variable, tf.Tensor][]): void {
    let d: tf.Tensor4D = tf.reshape(dFlat, maps[maps.length - 1]!.shape);
    for (let i = this.steps.length - 1; i >= 0; i--) {
      const l = this.steps[i]!.layer;
      const input = maps[i]!;
      const output = maps[i + 1]!;
      if (l.kind === "maxpool") {
        // The gradient kernel tf.maxPool's own gradient runs (both backends register MaxPoolGrad).
        d = tf.engine().runKernel("MaxPoolGrad", { dy: d, input, output }, { filterSize: l.size, strides: l.size, pad: "valid" }) as tf.Tensor4D;
        continue;
      }
      const dAct = derivative(l.activation, output as unknown as tf.Tensor2D) as unknown as tf.Tensor4D | null;
      const dz: tf.Tensor4D = dAct ? tf.mul(d, dAct) : d;
      const f = this.filters[i]!;
      const [k, , C, F] = f.w.shape;
      let gW: tf.Tensor4D;
      if (this.variant.filterGrad === "kernel") {
        gW = tf
          .engine()
          .runKernel(
            "Conv2DBackpropFilter",
            { x: input, dy: dz },
            { strides: 1, pad: l.padding, dataFormat: "NHWC", filterShape: [k, k, C, F] },
          ) as tf.Tensor4D;
      } else if (f.eye) {
        // Patches [N·oh·ow, k²C] and δ [N·oh·ow, F]: δᵀ·patches = [F, k·k·C] → [k, k, C, F].
        const [n, oh, ow] = dz.shape;
        const rows = n * oh * ow;
        const patches = tf.reshape(tf.conv2d(input, f.eye, 1, l.padding), [rows, k * k * C]);
        const g = tf.matMul(tf.transpose(tf.reshape(dz, [rows, F])), patches);
        gW = tf.transpose(tf.reshape(g, [F, k, k, C]), [1, 2, 3, 0]);
      } else {
        // [N, Hp, Wp, C] → C images [Hp, Wp] of N channels; δ [N, oh, ow, F] → an [oh, ow, N, F] filter;
        // the result [C, k, k, F] → [k, k, C, F]. The padding is an explicit tf.pad: conv2d's own padding
        // gave a wrong gradient here for W8's first layer (C = 1, a 28×28×64 filter) on wasm.
        const p = l.padding;
        const padded =
          p > 0
            ? tf.pad(input, [
                [0, 0],
                [p, p],
                [p, p],
                [0, 0],
              ])
            : input;
        const r = tf.conv2d(tf.transpose(padded, [3, 1, 2, 0]), tf.transpose(dz, [1, 2, 0, 3]), 1, "valid");
        gW = tf.transpose(r, [1, 2, 0, 3]);
      }
      updates.push([f.w, gW], [f.b, tf.sum(dz, [0, 1, 2])]);
      if (i > 0) {
        if (this.variant.inputGrad === "kernel") d = tf.conv2dTranspose(dz, f.w, input.shape, 1, l.padding);
        // dx[n][y][x][c] = Σ δ[n][y+p−i][x+p−j][f]·w[i][j][c][f]: a conv2d of δ by w flipped in i, j with c, f swapped.
        else d = tf.conv2d(dz, tf.transpose(tf.reverse(f.w, [0, 1]), [0, 1, 3, 2]), 1, k - 1 - l.padding);
      }
    }
  }

  /** Forward through the net; `weights` default to the trained ones, stored as the variant says. */
  private forwardAll(x: tf.Tensor2D, weights: tf.Tensor2D[] = this.weights, layout: TfVariant = this.variant): tf.Tensor2D[] {
    return this.forwardDense(this.c.workload.net.image ? this.features(x).flat : x, weights, layout);
  }

  /** The dense layers from their input batch a0 (conv nets: the flattened image-stage output); acts[0] = a0. */
  private forwardDense(a0: tf.Tensor2D, weights: tf.Tensor2D[] = this.weights, layout: TfVariant = this.variant): tf.Tensor2D[] {
    const acts = [a0];
    this.c.workload.net.layers.forEach((l, k) => {
      const w = weights[k]!;
      let xw: tf.Tensor2D;
      if (layout.weights === "in-out") xw = tf.matMul(acts[k]!, w);
      else xw = layout.transposes === "flags" ? tf.matMul(acts[k]!, w, false, true) : tf.matMul(acts[k]!, tf.transpose(w));
      acts.push(activate(l.activation, tf.add(xw, this.biases[k]!)));
    });
    return acts;
  }

  /** ∂loss/∂W of layer k from its input batch a and its delta δ, in the variant's weight layout. */
  private weightGradient(a: tf.Tensor2D, delta: tf.Tensor2D, aT: tf.Tensor2D | null): tf.Tensor2D {
    const { weights, transposes } = this.variant;
    if (weights === "out-in") return transposes === "flags" ? tf.matMul(delta, a, true, false) : tf.matMul(tf.transpose(delta), a);
    if (transposes === "flags" || (transposes === "by-size" && a.size * delta.shape[1] <= FLAG_MAX_MACS)) return tf.matMul(a, delta, true, false);
    // xᵀ·δ = (δᵀ·x)ᵀ: transposes δ and the [out, in] product, both far smaller than the batch x.
    return aT ? tf.matMul(aT, delta) : tf.transpose(tf.matMul(tf.transpose(delta), a));
  }

  /** δ·W in the shared [out, in] sense: the delta sent back to layer k's inputs. */
  private backward(delta: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
    if (this.variant.weights === "out-in") return tf.matMul(delta, w);
    const { transposes } = this.variant;
    const flag = transposes === "flags" || (transposes === "by-size" && delta.shape[0] * w.size <= FLAG_MAX_MACS);
    return flag ? tf.matMul(delta, w, false, true) : tf.matMul(delta, tf.transpose(w));
  }

  private step(x: tf.Tensor2D, y: tf.Tensor2D, count: number, xT: tf.Tensor2D | null = null): void {
    tf.tidy(() => {
      const { layers, loss } = this.c.workload.net;
      const L = layers.length;
      const image = this.c.workload.net.image ? this.features(x) : null;
      const acts = this.forwardDense(image ? image.flat : x);
      const out = acts[L]!;
      const last = layers[L - 1]!;
      // With foldLr the delta carries the learning rate, so every gradient below is already lr·gradient.
      const scale = this.variant.foldLr ? this.c.workload.learningRate : 1;
      let delta: tf.Tensor2D;
      if (loss === "mse") {
        const d = derivative(last.activation, out);
        delta = tf.mul(tf.sub(out, y), (2 * scale) / (count * last.outputs));
        if (d) delta = tf.mul(delta, d);
      } else {
        // sigmoid + binary CE and softmax + categorical CE: dL/dz = (a − y) / count.
        delta = tf.mul(tf.sub(out, y), scale / count);
      }
      const updates: [tf.Variable, tf.Tensor][] = [];
      for (let k = L - 1; k >= 0; k--) {
        const gW = this.weightGradient(acts[k]!, delta, k === 0 ? xT : null);
        const gb = tf.sum(delta, 0);
        updates.push([this.weights[k]!, gW], [this.biases[k]!, gb]);
        if (k > 0) {
          const back = this.backward(delta, this.weights[k]!);
          const d = derivative(layers[k - 1]!.activation, acts[k]!);
          delta = d ? (tf.mul(back, d) as tf.Tensor2D) : back;
        } else if (image) {
          this.imageBackward(image.maps, this.backward(delta, this.weights[0]!), updates);
        }
      }
      for (const [v, g] of updates) v.assign(tf.sub(v, this.variant.foldLr ? g : tf.mul(g, this.lr)));
    });
  }

  async train(): Promise<undefined> {
    const { plan } = this.c;
    if (this.fixedBatches.length > 0) {
      const n = this.fixedBatches.length;
      for (let b = 0; b < plan.batches; b++) {
        const fb = this.fixedBatches[b % n]!;
        this.step(fb.x, fb.y, plan.sizes[b]!, fb.xT);
      }
    } else if (this.xsJs && this.ysJs) {
      const ni = this.c.data.inputs;
      const no = this.c.data.outputs;
      for (let b = 0; b < plan.batches; b++) {
        const size = plan.sizes[b]!;
        // Fresh arrays: the cpu backend keeps the array it is given as the tensor's storage.
        const bx = new Float32Array(size * ni);
        const by = new Float32Array(size * no);
        gatherRows(this.xsJs, ni, plan.indices, plan.starts[b]!, size, bx);
        gatherRows(this.ysJs, no, plan.indices, plan.starts[b]!, size, by);
        tf.tidy(() => this.step(tf.tensor2d(bx, [size, ni]), tf.tensor2d(by, [size, no]), size));
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
      const acts = this.forwardAll(tf.tensor2d(this.inputRows(e.xs, e.count), [e.count, this.c.data.inputs], "float32"));
      return acts[acts.length - 1]!;
    });
    const values = await outputs.data();
    outputs.dispose();
    return scoreOutputs(values, e.ys, e.count, this.c.data.outputs, this.c.workload.net.loss);
  }

  /** Rows of the shared data as this peer's float32 input rows (NHWC for conv nets). */
  private inputRows(xs: Float64Array, count: number): Float32Array {
    const image = this.c.workload.net.image;
    return image ? rowsToNhwc(xs, count, image.input) : Float32Array.from(xs.subarray(0, count * this.c.data.inputs));
  }

  async forward(count: number): Promise<Float64Array> {
    const outputs = tf.tidy(() => {
      const acts = this.forwardAll(tf.tensor2d(this.inputRows(this.c.evaluation.xs, count), [count, this.c.data.inputs], "float32"));
      return acts[acts.length - 1]!;
    });
    const values = await outputs.data();
    outputs.dispose();
    return Float64Array.from(values);
  }

  async parameters(): Promise<Float64Array> {
    const out = new Float64Array(this.c.params.length);
    const net = this.c.workload.net;
    const offsets = layerOffsets(net);
    for (let k = 0; k < this.weights.length; k++) {
      const w = this.variant.weights === "in-out" ? tf.transpose(this.weights[k]!) : this.weights[k]!;
      out.set(await w.data(), offsets[k]!.weights);
      if (w !== this.weights[k]) w.dispose();
      out.set(await this.biases[k]!.data(), offsets[k]!.bias);
    }
    const image = imageOffsets(net);
    for (let i = 0; i < this.filters.length; i++) {
      const f = this.filters[i];
      if (!f) continue;
      const [k, , C, F] = f.w.shape;
      out.set(filterToTf(await f.w.data(), F, C, k, true), image[i]!.weights);
      out.set(await f.b.data(), image[i]!.bias);
    }
    return denseColumnsForNhwc(net, out, true);
  }

  async latency(x: Float64Array, calls: number): Promise<number> {
    await useBackend(this.backend);
    const n = this.c.data.inputs;
    const image = this.c.workload.net.image;
    // Conv nets: the sample as NHWC, made once (a deployed model receives its input in its own layout).
    const input = image ? rowsToNhwc(x, 1, image.input) : Float32Array.from(x);
    // A deployed model's weights are fixed: a tuned user keeps them as [in, out] (made once, untimed) so
    // every call is a plain matMul, whatever layout training used.
    const deployed = this.variant.weights === "in-out" ? this.weights : this.weights.map((w) => tf.tidy(() => tf.transpose(w)));
    const plain: TfVariant = { ...this.variant, weights: "in-out" };
    try {
      return timeCalls(() => {
        const out = tf.tidy(() => {
          const acts = this.forwardAll(tf.tensor2d(input, [1, n]), deployed, plain);
          return acts[acts.length - 1]!;
        });
        const values = out.dataSync();
        out.dispose();
        return values;
      }, calls);
    } finally {
      if (deployed !== this.weights) tf.dispose(deployed);
    }
  }

  private disposeParameters(): void {
    for (const t of [...this.weights, ...this.biases]) t.dispose();
    for (const f of this.filters) if (f) tf.dispose(f.eye ? [f.w, f.b, f.eye] : [f.w, f.b]);
    this.weights = [];
    this.biases = [];
    this.filters = [];
  }

  private disposeData(): void {
    for (const t of this.batchIndices) t.dispose();
    for (const b of this.fixedBatches) tf.dispose(b.xT ? [b.x, b.y, b.xT] : [b.x, b.y]);
    if (this.hasData) tf.dispose([this.xs, this.ys, this.lr]);
    this.hasData = false;
    this.loaded = null;
    this.batchIndices = [];
    this.xsJs = null;
    this.ysJs = null;
    this.fixedBatches = [];
  }

  /** Keeps the case's data tensors for the next round; `close()` frees everything. */
  async dispose(): Promise<void> {}

  async close(): Promise<void> {
    await useBackend(this.backend);
    this.disposeParameters();
    this.disposeData();
  }
}
