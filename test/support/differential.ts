// Differential comparison of two modules with the GeneratedModule interface (the reference interpreter and
// a generated module, usually) on one spec, with seeded random inputs and targets. Returns every mismatch,
// naming what and where, so a failing test prints something useful.
import type { Spec } from "../../src/ir.js";
import type { EpochMetrics, GeneratedModule, OptimizerState, TensorLayout, TrainingReport, Vector } from "../../src/module-api.js";
import { createRng, type Rng } from "../../src/prng.js";

export interface Mismatch {
  /** The operation and quantity, e.g. "lossAndGradient.grad". */
  what: string;
  /** Where in it, e.g. "layer2.weight[3,1]", "history[1].loss". */
  where: string;
  a: unknown;
  b: unknown;
}

export interface CompareOptions {
  /** Seed of the random inputs, targets and parameters (default 1). */
  seed?: number;
  /** Samples in the batch for predict / lossAndGradient (default 5). */
  samples?: number;
  /** Samples in the training set for train() (default 12; test set: a third of that). */
  trainSamples?: number;
  /** Epochs of the short train() run (default 3). */
  epochs?: number;
  /** Relative tolerance: |a−b| ≤ tol·max(1,|a|,|b|). Default 1e-12 for f64 specs, 1e-4 for f32. */
  tolerance?: number;
  /** Tolerance for train() results (default: 1e-12 for f64, 2e-3 for f32). */
  trainTolerance?: number;
  /** Most mismatches listed per array before a summary line (default 3). */
  perArray?: number;
}

type ArrayType = Float64ArrayConstructor | Float32ArrayConstructor;

/** The element type a module works in, read off what its createParameters returns. */
function arrayTypeOf(module: GeneratedModule): ArrayType {
  return module.createParameters() instanceof Float32Array ? Float32Array : Float64Array;
}

/** "layer2.weight[3,1]" for flat index j, from the layout. */
export function locate(layout: readonly TensorLayout[], j: number): string {
  const tensor = layout.find((t) => j >= t.offset && j < t.offset + t.size);
  if (tensor === undefined) return `[${j}]`;
  const k = j - tensor.offset;
  if (tensor.shape.length === 2) return `${tensor.name}[${Math.floor(k / tensor.shape[1]!)},${k % tensor.shape[1]!}]`;
  return `${tensor.name}[${k}]`;
}

export function formatMismatches(mismatches: readonly Mismatch[]): string {
  return mismatches.map((m) => `${m.what} ${m.where}: a=${String(m.a)} b=${String(m.b)}`).join("\n");
}

class Collector {
  readonly list: Mismatch[] = [];
  constructor(
    private readonly perArray: number,
    private readonly layout: readonly TensorLayout[],
  ) {}

