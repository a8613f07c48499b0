// The gradient check itself: the module's analytic gradients (lossAndGradient) against central finite
// differences of the same module's loss, in float64, tensor by tensor, plus the input gradient; and for
// f32 modules, the f32 module against a float64 build of the same spec. Pure: no files, no printing.
import type { Spec } from "../ir.js";
import { ruleOf } from "../layers/index.js";
import type { GeneratedModule, TensorLayout, Vector } from "../module-api.js";
import { DEFAULT_CHECK_OPTIONS, autoCap, entryFails, relativeError, type CheckOptions } from "./options.js";
import { checkInputs, checkParameters, checkTargets, entriesToCheck, inputTensor, streamSeed } from "./inputs.js";
import { KinkProbe, hasKinks, kinkLayers, stepNearKink } from "./kinks.js";
import type { EntryDetail, RowReport, SpecReport } from "./report.js";
import { sci } from "./format.js";

export interface CheckInput {
  spec: Spec;
  /** The module under test (the spec's own precision). */
  module: GeneratedModule;
  /** For an f32 module: a float64 build of the same spec, which the finite differences run on. */
  float64Module?: GeneratedModule;
}

export function checkGradients(input: CheckInput, overrides: Partial<CheckOptions> = {}): SpecReport {
  const started = performance.now();
  const options: CheckOptions = { ...DEFAULT_CHECK_OPTIONS, ...overrides };
  const { spec, module } = input;
  const f64 = module.meta.precision === "f64" ? module : input.float64Module;
  if (!f64 || f64.meta.precision !== "f64") throw new Error(`checking an f32 module needs a float64 build of ${spec.name}`);

  const count = options.samples;
  const { params, source } = checkParameters(f64, options.parameters, options.seed);
  const xs = checkInputs(spec, count, options.seed);
  const ys = checkTargets(spec, count, options.seed);
  // Training mode when some layer draws from the dropout stream (its rule's drawsMasks).
  const training = spec.layers.some((l) => ruleOf(l).sample.drawsMasks);
  const dropoutSeed = training ? streamSeed(options.seed, "dropout") : null;
  const lossOptions = training ? { training: true, dropoutSeed: dropoutSeed! } : { training: false };

  // The analytic side, once.
  const grad = new Float64Array(f64.meta.parameters);
  const inputGrad = new Float64Array(count * spec.inputs);
  const lossValue = f64.lossAndGradient(params, xs, ys, count, grad, { ...lossOptions, inputGradient: inputGrad });

  // The numeric side: the loss alone (the gradient buffer is scratch).
  const scratch = new Float64Array(f64.meta.parameters);
  const lossAt = (): number => f64.lossAndGradient(params, xs, ys, count, scratch, lossOptions);
  const kinks = hasKinks(spec) ? kinkLayers(spec) : [];
  // Reads params and xs live, so it sees each perturbation.
  const probe = kinks.length > 0 ? new KinkProbe(spec, params, xs, count, dropoutSeed) : null;
  const afterParameter = probe && ((at: number) => probe.afterParameter(at));
  const afterInput = probe && ((at: number) => probe.afterInput(Math.floor(at / spec.inputs)));

  // Rounding in L(θ ± eps) grows with |L| and is divided by 2·eps, so the absolute floor is per unit of loss.
  const atol = options.atol * Math.max(1, Math.abs(lossValue));
  const cap = options.cap ?? autoCap(f64.meta.parameters, count);
  const scaled = { ...options, atol, cap };
  const rows: RowReport[] = [];
  f64.meta.layout.forEach((tensor, t) => {
    rows.push(differenceRow(tensor, "parameter", params, grad, lossAt, probe?.base ?? null, afterParameter, kinks, scaled, t));
  });
  const inputs = inputTensor(count, spec.inputs);
  rows.push(differenceRow(inputs, "input", xs, inputGrad, lossAt, probe?.base ?? null, afterInput, kinks, scaled, f64.meta.layout.length));

  if (module.meta.precision === "f32") rows.push(...compareF32(module, f64, params, xs, ys, count, lossOptions, options));

  return {
    model: spec.name,
    file: spec.fileName,
    precision: module.meta.precision,
    loss: spec.loss.kind,
    lossValue,
    training,
    dropoutSeed,
    parameters: source,
    samples: count,
    eps: options.eps,
    tolerance: options.tolerance,
    atol: options.atol,
    effectiveAtol: atol,
    cap,
    seed: options.seed,
    rows,
    passed: rows.every((r) => r.status === "pass"),
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * One tensor (a slice of `values` at tensor.offset) against central differences of the loss.
 * `analytic` holds the module's gradient for the same slice.
 */
function differenceRow(
  tensor: TensorLayout,
  kind: "parameter" | "input",
  values: Float64Array,
  analytic: Float64Array,
  lossAt: () => number,
  base: Float64Array[] | null,
  /** Pre-activations after values[at] changed (null when the spec has no kinks). */
  after: ((at: number) => Float64Array[]) | null,
  kinks: number[],
  options: CheckOptions,
  tensorIndex: number,
): RowReport {
  const row = emptyRow(tensor.name, kind, tensor.size);
  const tally = new Tally(options.tolerance, options.atol);
  for (const entry of entriesToCheck(tensor.size, options.cap!, options.seed, tensorIndex)) {
    const at = tensor.offset + entry;
    const original = values[at]!;
    values[at] = original + options.eps;
    const plus = lossAt();
    const zPlus = after?.(at) ?? null;
    values[at] = original - options.eps;
    const minus = lossAt();
    const zMinus = after?.(at) ?? null;
    values[at] = original;
    if (base && stepNearKink(base, zPlus!, zMinus!, kinks)) {
      row.skipped++;
      continue;
    }
    const numeric = (plus - minus) / (2 * options.eps);
    tally.add(entry, position(tensor, entry), analytic[at]!, numeric);
  }
  return tally.finish(row);
}

/**
 * The f32 module against the float64 build at the same point, rounded to float32 first so both see
 * identical inputs: the loss, the whole parameter gradient, and the input gradient.
 */
function compareF32(
  f32: GeneratedModule,
  f64: GeneratedModule,
  params: Float64Array,
  xs: Float64Array,
  ys: Float64Array,
  count: number,
  lossOptions: { training: boolean; dropoutSeed?: number },
  options: CheckOptions,
): RowReport[] {
  const p32 = Float32Array.from(params);
  const x32 = Float32Array.from(xs);
  const y32 = Float32Array.from(ys);
  const g32 = new Float32Array(params.length);
  const gx32 = new Float32Array(xs.length);
  const loss32 = f32.lossAndGradient(p32, x32, y32, count, g32, { ...lossOptions, inputGradient: gx32 });
  const g64 = new Float64Array(params.length);
  const gx64 = new Float64Array(xs.length);
  const loss64 = f64.lossAndGradient(Float64Array.from(p32), Float64Array.from(x32), Float64Array.from(y32), count, g64, {
    ...lossOptions,
    inputGradient: gx64,
  });
  const compare = (name: string, a32: Vector | number[], a64: Float64Array | number[], where: (i: number) => string): RowReport => {
    const tally = new Tally(options.f32Tolerance, options.f32Atol);
    for (let i = 0; i < a64.length; i++) tally.add(i, where(i), a32[i]!, a64[i]!);
    return tally.finish(emptyRow(name, "f32", a64.length));
  };
  const allParams: TensorLayout = { name: "parameters", offset: 0, shape: [params.length], size: params.length };
  const whereParam = (i: number): string => {
    const tensor = f64.meta.layout.find((t) => i >= t.offset && i < t.offset + t.size);
    return tensor ? `${tensor.name}${position(tensor, i - tensor.offset)}` : position(allParams, i);
  };
  const inputs = inputTensor(count, xs.length / count);
  return [
    compare("f32 loss", [loss32], [loss64], () => ""),
    compare("f32 gradient", g32, g64, whereParam),
    compare("f32 input", gx32, gx64, (i) => position(inputs, i)),
  ];
}

function emptyRow(name: string, kind: RowReport["kind"], entries: number): RowReport {
  return { name, kind, entries, checked: 0, skipped: 0, failed: 0, maxAbsError: 0, maxRelError: 0, status: "pass", worst: [] };
}

/** "[o,i]" for a 2-D tensor, "[o]" for a 1-D one. */
function position(tensor: TensorLayout, index: number): string {
  if (tensor.shape.length === 2) return `[${Math.floor(index / tensor.shape[1]!)},${index % tensor.shape[1]!}]`;
  return `[${index}]`;
}

/** Accumulates one row's comparisons: maxima, failures, and the worst failing entries. */
class Tally {
  private checked = 0;
  private failed = 0;
  private maxAbs = 0;
  private maxRel = 0;
  private worst: (EntryDetail & { badness: number })[] = [];

  constructor(
    private readonly tolerance: number,
    private readonly atol: number,
  ) {}

  add(index: number, where: string, analytic: number, numeric: number): void {
    this.checked++;
    const absError = Math.abs(analytic - numeric);
    const relError = relativeError(analytic, numeric);
    // NaN never compares greater: keep it visible in the maxima.
    if (!(absError <= this.maxAbs)) this.maxAbs = absError;
    if (!(relError <= this.maxRel)) this.maxRel = relError;
    if (!entryFails(analytic, numeric, this.tolerance, this.atol)) return;
    this.failed++;
    const badness = Number.isNaN(absError) ? Infinity : absError / Math.max(this.atol, this.tolerance * Math.max(Math.abs(analytic), Math.abs(numeric)));
    this.worst.push({ index, position: where, analytic, numeric, absError, relError, badness });
    this.worst.sort((a, b) => b.badness - a.badness);
    this.worst.length = Math.min(this.worst.length, 3);
  }

  finish(row: RowReport): RowReport {
    row.checked = this.checked;
    row.failed = this.failed;
    row.maxAbsError = this.maxAbs;
    row.maxRelError = this.maxRel;
    row.worst = this.worst.map(({ badness, ...detail }) => (void badness, detail));
    if (this.failed > 0) row.status = "fail";
    else if (this.checked === 0 && row.entries > 0) {
      row.status = "fail";
      row.note = "every sampled entry sat at a kink: nothing was compared (try another --seed)";
    } else if (this.maxRel > this.tolerance) {
      row.note = `relative error above ${sci(this.tolerance)} only where |a − n| ≤ ${sci(this.atol)} (gradients near zero)`;
    }
    return row;
  }
}
