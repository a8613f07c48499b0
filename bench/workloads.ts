// Workloads W1–W5 of ANCHORS.md (W6, single-sample latency, reuses the W4 and W5 nets) and the
// convolutional W7 and W8 of issue 14 (training and latency): the net, loss, learning rate, batch size
// and amount of training, plus the shared initial parameters and batch order.
// Every contestant receives the same `BenchCase`, so ratios compare the same arithmetic.
import { Prng } from "./prng.js";
import { type Dataset, fashionData, genderData, lettersData, planarData, squareData, type Samples } from "./data.js";
import { checkNet, imageOffsets, imageSteps, layerOffsets, type NetShape, parameterCount } from "./net.js";

export type WorkloadId = "W1" | "W2" | "W3" | "W4" | "W5" | "W7" | "W8";

export type Mode = "full" | "quick";

export interface Workload {
  id: WorkloadId;
  title: string;
  /** The spec under bench/specs/ the nnc contestant compiles. */
  spec: string;
  net: NetShape;
  learningRate: number;
  batchSize: number;
  shuffle: boolean;
  /** How ANCHORS.md trains it (for the report). */
  anchorTraining: string;
  /** Samples pushed through one timed training run (the full anchor training where it fits the time budget). */
  timedSamples: Record<Mode, number>;
  /** What the throughput is counted in: samples (steps when the batch is 1) or iterations (full-batch). */
  unit: "steps/s" | "iterations/s" | "samples/s";
  /** Final loss evaluated on at most this many evaluation samples (default: all of them, quick runs 2 000). */
  evaluationSamples?: Record<Mode, number>;
  /** Single-sample latency is measured on this net (W6 for W4/W5; W7 and W8 measure their own). */
  latency: boolean;
  init: "xavier" | { normalStd: number };
  /** Seed for the initial parameters and for the batch order. */
  seed: number;
  load(log: (s: string) => void): Dataset;
}

