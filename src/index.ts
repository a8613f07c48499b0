// The library API of nnc (package.json "exports"): the pure compiler and the harness entry points.
export * from "./ir.js";
export { parseSpec, formatDiagnostics, readSpecFile, loadSpec, type ParseSpecOptions, type ParseSpecResult } from "./front/index.js";
