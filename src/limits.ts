// Resource limits: a spec that would need more memory than a sane machine has, a generated module too
// large to compile, or a model name too long to be a file name, is refused up front with a diagnostic that
// gives the estimate and the limit — never by an out-of-memory crash or an ENAMETOOLONG halfway through.
//
// The limits are fixed numbers (not a fraction of this machine's memory) so a spec is valid or invalid
// the same way everywhere. parseSpec runs these checks on every spec that passed validation, so every
// command (parse, build, check, train) and the fuzz suite see them. Codes NN050–NN053 (docs/language.md).
import type { Diagnostic, SourceRange, Spec } from "./ir.js";
import { planSpec, type Plan } from "./plan.js";
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
 * Estimated bytes of the generated module's unformatted text, from the plan. Calibrated on specs/ and on
 * chains of 1–50 layers of widths 4–300 (real 20 KB – 211 KB; the estimate is within ±30%): a fixed part,
 * a part per layer (its functions and docs), ~30 bytes per unrolled multiply-add or unit, and for layers
 * that loop both ways the blocked code (~14 KB per layer) plus the wasm kernels (~22 KB once).
 */
export function estimateModuleBytes(plan: Plan): number {
  let bytes = 18_000;
  let blocked = false;
  for (const l of plan.layers) {
    bytes += 2_500;
    if (l.kind === "dense") {
      if (l.forward.shape === "unrolled") bytes += 30 * l.forward.multiplyAdds;
      if (l.backward.shape === "unrolled") bytes += 30 * l.backward.multiplyAdds;
      if (l.forward.shape === "loop" && l.backward.shape === "loop") {
        bytes += 13_500;
        blocked = true;
      }
    } else if (l.shape.shape === "unrolled") bytes += 60 * l.size;
  }
  if (blocked) bytes += 22_000;
  if (plan.outputShape.shape === "unrolled") bytes += 150 * plan.outputs;
  return bytes;
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
  const out: Diagnostic[] = [];
  const whole = pointRange(source, 0);
  const report = (code: string, range: SourceRange | null, message: string, hint: string): void => {
    out.push({ code, severity: "error", message, hint, fileName: spec.fileName, range: range ?? whole });
  };

  if (spec.name.length > LIMITS.nameLength) {
    const at = source.indexOf(spec.name);
    const range = at < 0 ? null : spanRange(pointRange(source, at), pointRange(source, at + spec.name.length - 1));
    report("NN053", range, `the model name is ${spec.name.length} characters long, more than the limit of ${LIMITS.nameLength}`, "it becomes a file and folder name: use a shorter `model NAME`");
  }

  const plan = planSpec(spec);
  const m = plan.memory;
  // The layer with the most parameters is what to shrink: point there.
  let biggest: { range: SourceRange | null; size: number } = { range: spec.training.range, size: -1 };
  for (const layer of spec.layers) {
    const size = layer.kind === "dense" ? layer.inputs * layer.outputs + layer.outputs : 0;
    if (size > biggest.size) biggest = { range: layer.range, size };
  }
  if (!(m.total <= LIMITS.moduleMemoryBytes)) {
    const parts = `${plan.parameters.toLocaleString("en-US")} parameters × ${m.bytesPerNumber} bytes: values ${formatBytes(m.parameters)} + gradient ${formatBytes(m.gradient)} + ${m.optimizerState / Math.max(1, m.parameters)} optimiser slots ${formatBytes(m.optimizerState)} + scratch ${formatBytes(m.scratch)} + train() buffers ${formatBytes(m.training)}`;
    const trainingDominates = m.training - 2 * m.parameters > m.total / 2;
    report(
      "NN050",
      trainingDominates ? (spec.training.range ?? spec.layers[0]?.range ?? null) : biggest.range,
      `this model needs about ${formatBytes(m.total)} (${parts}), more than the limit of ${formatBytes(LIMITS.moduleMemoryBytes)}`,
      trainingDominates ? "the batch buffers (batch × (inputs + outputs) numbers) dominate: use a smaller `batch=` or fewer inputs" : "use smaller layers (or `precision f32` to halve it)",
    );
  } else {
    // Only meaningful (and only cheap to be sure of) once the sizes themselves are sane.
    const text = estimateModuleBytes(plan);
    if (text > LIMITS.moduleTextBytes) {
      report(
        "NN051",
        spec.layers[spec.layers.length - 1]?.range ?? null,
        `the generated module would be about ${formatBytes(text)} of source (${plan.layers.length} layers), more than the limit of ${formatBytes(LIMITS.moduleTextBytes)}`,
        "use fewer layers",
      );
    }
  }

  const source0 = spec.data?.train;
  for (const s of [source0, spec.data?.test]) {
    if (s?.kind !== "builtin") continue;
    const n = s.options.n ?? 0;
    const bytes = n * (spec.inputs + spec.outputs) * 8;
    if (!(bytes <= LIMITS.builtinDataBytes)) {
      report("NN052", s.range, `\`data ${s.name} n=${n}\` would need about ${formatBytes(bytes)}, more than the limit of ${formatBytes(LIMITS.builtinDataBytes)}`, "use a smaller `n=`");
    }
  }
  return out;
}
