// The library API of nnc (package.json "exports"): the pure compiler and the harness entry points.
export * from "./ir.js";
export { parseSpec, formatDiagnostics, readSpecFile, loadSpec, type ParseSpecOptions, type ParseSpecResult } from "./front/index.js";
export { compile, compileSpec, compileSpecUnformatted, type CompileOptions, type CompileResult, type CompiledModule } from "./compile.js";
export { planSpec, type Plan, type PlanOptions } from "./plan.js";
export { loadModule, buildAndLoad } from "./harness/load.js";
export { interpret } from "./interpreter/index.js";
export {
  checkSpec,
  checkSpecs,
  formatCheckReport,
  DEFAULT_CHECK_OPTIONS,
  type CheckOptions,
  type CheckReport,
  type SpecReport,
  type ModuleBuilder,
} from "./check/index.js";
export { runTraining, trainSpec, type TrainRunOptions, type TrainRunResult, type TrainSpecOptions, type TrainedSpec } from "./train/run.js";
export type * from "./module-api.js";
export { UserError, EXIT_OK, EXIT_USER_ERROR, EXIT_INTERNAL_ERROR } from "./errors.js";
export { VERSION } from "./version.js";
