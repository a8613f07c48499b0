// Resource limits: a spec that would need more memory than a sane machine has, a generated module too
// large to compile, or a model name too long to be a file name, is refused up front with a diagnostic that
// gives the estimate and the limit — never by an out-of-memory crash or an ENAMETOOLONG halfway through.
//
// The limits are fixed numbers (not a fraction of this machine's memory) so a spec is valid or invalid
// the same way everywhere. parseSpec runs these checks on every spec that passed validation, so every
// command (parse, build, check, train) and the fuzz suite see them. Codes NN050–NN053 (docs/language.md).
import type { Diagnostic, SourceRange, Spec } from "./ir.js";
import { planSpec, UNROLL_LIMIT, type Plan, type ShapeDecision } from "./plan.js";
import { OPTIMIZERS } from "./maths.js";
import { ruleOf } from "./layers/index.js";
import { sizeOf, type Shape, type TextSizeSink } from "./layers/rule.js";
import { pointRange, spanRange } from "./front/ranges.js";

export const GiB = 1024 ** 3;

export const LIMITS = {
  /** The module's own memory: parameters + gradient + optimiser slots + scratch + train() buffers (plan.memory.total). */
  moduleMemoryBytes: 4 * GiB,
  /** Estimated size of the generated module's text (estimateModuleBytes); past this, emitting and formatting take minutes. */
  moduleTextBytes: 4_000_000,
  /** A built-in generator's data set (points × (inputs + outputs) × 8 bytes). */
  builtinDataBytes: 1 * GiB,
  /** Characters of the model name: it becomes `generated/<name>.ts`, `runs/<name>/` and temporary names beside them (NAME_MAX is 255 bytes). */
  nameLength: 100,
} as const;

/** Limit codes and titles, for docs/language.md and the tests. */
export const limitCodes = [
  { code: "NN050", severity: "error", title: "the module would need more memory than the limit (4 GiB): parameters, gradient, optimiser state, buffers" },
  { code: "NN051", severity: "error", title: "the generated module would be larger than the limit (4 MB of source)" },
  { code: "NN052", severity: "error", title: "a built-in data set larger than the limit (1 GiB)" },
  { code: "NN053", severity: "error", title: "model name longer than 100 characters" },
] as const;

/**
 * Estimated bytes of the generated module's unformatted text, summed layer by layer. Calibrated on specs/ and
 * on chains of 1–50 layers of widths 4–300 (real 42 KB – 243 KB; the estimate is within ±30%: 0.79–1.17 on 2026-12-02, before
 * trainParallel added ~21 KB to every module and the fixed part below grew by as much; test/hardening/limits.test.ts): a fixed part,
 * a part per layer (its functions and docs), and what each layer's rule adds for its code forms
 * (src/layers/<kind>/limits.ts: dense ~30 bytes per unrolled multiply-add, and for a layer that loops both
 * ways the blocked code, ~14 KB per layer, plus the wasm kernels, ~22 KB once; dropout ~60 bytes per unrolled
 * unit). One sum for both estimators below (from a plan, and from a spec alone), so their constants cannot
 * drift apart.
 */
class TextEstimate implements TextSizeSink {
  // The fixed part: PRNG, types, meta, train/trainAsync, evaluate, weights, preprocessing, classify and the
  // argument checks with their helpers (for a 1-layer chain ~42 KB unformatted, 2026-12-02; specs/square.nn,
  // which also normalises and reports, ~60 KB), and since issue 16 trainParallel with its workers' side and
  // checks (~21 KB unformatted, the same in every module).
  private bytes = 58_000;
  private anyBlocked = false;

  /** A layer's base part (its functions and docs); its rule adds the rest. */
  layer(): void {
    this.bytes += LAYER_TEXT_BYTES;
  }

  add(bytes: number): void {
    this.bytes += bytes;
  }

  blocked(): void {
    this.anyBlocked = true;
  }

  /** The total, with the loss over `outputs` when unrolled (null when it loops). */
  total(outputs: number | null): number {
    return this.bytes + (this.anyBlocked ? 22_000 : 0) + (outputs !== null ? 150 * outputs : 0);
  }
}

/** Text bytes every layer adds whatever its kind (so checkLimits can tell many layers are too many before estimating). */
const LAYER_TEXT_BYTES = 2_500;

