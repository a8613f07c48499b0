// The library API of nnc (package.json "exports"): the pure compiler and the harness entry points.
export * from "./ir.js";
