// Feature normalisation: statistics fitted on the TRAINING split only (so nothing about the test set
// leaks into training), saved with the weights as plain JSON, and applied again by predict to raw input.
// Every kind is the same affine map per feature: x' = (x − offset) / scale.
import { UserError } from "../errors.js";
import type { Normalization } from "../ir.js";
import type { Dataset } from "./dataset.js";

export interface NormalizationStats {
  kind: Normalization;
  /** Subtracted from each feature. */
  offset: number[];
  /** Each feature is divided by this after the offset; never 0. */
  scale: number[];
}

/**
 * none: offset 0, scale 1. zero_mean: offset mean, scale 1. min_max: offset min, scale max − min (→ [0, 1]).
 * z_score: offset mean, scale the population standard deviation (divide by n, as numpy's std and sklearn's StandardScaler).
 * A constant feature (zero range / zero variance) gets scale 1 and offset its value: it becomes 0 rather than NaN.
 */
export function fitNormalization(kind: Normalization, train: Dataset): NormalizationStats {
  const { count, inputs, features } = train;
  const offset = new Array<number>(inputs).fill(0);
  const scale = new Array<number>(inputs).fill(1);
  if (kind === "none") return { kind, offset, scale };
  if (count === 0) throw new UserError(`${train.source}: cannot fit ${kind} normalisation on 0 rows`);
  for (let j = 0; j < inputs; j++) {
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let r = 0; r < count; r++) {
      const v = features[r * inputs + j]!;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const mean = sum / count;
    if (kind === "zero_mean") {
      offset[j] = mean;
    } else if (kind === "min_max") {
      offset[j] = max > min ? min : mean;
      scale[j] = max > min ? max - min : 1;
    } else {
      // Two passes (mean first) for accuracy; Σ(x − mean)² never cancels catastrophically.
      let squares = 0;
      for (let r = 0; r < count; r++) {
        const d = features[r * inputs + j]! - mean;
        squares += d * d;
      }
      const std = Math.sqrt(squares / count);
      offset[j] = mean;
      scale[j] = std > 0 ? std : 1;
    }
  }
  return { kind, offset, scale };
}

/** Applies `stats` in place to row-major count × inputs features. */
export function applyNormalization(stats: NormalizationStats, features: Float64Array, count: number, inputs: number): void {
  if (stats.offset.length !== inputs || stats.scale.length !== inputs) {
    throw new UserError(`normalisation statistics are for ${stats.offset.length} inputs, but the data has ${inputs}`);
  }
  if (features.length < count * inputs) throw new UserError(`expected ${count} × ${inputs} features, got ${features.length} values`);
  if (stats.kind === "none") return;
  for (let r = 0; r < count; r++) {
    for (let j = 0; j < inputs; j++) {
      const i = r * inputs + j;
      features[i] = (features[i]! - stats.offset[j]!) / stats.scale[j]!;
    }
  }
}

/** Checks a value read back from a weights file (predict): right kind, lengths, finite numbers, non-zero scales. */
export function parseNormalizationStats(value: unknown, inputs: number, where: string): NormalizationStats {
  const v = value as Partial<NormalizationStats> | null;
  const kinds: Normalization[] = ["none", "zero_mean", "min_max", "z_score"];
  const numbers = (a: unknown, nonZero: boolean) =>
    Array.isArray(a) && a.length === inputs && a.every((x) => typeof x === "number" && Number.isFinite(x) && (!nonZero || x !== 0));
  if (!v || typeof v !== "object" || !kinds.includes(v.kind as Normalization) || !numbers(v.offset, false) || !numbers(v.scale, true)) {
    throw new UserError(`${where}: normalisation statistics must be {kind: ${kinds.join("|")}, offset: ${inputs} numbers, scale: ${inputs} non-zero numbers}`);
  }
  return { kind: v.kind as Normalization, offset: v.offset as number[], scale: v.scale as number[] };
}