/** Multiply-adds of a decision when it is unrolled, null when it loops. */
const unrolledDecision = (d: ShapeDecision): number | null => (d.shape === "unrolled" ? d.multiplyAdds : null);

/** Estimated bytes of the generated module's unformatted text, from the plan's shape decisions. */
export function estimateModuleBytes(plan: Plan): number {
  const text = new TextEstimate();
  for (const l of plan.layers) {
    text.layer();
    ruleOf(l).limits.text(l, unrolledDecision, text);
  }
  return text.total(unrolledDecision(plan.outputShape));
}

/**
 * estimateModuleBytes of the plan planSpec(spec) would make, from the spec alone (no plan: planning 55,000
 * layers was ~0.4 s of parsing a 1 MB spec). The shapes as planSpec decides them with its default options: a
 * function is unrolled when its multiply-adds (a dropout or the loss: its units) are ≤ UNROLL_LIMIT; each
 * rule's textOfSpec states its functions' multiply-adds. Tested equal to estimateModuleBytes(planSpec(spec)).
 */
export function estimateModuleBytesOfSpec(spec: Spec): number {
  const unrolled = (n: number): number | null => (n <= UNROLL_LIMIT ? n : null);
  const text = new TextEstimate();
  let shape: Shape = spec.inputShape;
  for (const layer of spec.layers) {
    const rule = ruleOf(layer);
    text.layer();
    rule.limits.textOfSpec(layer, sizeOf(shape), unrolled, text);
    shape = rule.outputShape(layer, shape);
  }
  return text.total(unrolled(spec.outputs));
}

/**
 * An upper bound of planSpec(spec).memory.total from the spec alone: every buffer a layer can have (its
 * rule's bufferUnits: z, a, dL/dz, dL/da; a dropout's output, mask, dL/da) at 8 bytes, chunk buffers for a
 * chunk of the whole batch, and the wasm kernels' copies — whatever the plan decides. NaN or Infinity for
 * absurd sizes (then the caller plans, as before).
 */
function memoryUpperBound(spec: Spec): number {
  const bytes = spec.precision === "f32" ? 4 : 8;
  const batch = Math.max(1, spec.training.batchSize);
  const slots = OPTIMIZERS[spec.training.optimizer.kind]?.slots.length ?? 2;
  let parameters = 0;
  let units = 0;
  let shape: Shape = spec.inputShape;
  for (const layer of spec.layers) {
    const rule = ruleOf(layer);
    parameters += rule.limits.parameters(layer);
    units += rule.limits.bufferUnits(layer, sizeOf(shape));
    shape = rule.outputShape(layer, shape);
  }
  const scratch = units * 8 + batch * units * 8 + (2 * parameters + 2 * batch * spec.inputs) * 8;
  return parameters * bytes * (2 + slots) + scratch + batch * (spec.inputs + spec.outputs) * bytes + 2 * parameters * bytes;
}

/** "4.00 GiB", "12.3 MB": a size people read at a glance (exact bytes are in the message too when small). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "more than 10^308 bytes";
  if (bytes >= GiB) return `${(bytes / GiB).toPrecision(3)} GiB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toPrecision(3)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toPrecision(3)} kB`;
  return `${bytes} bytes`;
}

/** The limit diagnostics of a validated spec (empty when it fits). `source` is the spec's text (for ranges). */
export function checkLimits(spec: Spec, source: string): Diagnostic[] {
  return checkLimitsAndPlan(spec, source).diagnostics;
}

/**
 * checkLimits, and the plan it made with the default options to measure the spec (null when the spec was
 * refused without planning: thousands of layers whose size alone is past the limit). The compiler reuses
 * that plan (src/compile.ts), so a spec is planned once.
 */
