// Checking several specs: build each one's module (and, for an f32 spec, a float64 build too) with a
// caller-supplied builder, check, and collect one report. The builder is a parameter so the CLI can pass
// the real code generator and tests can pass the reference interpreter.
import type { Precision, Spec } from "../ir.js";
import type { GeneratedModule } from "../module-api.js";
import { checkGradients } from "./gradient-check.js";
import { checkCheckBounds, type CheckOptions } from "./options.js";
import type { CheckReport, SpecReport } from "./report.js";

/** Builds and loads the module of `spec` at the given precision. */
export type ModuleBuilder = (spec: Spec, precision: Precision) => Promise<GeneratedModule>;

export async function checkSpec(spec: Spec, build: ModuleBuilder, options: Partial<CheckOptions> = {}): Promise<SpecReport> {
  checkCheckBounds(spec, options);
  const started = performance.now();
  const module = await build(spec, spec.precision);
  const float64Module = spec.precision === "f32" ? await build(spec, "f64") : undefined;
  const report = checkGradients({ spec, module, float64Module }, options);
  // Report the whole time, build included: that is what a user waits for.
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

export async function checkSpecs(specs: Spec[], build: ModuleBuilder, options: Partial<CheckOptions> = {}): Promise<CheckReport> {
  // Every spec's bounds first: a refusal comes before any (long) check.
  for (const spec of specs) checkCheckBounds(spec, options);
  const reports: SpecReport[] = [];
  for (const spec of specs) reports.push(await checkSpec(spec, build, options));
  return { tool: "nnc check", passed: reports.every((r) => r.passed), specs: reports };
}
