// Weights as JSON (module-api.ts WeightsJson), refusing weights that belong to another network.
import type { Spec } from "../ir.js";
import type { TensorLayout, Vector, WeightsJson } from "../module-api.js";
import { parameterCount, parameterLayout } from "./parameters.js";

export function saveWeights(spec: Spec, params: Vector): WeightsJson {
  return {
    format: "nnc-weights",
    version: 1,
    model: spec.name,
    specHash: spec.sourceHash,
    precision: spec.precision,
    parameters: parameterCount(spec),
    layout: parameterLayout(spec),
    values: Array.from(params),
  };
}

function describe(tensor: TensorLayout): string {
  return `${tensor.name} [${tensor.shape.join("×")}] at ${tensor.offset}`;
}

/**
 * Parameters from saved weights. Throws an Error naming what differs when the JSON is not nnc weights, or
 * belongs to another network: model name, spec hash, parameter count, layout, or a value count / value
 * that does not fit.
 */
export function loadWeights(spec: Spec, json: unknown): Float64Array {
  if (typeof json !== "object" || json === null) throw new Error("weights: not a JSON object");
  const w = json as Partial<WeightsJson>;
  if (w.format !== "nnc-weights") throw new Error(`weights: format is ${JSON.stringify(w.format)}, expected "nnc-weights"`);
  if (w.version !== 1) throw new Error(`weights: version ${JSON.stringify(w.version)} is not supported (expected 1)`);
  if (w.model !== spec.name) throw new Error(`weights: they are for model ${JSON.stringify(w.model)}, not ${JSON.stringify(spec.name)}`);
  if (w.specHash !== spec.sourceHash) throw new Error(`weights: spec hash ${String(w.specHash)} differs from this module's ${spec.sourceHash}`);
  const expected = parameterCount(spec);
  if (w.parameters !== expected) throw new Error(`weights: parameter count ${String(w.parameters)} differs from this module's ${expected}`);
  const layout = parameterLayout(spec);
  if (!Array.isArray(w.layout) || w.layout.length !== layout.length) {
    throw new Error(`weights: layout has ${Array.isArray(w.layout) ? w.layout.length : "no"} tensors, this module has ${layout.length}`);
  }
  layout.forEach((tensor, i) => {
    const theirs = w.layout![i]!;
    const same =
      theirs.name === tensor.name &&
      theirs.offset === tensor.offset &&
      theirs.size === tensor.size &&
      Array.isArray(theirs.shape) &&
      theirs.shape.length === tensor.shape.length &&
      theirs.shape.every((d, k) => d === tensor.shape[k]);
    if (!same) throw new Error(`weights: layout tensor ${i + 1} is ${describe(theirs)}, this module has ${describe(tensor)}`);
  });
  if (!Array.isArray(w.values) || w.values.length !== expected) {
    throw new Error(`weights: ${Array.isArray(w.values) ? w.values.length : "no"} values, expected ${expected}`);
  }
  const params = new Float64Array(expected);
  w.values.forEach((value, j) => {
    if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`weights: value ${j} is ${JSON.stringify(value)}, not a finite number`);
    params[j] = value;
  });
  return params;
}
