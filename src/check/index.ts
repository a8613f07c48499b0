// Gradient checking (nnc check): analytic gradients of a generated module against central finite
// differences of its own loss. Method and thresholds: docs/gradient-check.md.
export { checkGradients, type CheckInput } from "./gradient-check.js";
export { DEFAULT_CHECK_OPTIONS, autoCap, checkCheckBounds, GOOD_RELATIVE_ERROR, entryFails, relativeError, type CheckOptions } from "./options.js";
export { batchPreActivations, dropoutMasks, hasKinks, stepNearKink } from "./kinks.js";
export { checkInputs, checkParameters, checkTargets, entriesToCheck } from "./inputs.js";
export { formatCheckReport, formatSpecReport, formatSummary, sci } from "./format.js";
export type { CheckReport, EntryDetail, RowReport, SpecReport } from "./report.js";
export { checkSpec, checkSpecs, type ModuleBuilder } from "./run.js";
