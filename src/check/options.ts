// Options of a gradient check and their defaults. Why these numbers: docs/gradient-check.md.
import { UserError } from "../errors.js";
import type { Spec } from "../ir.js";
import { parameterLayout } from "../interpreter/parameters.js";
import { LIMITS } from "../limits.js";

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

/** Multiply-adds a check may cost (checked entries × 2 loss evaluations × samples × (parameters + 200)): under a minute here. */
export const CHECK_WORK_LIMIT = 2e10;

/**
 * Refuses, before anything is built, a check whose random batch would not fit the data limit or whose
 * finite differences would run for hours (`--samples 100000000`): one message with the estimate and
 * what to lower.
 */
export function checkCheckBounds(spec: Spec, options: Partial<CheckOptions>): void {
  const samples = options.samples ?? DEFAULT_CHECK_OPTIONS.samples;
  const batchBytes = samples * (spec.inputs + spec.outputs) * 8;
  if (batchBytes > LIMITS.builtinDataBytes) {
    throw new UserError(
      `--samples ${samples}: a batch of ${samples.toLocaleString("en-US")} samples of ${spec.inputs + spec.outputs} numbers is ${(batchBytes / 1024 ** 3).toPrecision(3)} GiB, more than nnc's limit of 1 GiB for data; a few samples check a gradient as well (default ${DEFAULT_CHECK_OPTIONS.samples})`,
    );
  }
  const layout = parameterLayout(spec);
  const parameters = layout.reduce((n, t) => n + t.size, 0);
  const cap = options.cap ?? autoCap(parameters, samples);
  const entries = layout.reduce((n, t) => n + Math.min(t.size, cap), 0);
  // Per sample, a loss evaluation also costs about as much as 200 multiply-adds whatever the net (measured:
  // gender, 9 parameters, at 2·10^6 samples takes ~19 s of CPU here).
  const work = entries * 2 * samples * (parameters + 200);
  if (work > CHECK_WORK_LIMIT) {
    throw new UserError(
      `--samples ${samples}: checking ${entries.toLocaleString("en-US")} entries over ${samples.toLocaleString("en-US")} samples of a ${parameters.toLocaleString("en-US")}-parameter net is about ${work.toExponential(1)} multiply-adds, more than nnc check's limit of ${CHECK_WORK_LIMIT.toExponential(0)} (a minute or more); lower --samples or --cap`,
    );
  }
}