  close(a: number, b: number, tol: number): boolean {
    if (Number.isNaN(a) && Number.isNaN(b)) return true;
    if (a === b) return true;
    return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
  }
  number(what: string, where: string, a: number | null | undefined, b: number | null | undefined, tol: number): void {
    if (typeof a === "number" && typeof b === "number") {
      if (!this.close(a, b, tol)) this.list.push({ what, where, a, b });
    } else if (a !== b) this.list.push({ what, where, a, b });
  }
  same(what: string, where: string, a: unknown, b: unknown): void {
    if (JSON.stringify(a) !== JSON.stringify(b)) this.list.push({ what, where, a: JSON.stringify(a), b: JSON.stringify(b) });
  }
  /** Element-wise; `params` names indices by the parameter layout. */
  array(what: string, a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined, tol: number, params = false): void {
    if (a === undefined || b === undefined || a.length !== b.length) {
      this.list.push({ what, where: "length", a: a?.length, b: b?.length });
      return;
    }
    let bad = 0;
    for (let j = 0; j < a.length; j++) {
      if (this.close(a[j]!, b[j]!, tol)) continue;
      bad++;
      if (bad <= this.perArray) this.list.push({ what, where: params ? locate(this.layout, j) : `[${j}]`, a: a[j], b: b[j] });
    }
    if (bad > this.perArray) this.list.push({ what, where: `…and ${bad - this.perArray} more of ${a.length}`, a: "", b: "" });
  }
  attempt<T>(what: string, run: () => T): T | undefined {
    try {
      return run();
    } catch (error) {
      this.list.push({ what, where: "threw", a: "", b: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  }
}

/** Random values (float32-representable when `f32`), n of them. */
function values(rng: Rng, n: number, f32: boolean, draw: (rng: Rng) => number): number[] {
  return Array.from({ length: n }, () => (f32 ? Math.fround(draw(rng)) : draw(rng)));
}

/** Seeded inputs and valid targets: one-hot for softmax outputs, (0,1) for sigmoid outputs, (−1,1) otherwise. */
export function randomData(spec: Spec, count: number, rng: Rng, f32 = false): { xs: number[]; ys: number[] } {
  const xs = values(rng, count * spec.inputs, f32, (r) => 4 * r.uniform() - 2);
  const last = spec.layers[spec.layers.length - 1];
  const output = last !== undefined && last.kind === "dense" ? last.activation.kind : "linear";
  let ys: number[];
  if (output === "softmax" || spec.loss.kind === "categorical_crossentropy") {
    ys = [];
    for (let s = 0; s < count; s++) {
      const k = Math.floor(rng.uniform() * spec.outputs);
      for (let j = 0; j < spec.outputs; j++) ys.push(j === k ? 1 : 0);
    }
  } else if (output === "sigmoid") {
    ys = values(rng, count * spec.outputs, f32, (r) => 0.02 + 0.96 * r.uniform());
  } else {
    ys = values(rng, count * spec.outputs, f32, (r) => 2 * r.uniform() - 1);
  }
  return { xs, ys };
}

function compareState(c: Collector, what: string, a: OptimizerState, b: OptimizerState, tol: number): void {
  c.number(what, "t", a.t, b.t, 0);
  c.same(what, "slot names", Object.keys(a.slots).sort(), Object.keys(b.slots).sort());
  for (const name of Object.keys(a.slots)) {
    if (b.slots[name] !== undefined) c.array(`${what}.slots.${name}`, a.slots[name], b.slots[name], tol, true);
  }
}

function compareHistory(c: Collector, a: EpochMetrics[], b: EpochMetrics[], tol: number, accuracyTol: number): void {
  c.number("train.history", "length", a.length, b.length, 0);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    c.number("train.history", `[${i}].epoch`, x.epoch, y.epoch, 0);
    c.number("train.history", `[${i}].learningRate`, x.learningRate, y.learningRate, tol);
    c.number("train.history", `[${i}].loss`, x.loss, y.loss, tol);
    c.number("train.history", `[${i}].accuracy`, x.accuracy, y.accuracy, accuracyTol);
    c.number("train.history", `[${i}].testLoss`, x.testLoss, y.testLoss, tol);
    c.number("train.history", `[${i}].testAccuracy`, x.testAccuracy, y.testAccuracy, accuracyTol);
  }
}

/**
 * Compare modules `a` and `b` built from `spec`: meta, createParameters, predict, predictBatch (b's predict row by row when b has none), lossAndGradient (eval
 * mode with inputGradient, and training mode with dropout), evaluate, learningRate, three optimiser steps
 * at epochs 0, 1, 3, and a short train() with a test set. Inputs are fed to each module in its own
 * precision (the same values, float32-representable for f32 specs). For f32 specs whose short training
 * diverges in both modules (stoppedBy "non_finite"), only that is compared of the train() results.
 */
export function compareModules(a: GeneratedModule, b: GeneratedModule, spec: Spec, options: CompareOptions = {}): Mismatch[] {
  const f32 = spec.precision === "f32";
  const tol = options.tolerance ?? (f32 ? 1e-4 : 1e-12);
  const trainTol = options.trainTolerance ?? (f32 ? 2e-3 : 1e-12);
  const c = new Collector(options.perArray ?? 3, a.meta.layout);
  const rng = createRng(options.seed ?? 1);
  const samples = options.samples ?? 5;
  const trainSamples = options.trainSamples ?? 12;
  const epochs = options.epochs ?? 3;

  // meta
  for (const key of ["name", "specHash", "inputs", "outputs", "parameters", "precision", "loss", "optimizer", "activations", "training"] as const) {
    c.same("meta", key, a.meta[key], b.meta[key]);
  }
  c.same(
    "meta",
    "layout",
    a.meta.layout.map((t) => [t.name, t.offset, t.shape, t.size]),
    b.meta.layout.map((t) => [t.name, t.offset, t.shape, t.size]),
  );
  if (c.list.some((m) => m.where === "parameters" || m.where === "layout")) return c.list;

  const A = c.attempt("createParameters (a)", () => arrayTypeOf(a));
  const B = c.attempt("createParameters (b)", () => arrayTypeOf(b));
  if (A === undefined || B === undefined) return c.list;
  const toA = (v: ArrayLike<number>): Vector => A.from(v);
  const toB = (v: ArrayLike<number>): Vector => B.from(v);

  // createParameters: the spec's seed and an explicit one.
  c.array("createParameters()", a.createParameters(), b.createParameters(), tol, true);
  c.array("createParameters(12345)", a.createParameters(12345), b.createParameters(12345), tol, true);

  // Common parameters for everything below: the spec's init where it is not all zeros, else random.
  const P = a.meta.parameters;
  const base = Array.from(a.createParameters());
  const random = values(rng, P, f32, (r) => r.gaussian() * 0.5);
  const params = base.every((v) => v === 0) ? random : base.map((v) => (f32 ? Math.fround(v) : v));

  // predict
  const batch = randomData(spec, samples, rng, f32);
  for (let s = 0; s < samples; s++) {
    const x = batch.xs.slice(s * spec.inputs, (s + 1) * spec.inputs);
    const pa = c.attempt("predict (a)", () => a.predict(toA(params), toA(x)));
    const pb = c.attempt("predict (b)", () => b.predict(toB(params), toB(x)));
    if (pa && pb) c.array(`predict(sample ${s})`, pa, pb, tol);
  }
  // predictBatch (the interpreter has none: its predict row by row stands in), over the same rows.
  if (a.predictBatch !== undefined) {
    const rowByRow = (m: GeneratedModule, to: (v: ArrayLike<number>) => Vector): number[] =>
      Array.from({ length: samples }, (_, s) => Array.from(m.predict(to(params), to(batch.xs.slice(s * spec.inputs, (s + 1) * spec.inputs))))).flat();
    const pa = c.attempt("predictBatch (a)", () => a.predictBatch!(toA(params), toA(batch.xs), samples));
    const pb = c.attempt("predictBatch (b)", () => (b.predictBatch ? b.predictBatch(toB(params), toB(batch.xs), samples) : rowByRow(b, toB)));
    if (pa && pb) c.array("predictBatch", pa, pb, tol);
  }

  // lossAndGradient, eval mode, with the input gradient.
  {
    const ga = new A(P);
    const gb = new B(P);
    const ia = new A(samples * spec.inputs);
    const ib = new B(samples * spec.inputs);
    const la = c.attempt("lossAndGradient (a)", () => a.lossAndGradient(toA(params), toA(batch.xs), toA(batch.ys), samples, ga, { inputGradient: ia }));
    const lb = c.attempt("lossAndGradient (b)", () => b.lossAndGradient(toB(params), toB(batch.xs), toB(batch.ys), samples, gb, { inputGradient: ib }));
    c.number("lossAndGradient.loss", "eval", la, lb, tol);
    c.array("lossAndGradient.grad (eval)", ga, gb, tol, true);
    c.array("lossAndGradient.inputGradient", ia, ib, tol);
  }
  // Training mode (dropout masks from the seed).
  {
    const ga = new A(P);
    const gb = new B(P);
    const la = c.attempt("lossAndGradient training (a)", () =>
      a.lossAndGradient(toA(params), toA(batch.xs), toA(batch.ys), samples, ga, { training: true, dropoutSeed: 99 }),
    );
    const lb = c.attempt("lossAndGradient training (b)", () =>
      b.lossAndGradient(toB(params), toB(batch.xs), toB(batch.ys), samples, gb, { training: true, dropoutSeed: 99 }),
    );
    c.number("lossAndGradient.loss", "training", la, lb, tol);
    c.array("lossAndGradient.grad (training)", ga, gb, tol, true);
  }

  // evaluate
  {
    const ea = c.attempt("evaluate (a)", () => a.evaluate(toA(params), toA(batch.xs), toA(batch.ys), samples));
    const eb = c.attempt("evaluate (b)", () => b.evaluate(toB(params), toB(batch.xs), toB(batch.ys), samples));
    if (ea && eb) {
      c.number("evaluate", "loss", ea.loss, eb.loss, tol);
      c.number("evaluate", "accuracy", ea.accuracy, eb.accuracy, f32 ? 1.5 / samples : tol);
    }
  }

  // learningRate
  for (const e of [0, 1, 2, 3, 5, 10]) c.number("learningRate", `epoch ${e}`, a.learningRate(e), b.learningRate(e), tol);

  // Optimiser steps at epochs 0, 1, 3 from the same params and gradient.
  {
    const pa = toA(params);
    const pb = toB(params);
    const sa = a.createOptimizer();
    const sb = b.createOptimizer();
    compareState(c, "createOptimizer", sa, sb, 0);
    const gradient = values(rng, P, f32, (r) => r.gaussian());
    for (const e of [0, 1, 3]) {
      const ga = toA(gradient);
      const gb = toB(gradient);
      c.attempt("step (a)", () => a.step(pa, ga, sa, e));
      c.attempt("step (b)", () => b.step(pb, gb, sb, e));
      c.array(`step(epoch ${e}).grad with L2`, ga, gb, tol, true);
      c.array(`step(epoch ${e}).params`, pa, pb, tol, true);
      compareState(c, `step(epoch ${e}).state`, sa, sb, tol);
    }
  }

  // A short train() with a test set.
  {
    const data = randomData(spec, trainSamples, rng, f32);
    const testCount = Math.max(1, Math.floor(trainSamples / 3));
    const test = randomData(spec, testCount, rng, f32);
    const run = (m: GeneratedModule, to: (v: ArrayLike<number>) => Vector) => {
      const p = to(params);
      const batches: number[] = [];
      const report = m.train(p, to(data.xs), to(data.ys), trainSamples, {
        epochs,
        test: { xs: to(test.xs), ys: to(test.ys), count: testCount },
        onBatch: (_e, _b, _n, loss) => void batches.push(loss),
      });
      return { p, report, batches };
    };
    const ra = c.attempt("train (a)", () => run(a, toA));
    const rb = c.attempt("train (b)", () => run(b, toB));
    if (ra && rb) {
      const x: TrainingReport = ra.report;
      const y: TrainingReport = rb.report;
      c.same("train", "stoppedBy", x.stoppedBy, y.stoppedBy);
      // A diverging f32 run overflows earlier than a float64 one: when both diverged, where they stopped
      // and with what is a matter of precision, not of a difference in the code.
      if (f32 && x.stoppedBy === "non_finite" && y.stoppedBy === "non_finite") return c.list;
      c.number("train", "epochs", x.epochs, y.epochs, 0);
      c.number("train", "bestEpoch", x.bestEpoch, y.bestEpoch, 0);
      compareHistory(c, x.history, y.history, trainTol, f32 ? 1.5 / Math.min(trainSamples, testCount) : trainTol);
      c.array("train onBatch losses", ra.batches, rb.batches, trainTol);
      c.array("train params", ra.p, rb.p, trainTol, true);
      compareState(c, "train.optimizer", x.optimizer, y.optimizer, trainTol);
    }
  }
  return c.list;
}
