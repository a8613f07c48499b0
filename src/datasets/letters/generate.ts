// The letters data set: A–Z glyphs from installed fonts, each drawn at 17×17 greyscale with seeded jitter
// (rotation, scale, aspect, slant, shift, stroke weight, ink level, pixel noise). A stand-in for the
// course's letters exercise, whose data files are not available. Deterministic for a seed: one PRNG
// stream per set, consumed in a fixed order (labels, then per sample: font, jitter, noise).
import { createRng, shuffleIndices, type Rng } from "../../prng.js";
import { LETTERS, type LetterFont } from "./fonts.js";
import { Rasteriser } from "./raster.js";

export const IMAGE_SIZE = 17;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const CLASSES = LETTERS.length;

/** The jitter ranges; every draw is uniform in [−max, max] (or [min, max]) unless stated. */
export interface Jitter {
  /** Rotation, degrees. */
  rotationDeg: number;
  /** Overall scale factor range relative to the 13-px base glyph box. */
  scaleMin: number;
  scaleMax: number;
  /** Relative stretch: x scaled by (1 + a), y by (1 − a), a uniform in [−aspect, aspect]. */
  aspect: number;
  /** Horizontal slant: x += shear · y. */
  shear: number;
  /** Translation of the glyph centre, pixels, each axis. */
  shiftPx: number;
  /**
   * Stroke weight change in sub-pixel samples (¼ px each): negative thins, positive thickens. One is picked
   * uniformly per glyph; thinning is skipped for fonts already thinner than that (it would erase strokes).
   */
  weightSteps: readonly number[];
  /** Ink brightness, uniform in [inkMin, 1]. */
  inkMin: number;
  /** Standard deviation of additive Gaussian pixel noise (before clamping to [0, 1]). */
  noiseStd: number;
}

// Tuned so that the course's net (289-20 sigmoid-26 sigmoid, crossentropy, lr 1, batch 1024) reaches ≥ 0.98
// validation accuracy within 20 epochs, as the exercise's data allowed; the font mix supplies most of the
// variety (see docs/letters-data.md for the measured curves, and for stronger jitter that stays below 0.98).
export const DEFAULT_JITTER: Jitter = {
  rotationDeg: 3,
  scaleMin: 0.92,
  scaleMax: 1.05,
  aspect: 0.05,
  shear: 0.05,
  shiftPx: 0.5,
  weightSteps: [-1, 0, 1],
  inkMin: 0.8,
  noiseStd: 0.04,
};

export interface LetterSet {
  /** count × 289 pixels in [0, 1], row-major 17×17, row 0 at the top, ink bright on black. */
  x: Float32Array;
  /** Class index 0–25 (0 = A). */
  y: Uint8Array;
  /** Index into the font list of the font each sample was drawn from (for inspection, not written by default). */
  font: Uint16Array;
  count: number;
}

/** Stream seeds for the two sets of one --seed, so train and validation never share jitter draws. */
export function streamSeed(seed: number, stream: "train" | "val"): number {
  // murmur3's 32-bit finaliser over (seed, stream): a cheap, well-mixed hash of both.
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ (stream === "train" ? 0x1b873593 : 0xcc9e2d51)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Generates `count` glyphs from `fonts`. Labels are balanced (each letter ⌊count/26⌋ or ⌈count/26⌉ times) and
 * shuffled; each sample's font is drawn uniformly.
 */
export function generateLetters(fonts: readonly LetterFont[], count: number, seed: number, jitter: Jitter = DEFAULT_JITTER): LetterSet {
  if (fonts.length === 0) throw new Error("generateLetters: no fonts");
  const prng = createRng(seed);
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  shuffleIndices(order, prng);
  const x = new Float32Array(count * PIXELS);
  const y = new Uint8Array(count);
  const font = new Uint16Array(count);
  const rasteriser = new Rasteriser(IMAGE_SIZE, IMAGE_SIZE);
  const transformed: Float64Array[] = [];
  for (let i = 0; i < count; i++) {
    const label = order[i]! % CLASSES;
    const f = Math.floor(prng.uniform() * fonts.length);
    y[i] = label;
    font[i] = f;
    renderGlyph(fonts[f]!.glyphs[label]!.contours, jitter, prng, rasteriser, transformed);
    rasteriser.downsample(x, i * PIXELS);
    finishPixels(x, i * PIXELS, jitter, prng);
  }
  return { x, y, font, count };
}

/** Applies one random affine jitter and stroke-weight change to a glyph and fills it into `rasteriser`. */
function renderGlyph(contours: readonly Float64Array[], jitter: Jitter, prng: Rng, rasteriser: Rasteriser, scratch: Float64Array[]): void {
  const between = (lo: number, hi: number): number => lo + (hi - lo) * prng.uniform();
  const angle = (between(-1, 1) * jitter.rotationDeg * Math.PI) / 180;
  const scale = between(jitter.scaleMin, jitter.scaleMax);
  const stretch = between(-1, 1) * jitter.aspect;
  const shear = between(-1, 1) * jitter.shear;
  const cx = IMAGE_SIZE / 2 + between(-1, 1) * jitter.shiftPx;
  const cy = IMAGE_SIZE / 2 + between(-1, 1) * jitter.shiftPx;
  const weight = jitter.weightSteps[Math.floor(prng.uniform() * jitter.weightSteps.length)] ?? 0;
  // M = rotation · slant · diag(sx, sy); p' = M p + centre.
  const sx = scale * (1 + stretch);
  const sy = scale * (1 - stretch);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const a = cos * sx;
  const b = (cos * shear - sin) * sy;
  const c = sin * sx;
  const d = (sin * shear + cos) * sy;
  scratch.length = contours.length;
  for (let k = 0; k < contours.length; k++) {
    const src = contours[k]!;
    let dst = scratch[k];
    if (!dst || dst.length !== src.length) dst = scratch[k] = new Float64Array(src.length);
    for (let i = 0; i < src.length; i += 2) {
      const px = src[i]!;
      const py = src[i + 1]!;
      dst[i] = a * px + b * py + cx;
      dst[i + 1] = c * px + d * py + cy;
    }
  }
  rasteriser.fill(scratch);
  if (weight < 0) {
    // Thin only if something substantial survives: hairline fonts would otherwise lose whole strokes.
    const before = countInk(rasteriser.mask);
    rasteriser.morph(weight);
    if (countInk(rasteriser.mask) < before * 0.6) {
      rasteriser.fill(scratch);
    }
  } else {
    rasteriser.morph(weight);
  }
}

function countInk(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  return n;
}

/** Ink level and pixel noise, then clamp to [0, 1]. */
function finishPixels(x: Float32Array, offset: number, jitter: Jitter, prng: Rng): void {
  const ink = jitter.inkMin + (1 - jitter.inkMin) * prng.uniform();
  for (let p = offset; p < offset + PIXELS; p++) {
    const v = x[p]! * ink + jitter.noiseStd * prng.gaussian();
    x[p] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
}