export const WORKLOADS: Workload[] = [
  {
    id: "W1",
    title: "gender 2-2-1",
    spec: "w1-gender.nn",
    net: {
      layers: [
        { inputs: 2, outputs: 2, activation: "sigmoid" },
        { inputs: 2, outputs: 1, activation: "sigmoid" },
      ],
      loss: "mse",
    },
    learningRate: 0.1,
    batchSize: 1,
    shuffle: false,
    anchorTraining: "per-sample SGD, lr 0.1, 1000 epochs over 4 samples",
    timedSamples: { full: 4000, quick: 400 },
    unit: "steps/s",
    latency: false,
    init: "xavier",
    seed: 11,
    load: () => genderData(),
  },
  {
    id: "W2",
    title: "planar 2-4-1",
    spec: "w2-planar.nn",
    net: {
      layers: [
        { inputs: 2, outputs: 4, activation: "tanh" },
        { inputs: 4, outputs: 1, activation: "sigmoid" },
      ],
      loss: "binary_crossentropy",
    },
    learningRate: 1.2,
    batchSize: 400,
    shuffle: false,
    anchorTraining: "full batch (400), lr 1.2, 10 000 iterations, init N(0, 0.01²)",
    timedSamples: { full: 400 * 10000, quick: 400 * 500 },
    unit: "iterations/s",
    latency: false,
    init: { normalStd: 0.01 },
    seed: 3,
    load: () => planarData(400, 0.2, 4, 1),
  },
  {
    id: "W3",
    title: "square 1-32-1",
    spec: "w3-square.nn",
    net: {
      layers: [
        { inputs: 1, outputs: 32, activation: "relu" },
        { inputs: 32, outputs: 1, activation: "linear" },
      ],
      loss: "mse",
    },
    learningRate: 0.1,
    batchSize: 100,
    shuffle: true,
    anchorTraining: "batch 100, shuffled, lr 0.1, 200 epochs over 1000 samples",
    timedSamples: { full: 200 * 1000, quick: 20 * 1000 },
    unit: "samples/s",
    latency: false,
    init: "xavier",
    seed: 5,
    load: () => squareData(1000, -2, 2, 1),
  },
  {
    id: "W4",
    title: "letters 289-20-26",
    spec: "w4-letters.nn",
    net: {
      layers: [
        { inputs: 289, outputs: 20, activation: "sigmoid" },
        { inputs: 20, outputs: 26, activation: "sigmoid" },
      ],
      loss: "binary_crossentropy",
    },
    learningRate: 1.0,
    batchSize: 1024,
    shuffle: true,
    anchorTraining: "batch 1024, lr 1.0, 50 000 samples",
    timedSamples: { full: 50000, quick: 10240 },
    unit: "samples/s",
    latency: true,
    init: "xavier",
    seed: 7,
    load: () => lettersData(50000, 1),
  },
  {
    id: "W5",
    title: "fashion 784-128-10",
    spec: "w5-fashion.nn",
    net: {
      layers: [
        { inputs: 784, outputs: 128, activation: "relu" },
        { inputs: 128, outputs: 10, activation: "softmax" },
      ],
      loss: "categorical_crossentropy",
    },
    learningRate: 0.1,
    batchSize: 64,
    shuffle: true,
    anchorTraining: "batch 64, shuffled, lr 0.1, 3 epochs (timed: the first 10 240 samples of epoch 1)",
    // 160 batches of 64: steady-state throughput; 3 full epochs × 6 contestants × 3 rounds would not fit the budget.
    timedSamples: { full: 160 * 64, quick: 20 * 64 },
    unit: "samples/s",
    latency: true,
    init: "xavier",
    seed: 9,
    load: (log) => fashionData(log, 1),
  },
  {
    id: "W7",
    title: "letters CNN",
    spec: "w7-letters-cnn.nn",
    net: {
      image: {
        input: { channels: 1, height: 17, width: 17 },
        layers: [
          { kind: "conv", filters: 6, kernel: 5, padding: 0, activation: "relu" },
          { kind: "maxpool", size: 2 },
        ],
      },
      layers: [{ inputs: 216, outputs: 26, activation: "softmax" }],
      loss: "categorical_crossentropy",
    },
    learningRate: 0.1,
    batchSize: 128,
    shuffle: true,
    anchorTraining: "issue 14: batch 128, shuffled, SGD lr 0.1 (timed: the first 12 800 samples of epoch 1)",
    timedSamples: { full: 100 * 128, quick: 10 * 128 },
    evaluationSamples: { full: 5000, quick: 1000 },
    unit: "samples/s",
    latency: true,
    init: "xavier",
    seed: 13,
    load: () => lettersData(50000, 1),
  },
  {
    id: "W8",
    title: "Fashion LeNet",
    spec: "w8-fashion-cnn.nn",
    net: {
      image: {
        input: { channels: 1, height: 28, width: 28 },
        layers: [
          { kind: "conv", filters: 8, kernel: 3, padding: 1, activation: "relu" },
          { kind: "maxpool", size: 2 },
          { kind: "conv", filters: 16, kernel: 3, padding: 1, activation: "relu" },
          { kind: "maxpool", size: 2 },
        ],
      },
      layers: [
        { inputs: 784, outputs: 64, activation: "relu" },
        { inputs: 64, outputs: 10, activation: "softmax" },
      ],
      loss: "categorical_crossentropy",
    },
    // lr 0.1 (W5's) makes these first steps chaotic: after 80 batches float32 runs (nnc, TF.js, PyTorch)
    // and the float64 interpreter differ by 0.4–6 % in loss, past the bench's 1e-3 agreement check; at
    // 0.02 they agree to 4e-5 (docs/performance.md, "The conv workloads").
    learningRate: 0.02,
    batchSize: 64,
    shuffle: true,
    anchorTraining: "issue 14: batch 64, shuffled, SGD lr 0.02 (timed: the first 5 120 samples of epoch 1)",
    timedSamples: { full: 80 * 64, quick: 10 * 64 },
    // The float64 interpreter's predict takes ~8 ms on this net: 2 000 test images keep its evaluation at ~16 s.
    evaluationSamples: { full: 2000, quick: 500 },
    unit: "samples/s",
    latency: true,
    init: "xavier",
    seed: 17,
    load: (log) => fashionData(log, 1),
  },
];

for (const w of WORKLOADS) checkNet(w.net);

export function workloadById(id: string): Workload {
  const w = WORKLOADS.find((x) => x.id === id.toUpperCase());
  if (!w) throw new Error(`unknown workload ${id} (known: ${WORKLOADS.map((x) => x.id).join(", ")})`);
  return w;
}

