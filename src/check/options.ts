// Options of a gradient check and their defaults. Why these numbers: docs/gradient-check.md.

export interface CheckOptions {
  /** Samples in the random batch the loss is averaged over. */
  samples: number;
  /** Central-difference step: n = (L(θ + eps) − L(θ − eps)) / (2·eps), an absolute step as in torch.autograd.gradcheck. */
  eps: number;
  /** Relative tolerance: an entry fails when |a − n| / max(|a|, |n|) > tolerance … */
  tolerance: number;
  /**
   * … AND |a − n| > atol × max(1, |loss|) (so gradients near zero, where finite differences are all rounding
   * noise, cannot fail; the noise of a difference quotient grows with the loss it subtracts).
   */
  atol: number;
  /**
   * Entries per tensor checked exhaustively up to this many; above it a seeded random sample of this size.
   * null = automatic (autoCap): 1000, fewer for large models so a check stays within a few seconds.
   */
  cap: number | null;
  /** Seed of every random draw (parameters, batch, targets, dropout masks, entry samples). */
  seed: number;
  /** "random": seeded LeCun-normal weights and N(0, 0.1²) biases; "init": the module's createParameters(seed). */
  parameters: "random" | "init";
  /** Tolerance of the f32-module-vs-f64-build comparison (same rule: fail when rel > f32Tolerance AND abs > f32Atol). */
  f32Tolerance: number;
  f32Atol: number;
}

export const DEFAULT_CHECK_OPTIONS: CheckOptions = {
  samples: 4,
  eps: 1e-6,
  tolerance: 1e-5,
  atol: 1e-8,
  cap: null,
  seed: 1,
  parameters: "random",
  f32Tolerance: 1e-3,
  f32Atol: 1e-5,
};

/** CS231n's "good" bound for the relative error; shown in docs and used to grade passing rows. */
export const GOOD_RELATIVE_ERROR = 1e-7;

/** The relative error of the issue and CS231n: |a − n| / max(|a|, |n|, 1e-12). */
export function relativeError(analytic: number, numeric: number): number {
  return Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), 1e-12);
}

/** The per-entry pass rule: fail only when the error is large both relatively and absolutely. */
export function entryFails(analytic: number, numeric: number, tolerance: number, atol: number): boolean {
  const abs = Math.abs(analytic - numeric);
  if (!Number.isFinite(analytic) || !Number.isFinite(numeric)) return true;
  return abs > atol && relativeError(analytic, numeric) > tolerance;
}

/**
 * The automatic cap: each checked entry costs two loss evaluations, each proportional to parameters ×
 * samples, so the cap is a work budget divided by that: 1000 for the letters spec (6,346 parameters,
 * 4 samples), 100 at the least (fashion's 235,146 parameters).
 */
export function autoCap(parameters: number, samples: number): number {
  return Math.min(1000, Math.max(100, Math.floor(8e7 / (parameters * samples))));
}