export function checkLimitsAndPlan(spec: Spec, source: string): { diagnostics: Diagnostic[]; plan: Plan | null } {
  const out: Diagnostic[] = [];
  const report: Report = (code, range, message, hint) => {
    out.push({ code, severity: "error", message, hint, fileName: spec.fileName, range: range ?? pointRange(source, 0) });
  };

  if (spec.name.length > LIMITS.nameLength) {
    const at = source.indexOf(spec.name);
    const range = at < 0 ? null : spanRange(pointRange(source, at), pointRange(source, at + spec.name.length - 1));
    report(
      "NN053",
      range,
      `the model name is ${spec.name.length} characters long, more than the limit of ${LIMITS.nameLength}`,
      "it becomes a file and folder name: use a shorter `model NAME`",
    );
  }

  // Many layers: when the memory total cannot exceed its limit (so NN050 cannot apply) and the module-size
  // estimate already does, NN051 is reported without planning (same estimate, same message).
  if (spec.layers.length * LAYER_TEXT_BYTES > LIMITS.moduleTextBytes && memoryUpperBound(spec) <= LIMITS.moduleMemoryBytes) {
    const text = estimateModuleBytesOfSpec(spec);
    if (text > LIMITS.moduleTextBytes) {
      reportTooLarge(spec, text, report);
      checkBuiltinData(spec, report);
      return { diagnostics: out, plan: null };
    }
  }

  // The layer with the most parameters is what to shrink: point there.
  let biggest: { range: SourceRange | null; size: number } = { range: spec.training.range, size: -1 };
  for (const layer of spec.layers) {
    const size = ruleOf(layer).limits.parameters(layer);
    if (size > biggest.size) biggest = { range: layer.range, size };
  }
  // Sizes whose products overflow (a 1e308-filter conv, its output shape Infinity) have no plan to make:
  // the bound from the spec alone says the model is past any limit.
  const bound = memoryUpperBound(spec);
  if (!Number.isFinite(bound)) {
    report(
      "NN050",
      biggest.range,
      `this model needs ${formatBytes(bound)} (its sizes multiply past what a number can hold), more than the limit of ${formatBytes(LIMITS.moduleMemoryBytes)}`,
      "use smaller layers",
    );
    checkBuiltinData(spec, report);
    return { diagnostics: out, plan: null };
  }

  const plan = planSpec(spec);
  const m = plan.memory;
  if (!(m.total <= LIMITS.moduleMemoryBytes)) {
    const parts = `${plan.parameters.toLocaleString("en-US")} parameters × ${m.bytesPerNumber} bytes: values ${formatBytes(m.parameters)} + gradient ${formatBytes(m.gradient)} + ${m.optimizerState / Math.max(1, m.parameters)} optimiser slots ${formatBytes(m.optimizerState)} + scratch ${formatBytes(m.scratch)} + train() buffers ${formatBytes(m.training)}`;
    const trainingDominates = m.training - 2 * m.parameters > m.total / 2;
    report(
      "NN050",
      trainingDominates ? (spec.training.range ?? spec.layers[0]?.range ?? null) : biggest.range,
      `this model needs about ${formatBytes(m.total)} (${parts}), more than the limit of ${formatBytes(LIMITS.moduleMemoryBytes)}`,
      trainingDominates
        ? "the batch buffers (batch × (inputs + outputs) numbers) dominate: use a smaller `batch=` or fewer inputs"
        : "use smaller layers (or `precision f32` to halve it)",
    );
  } else {
    // Only meaningful (and only cheap to be sure of) once the sizes themselves are sane.
    const text = estimateModuleBytes(plan);
    if (text > LIMITS.moduleTextBytes) {
      reportTooLarge(spec, text, report);
    }
  }
  checkBuiltinData(spec, report);
  return { diagnostics: out, plan };
}

type Report = (code: string, range: SourceRange | null, message: string, hint: string) => void;

function reportTooLarge(spec: Spec, text: number, report: Report): void {
  report(
    "NN051",
    spec.layers[spec.layers.length - 1]?.range ?? null,
    `the generated module would be about ${formatBytes(text)} of source (${spec.layers.length} layers), more than the limit of ${formatBytes(LIMITS.moduleTextBytes)}`,
    "use fewer layers",
  );
}

function checkBuiltinData(spec: Spec, report: Report): void {
  const source0 = spec.data?.train;
  for (const s of [source0, spec.data?.test]) {
    if (s?.kind !== "builtin") continue;
    const n = s.options.n ?? 0;
    const bytes = n * (spec.inputs + spec.outputs) * 8;
    if (!(bytes <= LIMITS.builtinDataBytes)) {
      report(
        "NN052",
        s.range,
        `\`data ${s.name} n=${n}\` would need about ${formatBytes(bytes)}, more than the limit of ${formatBytes(LIMITS.builtinDataBytes)}`,
        "use a smaller `n=`",
      );
    }
  }
}