/**
 * Initial parameters in the shared layout: weights by the workload's scheme, biases 0. Glorot for a conv
 * layer takes fan-in C·k² and fan-out F·k² (PyTorch's and Keras's convention); its weights are drawn in
 * the shared [F][C][kh][kw] order, image layers first.
 */
export function initialParameters(w: Workload): Float64Array {
  const rng = new Prng(w.seed);
  const p = new Float64Array(parameterCount(w.net));
  const image = imageOffsets(w.net);
  imageSteps(w.net).forEach((s, i) => {
    if (s.layer.kind !== "conv") return;
    const at = image[i]!.weights;
    const k2 = s.layer.kernel * s.layer.kernel;
    const n = s.layer.filters * s.input.channels * k2;
    const limit = Math.sqrt(6 / (s.input.channels * k2 + s.layer.filters * k2));
    for (let k = 0; k < n; k++) p[at + k] = w.init === "xavier" ? rng.uniform(-limit, limit) : rng.normal() * w.init.normalStd;
  });
  const offsets = layerOffsets(w.net);
  w.net.layers.forEach((l, i) => {
    const at = offsets[i]!.weights;
    const limit = Math.sqrt(6 / (l.inputs + l.outputs));
    for (let k = 0; k < l.inputs * l.outputs; k++) {
      p[at + k] = w.init === "xavier" ? rng.uniform(-limit, limit) : rng.normal() * w.init.normalStd;
    }
  });
  return p;
}

/**
 * The exact sequence of mini-batches of one timed run: batch b holds samples
 * indices[starts[b] .. starts[b] + sizes[b]). Each epoch is a fresh seeded permutation (or 0..n-1 when the
 * workload does not shuffle) cut into consecutive batches; the last batch of an epoch may be smaller.
 */
export interface BatchPlan {
  indices: Int32Array;
  starts: Int32Array;
  sizes: Int32Array;
  /** 0-based epoch of each batch (for optimiser schedules). */
  epochs: Int32Array;
  batches: number;
  samples: number;
}

export function batchPlan(count: number, batchSize: number, shuffle: boolean, seed: number, samples: number): BatchPlan {
  const rng = new Prng(seed ^ 0x5eed);
  const indices: number[] = [];
  const starts: number[] = [];
  const sizes: number[] = [];
  const epochs: number[] = [];
  let epoch = 0;
  while (indices.length < samples) {
    const order = shuffle ? rng.permutation(count) : Int32Array.from({ length: count }, (_, i) => i);
    for (let s = 0; s < count && indices.length < samples; s += batchSize) {
      const size = Math.min(batchSize, count - s);
      starts.push(indices.length);
      sizes.push(size);
      epochs.push(epoch);
      for (let k = 0; k < size; k++) indices.push(order[s + k]!);
    }
    epoch++;
  }
  return {
    indices: Int32Array.from(indices),
    starts: Int32Array.from(starts),
    sizes: Int32Array.from(sizes),
    epochs: Int32Array.from(epochs),
    batches: sizes.length,
    samples: indices.length,
  };
}

/** The samples the final loss (and accuracy) is measured on: the test set when there is one, else up to 10 000 training samples. */
export function evaluationSet(d: Dataset): Samples {
  if (d.test) return d.test;
  const n = Math.min(d.count, 10000);
  return { count: n, xs: d.xs.subarray(0, n * d.inputs), ys: d.ys.subarray(0, n * d.outputs) };
}

/** Everything a contestant needs for one workload: identical for all of them. */
export interface BenchCase {
  workload: Workload;
  data: Dataset;
  /** Initial parameters (float64, shared layout); contestants copy, never modify. */
  params: Float64Array;
  plan: BatchPlan;
  evaluation: Samples;
}

/** Quick runs evaluate the final loss on at most this many samples (evaluation of 10 000 in the interpreter would dominate them). */
const QUICK_EVALUATION = 2000;

export function benchCase(w: Workload, data: Dataset, mode: Mode, samples = w.timedSamples[mode]): BenchCase {
  const e = evaluationSet(data);
  const n = Math.min(e.count, w.evaluationSamples?.[mode] ?? (mode === "quick" ? QUICK_EVALUATION : e.count));
  return {
    workload: w,
    data,
    params: initialParameters(w),
    plan: batchPlan(data.count, w.batchSize, w.shuffle, w.seed, samples),
    evaluation: { count: n, xs: e.xs.subarray(0, n * data.inputs), ys: e.ys.subarray(0, n * data.outputs) },
  };
}
