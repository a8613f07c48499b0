// Weights as JSON (module-api.ts WeightsJson), refusing weights that belong to another network.
import type { Spec } from "../ir.js";
import type { TensorLayout, Vector, WeightsJson } from "../module-api.js";
import { parameterCount, parameterLayout } from "./parameters.js";
import { networkHash, preprocessingOf } from "../network-identity.js";
import { normalizationOf, withIdentityStatistics } from "./preprocess.js";

export function saveWeights(spec: Spec, params: Vector): WeightsJson {
  return {
    format: "nnc-weights",
    version: 1,
    model: spec.name,
    specHash: spec.sourceHash,
    networkHash: networkHash(spec),
    precision: spec.precision,
    parameters: parameterCount(spec),
    layout: parameterLayout(spec),
    values: Array.from(params.subarray(0, parameterCount(spec))),
    normalization: normalizationOf(spec, params),
    dataScale: spec.data?.scale ?? 1,
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
  // Identity by meaning (src/network-identity.ts): the spec hash is provenance only.
  if (w.networkHash !== undefined && w.networkHash !== networkHash(spec))
    throw new Error(`weights: network hash ${String(w.networkHash)} differs from this network's ${networkHash(spec)}`);
  if (!Array.isArray(w.values) || w.values.length !== expected) {
    throw new Error(`weights: ${Array.isArray(w.values) ? w.values.length : "no"} values, expected ${expected}`);
  }
  const params = withIdentityStatistics(spec, new Float64Array(expected));
  w.values.forEach((value, j) => {
    if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`weights: value ${j} is ${JSON.stringify(value)}, not a finite number`);
    params[j] = value;
  });
  const p = preprocessingOf(spec, expected);
  if (p.size > 0) {
    const n = w.normalization;
    if (n === undefined || n.kind !== p.normalize)
      throw new Error(`weights: normalization ${n === undefined ? "missing" : n.kind}, this network's is ${p.normalize}`);
    params.set(n.offset, p.offset);
    params.set(n.scale, p.offset + spec.inputs);
  }
  return params;
}
