// The interpreter's preprocessing of raw inputs (src/module-api.ts): every input times the data scale, then
// (x − offset[j]) / scale[j] with the statistics stored after the trainable parameters. Plain loops in
// float64, written from the definition, so the generated module's preprocess has an independent oracle.
import type { Spec } from "../ir.js";
import type { NormalizationJson, Vector } from "../module-api.js";
import { preprocessingOf } from "../network-identity.js";
import { parameterCount } from "./parameters.js";

/** `trainable` followed by identity statistics (offset 0, scale 1) when the spec normalises. */
export function withIdentityStatistics(spec: Spec, trainable: Float64Array): Float64Array {
  const p = preprocessingOf(spec, parameterCount(spec));
  if (p.size === 0) return trainable;
  const params = new Float64Array(p.offset + p.size);
  params.set(trainable.subarray(0, p.offset));
  params.fill(1, p.offset + spec.inputs);
  return params;
}

/** Raw rows → network inputs (a new array). */
export function preprocessRows(spec: Spec, params: Vector, xs: Vector, count: number): Float64Array {
  const p = preprocessingOf(spec, parameterCount(spec));
  const n = spec.inputs;
  const result = new Float64Array(count * n);
  for (let r = 0; r < count; r++) {
    for (let j = 0; j < n; j++) {
      let v = xs[r * n + j]! * p.scale;
      if (p.size > 0) v = (v - params[p.offset + j]!) / params[p.offset + n + j]!;
      result[r * n + j] = v;
    }
  }
  return result;
}

/** The statistics in params as a weights file's `normalization` field. */
export function normalizationOf(spec: Spec, params: Vector): NormalizationJson {
  const p = preprocessingOf(spec, parameterCount(spec));
  const n = spec.inputs;
  if (p.size === 0) return { kind: "none", offset: new Array<number>(n).fill(0), scale: new Array<number>(n).fill(1) };
  return { kind: p.normalize, offset: Array.from(params.subarray(p.offset, p.offset + n)), scale: Array.from(params.subarray(p.offset + n, p.offset + 2 * n)) };
}
