// What every benchmark contestant implements. The runner gives each the same BenchCase (data, initial
// parameters, batch plan), times `train()` (one pass over the plan), then asks for the loss it reached.
// Single-sample latency (W6) is measured separately by `latency()`.
import type { BatchPlan, BenchCase } from "./workloads.js";

export interface Evaluation {
  /** Mean loss over the evaluation set, by the workload's loss definition (src/ir.ts LossKind). */
  loss: number;
  /** Fraction correct (arg-max, or > 0.5 for one sigmoid output); null for regression. */
  accuracy: number | null;
}

export interface Contestant {
  /** Short id used on the command line and in results.json, e.g. "tfjs-wasm". */
  readonly id: string;
  /** Name in the report, e.g. "TF.js wasm SIMD (raw-ops loop)". */
  readonly label: string;
  /** Returns null when it can run here, or the reason it is skipped (printed as a notice). */
  available(): Promise<string | null>;
  /** Version / configuration details for the report (backend, SIMD, threads, …). */
  describe(): Promise<string>;
  /** Copy the case's parameters and data in (untimed). Called before every timed run, so each run starts from the same init. */
  setup(c: BenchCase): Promise<void>;
  /**
   * Train through the whole batch plan once (timed by the runner). Out-of-process peers return the
   * seconds they measured around their own loop (so process I/O is not counted); in-process ones return undefined.
   */
  train(): Promise<number | undefined>;
  /** Loss (and accuracy) of the current parameters on the case's evaluation set (untimed). */
  evaluate(): Promise<Evaluation>;
  /** The current parameters in the shared float64 layout (tests compare them). */
  parameters(): Promise<Float64Array>;
  /**
   * Final-layer outputs for the first `count` samples of the case's evaluation set at the current
   * parameters, float64, row-major (the runner's first-forward agreement check and the tests use it).
   */
  forward(count: number): Promise<Float64Array>;
  /** Why this contestant does not run a workload (null: it does); the runner then skips it there with a notice. */
  unsupported?(w: BenchCase["workload"]): string | null;
  /** How the last setup configured itself for the case (a peer's probed thread count, say), for the report. */
  note?(): string | null;
  /** Mean microseconds per single-sample forward pass, x given as a JS array and the output read back to JS, over `calls` calls. */
  latency(x: Float64Array, calls: number): Promise<number>;
  /** An inference peer (ONNX Runtime): the runner times no training for it, only forward passes. */
  readonly inferenceOnly?: boolean;
  /** Batched inference: seconds of one forward pass over the first `count` evaluation samples, outputs computed (issue 16). */
  batched?(count: number): Promise<number>;
  /** False where a contestant has `batched` but is not measured with it (the reference interpreter). */
  readonly measuresBatched?: boolean;
  dispose(): Promise<void>;
}

/** Times `calls` calls of a synchronous single-sample predict after a warm-up; µs per call. */
export function timeCalls(predict: () => unknown, calls: number): number {
  const warm = Math.max(10, Math.floor(calls / 10));
  let sink: unknown;
  for (let i = 0; i < warm; i++) sink = predict();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) sink = predict();
  const t1 = process.hrtime.bigint();
  if (sink === undefined) throw new Error("predict returned nothing");
  return Number(t1 - t0) / 1000 / calls;
}

/** Loss and accuracy from a batch of final-layer outputs, by the workload's loss; shared by the JS contestants. */
export function scoreOutputs(
  outputs: ArrayLike<number>,
  ys: ArrayLike<number>,
  count: number,
  width: number,
  loss: BenchCase["workload"]["net"]["loss"],
): Evaluation {
  let total = 0;
  let correct = 0;
  const eps = 1e-12;
  for (let s = 0; s < count; s++) {
    let best = 0;
    let bestTarget = 0;
    for (let k = 0; k < width; k++) {
      const a = outputs[s * width + k]!;
      const y = ys[s * width + k]!;
      if (loss === "mse") total += ((a - y) * (a - y)) / width;
      else if (loss === "binary_crossentropy") total -= y * Math.log(Math.max(a, eps)) + (1 - y) * Math.log(Math.max(1 - a, eps));
      else total -= y * Math.log(Math.max(a, eps));
      if (a > outputs[s * width + best]!) best = k;
      if (y > ys[s * width + bestTarget]!) bestTarget = k;
    }
    if (width === 1) correct += outputs[s]! > 0.5 === ys[s]! > 0.5 ? 1 : 0;
    else correct += best === bestTarget ? 1 : 0;
  }
  const classification = loss !== "mse" || isBinaryTargets(ys, count * width);
  return { loss: total / count, accuracy: classification ? correct / count : null };
}

function isBinaryTargets(ys: ArrayLike<number>, n: number): boolean {
  for (let i = 0; i < n; i++) if (ys[i] !== 0 && ys[i] !== 1) return false;
  return true;
}

type Rows = Float64Array | Float32Array;

/**
 * Rows of at most this many values are copied into a batch buffer by a plain loop; longer rows by
 * `set(subarray(…))`, whose per-row view allocation then costs less than the loop's element-by-element
 * copy (crossover measured on this machine: docs/performance.md, "Harness").
 */
export const LOOP_COPY_MAX_WIDTH = 16;

/** Copies the rows indices[start .. start + count) of src (width values each) into dst, packed: one shuffled batch. */
export function gatherRows(src: Rows, width: number, indices: Int32Array, start: number, count: number, dst: Rows): void {
  if (width <= LOOP_COPY_MAX_WIDTH) {
    for (let k = 0; k < count; k++) {
      const from = indices[start + k]! * width;
      const to = k * width;
      for (let i = 0; i < width; i++) dst[to + i] = src[from + i]!;
    }
  } else {
    for (let k = 0; k < count; k++) {
      const from = indices[start + k]! * width;
      dst.set(src.subarray(from, from + width), k * width);
    }
  }
}

/**
 * An unshuffled plan repeats one epoch's batches, each a contiguous range of the data: views of them made
 * once, untimed (as a user slices a fixed data set once), so the training loop allocates nothing.
 * Batch b of the plan is views[b % views.length].
 */
export function epochViews<V extends Rows>(plan: BatchPlan, xs: V, ys: V, inputs: number, outputs: number): { x: V; y: V }[] {
  const perEpoch = plan.epochs.indexOf(1) === -1 ? plan.batches : plan.epochs.indexOf(1);
  const views: { x: V; y: V }[] = [];
  for (let b = 0; b < plan.batches; b++) {
    const first = plan.indices[plan.starts[b]!]!;
    const size = plan.sizes[b]!;
    for (let k = 1; k < size; k++)
      if (plan.indices[plan.starts[b]! + k] !== first + k) throw new Error(`batch ${b} of an unshuffled plan is not a contiguous range`);
    if (b < perEpoch)
      views.push({ x: xs.subarray(first * inputs, (first + size) * inputs) as V, y: ys.subarray(first * outputs, (first + size) * outputs) as V });
    else if (views[b % perEpoch]!.x.byteOffset !== xs.byteOffset + first * inputs * xs.BYTES_PER_ELEMENT || views[b % perEpoch]!.y.length !== size * outputs) {
      throw new Error(`batch ${b} of an unshuffled plan differs from batch ${b % perEpoch} of its first epoch`);
    }
  }
  return views;
}
