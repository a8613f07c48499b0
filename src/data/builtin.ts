// Built-in data generators, deterministic for a seed, so a fresh clone trains without downloads.
import { UserError } from "../errors.js";
import { createNumpyRng, linspace } from "../numpy-random.js";
import { createRng } from "../prng.js";
import type { RawData } from "./dataset.js";

export interface PlanarOptions {
  /** Total points, split evenly between the two classes (class 0 gets the odd one). */
  n: number;
  /** Standard deviation of the Gaussian noise added to the angle and to the radius. */
  noise: number;
  /** Angular frequency k of the rose r = a·sin(k·t); 4 gives the classic eight-petal flower. */
  petals: number;
  seed: number;
  /** "numpy": the course's load_planar_dataset exactly — numpy's legacy generator seeded with `seed`, `np.linspace`, all t-noise then all r-noise per class. */
  rng?: "nnc" | "numpy";
}

export interface SquareOptions {
  n: number;
  min: number;
  max: number;
  seed: number;
}

/** xor: points uniform in [−1, 1]², class 1 where x and y have different signs; noise moves points off their class's quadrant. */
export interface XorOptions {
  n: number;
  noise: number;
  seed: number;
}
/** circles: an outer ring (radius 1, class 0) around an inner one (radius `factor`, class 1). */
export interface CirclesOptions {
  n: number;
  noise: number;
  factor: number;
  seed: number;
}
/** spiral: two interleaved arms of `turns` turns each (class 0 and 1). */
export interface SpiralOptions {
  n: number;
  noise: number;
  turns: number;
  seed: number;
}
/** gauss: two Gaussian blobs of standard deviation `spread`, centred at ±distance/2 on the diagonal. */
export interface GaussOptions {
  n: number;
  spread: number;
  distance: number;
  seed: number;
}

export const XOR_DEFAULTS: XorOptions = { n: 400, noise: 0, seed: 1 };
export const CIRCLES_DEFAULTS: CirclesOptions = { n: 400, noise: 0.1, factor: 0.5, seed: 1 };
export const SPIRAL_DEFAULTS: SpiralOptions = { n: 400, noise: 0.1, turns: 1.5, seed: 1 };
export const GAUSS_DEFAULTS: GaussOptions = { n: 400, spread: 0.5, distance: 2, seed: 1 };

/** The two-class 2-D sets (the playground's menu): rows alternate class 0, class 1 (class 0 gets the odd one). */
export type PlaneSetName = "xor" | "circles" | "spiral" | "gauss";

/** A two-class set in the plane: features n × 2, one class index (0 or 1) per row. Pure: the same seed gives the same points. */
export function planeSet(
  name: PlaneSetName,
  options: XorOptions | CirclesOptions | SpiralOptions | GaussOptions,
): { features: Float64Array; classes: Float64Array } {
  const { n, seed } = options;
  const prng = createRng(seed);
  const features = new Float64Array(n * 2);
  const classes = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    let x: number;
    let y: number;
    if (name === "xor") {
      const o = options as XorOptions;
      // Draw until the point is in a quadrant of its class (signs differ for class 1), then add the noise.
      do {
        x = 2 * prng.uniform() - 1;
        y = 2 * prng.uniform() - 1;
      } while ((x * y < 0 ? 1 : 0) !== label || x === 0 || y === 0);
      x += o.noise * prng.gaussian();
      y += o.noise * prng.gaussian();
    } else if (name === "circles") {
      const o = options as CirclesOptions;
      const angle = 2 * Math.PI * prng.uniform();
      const r = label === 0 ? 1 : o.factor;
      x = r * Math.cos(angle) + o.noise * prng.gaussian();
      y = r * Math.sin(angle) + o.noise * prng.gaussian();
    } else if (name === "spiral") {
      const o = options as SpiralOptions;
      const along = prng.uniform();
      const t = along * o.turns * 2 * Math.PI;
      const r = 0.1 + along;
      x = r * Math.cos(t + label * Math.PI) + o.noise * prng.gaussian();
      y = r * Math.sin(t + label * Math.PI) + o.noise * prng.gaussian();
    } else {
      const o = options as GaussOptions;
      const centre = (label === 0 ? -1 : 1) * (o.distance / 2);
      x = centre + o.spread * prng.gaussian();
      y = centre + o.spread * prng.gaussian();
    }
    features[i * 2] = x;
    features[i * 2 + 1] = y;
    classes[i] = label;
  }
  return { features, classes };
}

export const PLANAR_DEFAULTS: PlanarOptions = { n: 400, noise: 0.2, petals: 4, seed: 1 };
export const SQUARE_DEFAULTS: SquareOptions = { n: 1000, min: -2, max: 2, seed: 1 };

/** Maximum radius of the flower ("a" in the course's load_planar_dataset). */
const PLANAR_RADIUS = 4;

/**
 * The planar "flower" set of the Coursera deep-learning course (load_planar_dataset): for class j,
 * t = linspace(j·3.12, (j+1)·3.12, N) + noise·randn, r = a·sin(petals·t) + noise·randn, x = (r·sin t, r·cos t).
 * Same construction, nnc's PRNG (src/prng.ts: mulberry32 + Box-Muller), so the points differ from numpy's but the shape is the same.
 * Rows are class 0 then class 1, as in the course. Targets: one class index (0 or 1) per row.
 */
export function planar(options: PlanarOptions): { features: Float64Array; classes: Float64Array } {
  if (options.rng === "numpy") return planarNumpy(options);
  const { n, noise, petals, seed } = options;
  const prng = createRng(seed);
  const features = new Float64Array(n * 2);
  const classes = new Float64Array(n);
  let row = 0;
  for (let j = 0; j < 2; j++) {
    const perClass = j === 0 ? Math.ceil(n / 2) : Math.floor(n / 2);
    const start = j * 3.12;
    const step = perClass > 1 ? 3.12 / (perClass - 1) : 0;
    const t = new Float64Array(perClass);
    for (let i = 0; i < perClass; i++) t[i] = start + i * step + prng.gaussian() * noise;
    for (let i = 0; i < perClass; i++) {
      const r = PLANAR_RADIUS * Math.sin(petals * t[i]!) + prng.gaussian() * noise;
      features[row * 2] = r * Math.sin(t[i]!);
      features[row * 2 + 1] = r * Math.cos(t[i]!);
      classes[row] = j;
      row++;
    }
  }
  return { features, classes };
}

/**
 * The course's load_planar_dataset line for line, with numpy's legacy generator (`np.random.seed(seed)`):
 * for class j, t = np.linspace(j·3.12, (j+1)·3.12, N) + np.random.randn(N)·noise, r = a·np.sin(petals·t) +
 * np.random.randn(N)·noise, X = (r·sin t, r·cos t). With the defaults (400, 0.2, 4, seed 1) the random draws are
 * numpy's bit for bit; sin and cos are the JavaScript engine's, which differ from numpy's in the last bit on
 * some points (test/data/numpy-planar.test.ts measures it). Both classes get N = ⌊n/2⌋ points (the course: 200),
 * so an odd n gives n − 1.
 */
function planarNumpy(options: PlanarOptions): { features: Float64Array; classes: Float64Array } {
  const { n, noise, petals, seed } = options;
  const rng = createNumpyRng(seed);
  const perClass = Math.floor(n / 2);
  const features = new Float64Array(perClass * 4);
  const classes = new Float64Array(perClass * 2);
  for (let j = 0; j < 2; j++) {
    const t = linspace(j * 3.12, (j + 1) * 3.12, perClass);
    for (let i = 0; i < perClass; i++) t[i] = t[i]! + rng.gaussian() * noise;
    const rNoise = new Float64Array(perClass);
    for (let i = 0; i < perClass; i++) rNoise[i] = rng.gaussian() * noise;
    for (let i = 0; i < perClass; i++) {
      const row = j * perClass + i;
      const r = PLANAR_RADIUS * Math.sin(petals * t[i]!) + rNoise[i]!;
      features[row * 2] = r * Math.sin(t[i]!);
      features[row * 2 + 1] = r * Math.cos(t[i]!);
      classes[row] = j;
    }
  }
  return { features, classes };
}

/** y = x² with x uniform in [min, max): the "fit a parabola" exercise. */
export function square(options: SquareOptions): { features: Float64Array; values: Float64Array } {
  const { n, min, max, seed } = options;
  const prng = createRng(seed);
  const features = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = min + (max - min) * prng.uniform();
    features[i] = x;
    values[i] = x * x;
  }
  return { features, values };
}

/** Fills defaults, rejects unknown or invalid options, and generates the named set as RawData. */
export function builtinData(name: "planar" | "square" | PlaneSetName, options: Record<string, number>, where: string, rng: "nnc" | "numpy" = "nnc"): RawData {
  if (name === "planar") {
    const o = withDefaults(PLANAR_DEFAULTS, options, where, "planar");
    requireCount(o.n, where, 2);
    if (!(o.noise >= 0)) throw new UserError(`${where}: planar noise must be ≥ 0, got ${o.noise}`);
    if (rng === "numpy" && !(o.seed <= 0xffffffff)) throw new UserError(`${where}: numpy seeds are at most 2^32 − 1, got ${o.seed}`);
    const { features, classes } = planar({ ...o, rng });
    return rawData(rng === "numpy" ? "builtin planar (numpy)" : "builtin planar", classes.length, 2, features, 1, classes);
  }
  if (name !== "square") {
    const defaults = { xor: XOR_DEFAULTS, circles: CIRCLES_DEFAULTS, spiral: SPIRAL_DEFAULTS, gauss: GAUSS_DEFAULTS }[name];
    const o = withDefaults<XorOptions | CirclesOptions | SpiralOptions | GaussOptions>(defaults, options, where, name);
    requireCount(o.n, where, 2);
    for (const key of ["noise", "spread"] as const)
      if (key in o && !((o as unknown as Record<string, number>)[key]! >= 0)) throw new UserError(`${where}: ${name} ${key} must be ≥ 0`);
    if ("turns" in o && !(o.turns > 0)) throw new UserError(`${where}: spiral turns must be > 0, got ${o.turns}`);
    const { features, classes } = planeSet(name, o);
    return rawData(`builtin ${name}`, o.n, 2, features, 1, classes);
  }
  const o = withDefaults(SQUARE_DEFAULTS, options, where, "square");
  requireCount(o.n, where, 1);
  if (!(o.min < o.max)) throw new UserError(`${where}: square needs min < max, got min=${o.min} max=${o.max}`);
  const { features, values } = square(o);
  return rawData(`builtin square`, o.n, 1, features, 1, values);
}

function rawData(source: string, count: number, inputs: number, features: Float64Array, targetWidth: number, targets: Float64Array): RawData {
  return { source, count, inputs, sampleShape: [inputs], features, targetWidth, targets, targetFile: source, rowText: (row) => `row ${row}` };
}

function withDefaults<T extends object>(defaults: T, options: Record<string, number>, where: string, name: string): T {
  const merged: Record<string, number> = { ...(defaults as Record<string, number>) };
  for (const [key, value] of Object.entries(options)) {
    if (!(key in merged)) {
      throw new UserError(`${where}: unknown option '${key}' for built-in data ${name} (known: ${Object.keys(defaults).join(", ")})`);
    }
    if (!Number.isFinite(value)) throw new UserError(`${where}: option ${key}=${value} of built-in data ${name} must be a finite number`);
    merged[key] = value;
  }
  return merged as T;
}

function requireCount(n: number, where: string, min: number): void {
  if (!Number.isInteger(n) || n < min || n > 10_000_000) throw new UserError(`${where}: n must be an integer from ${min} to 10000000, got ${n}`);
}
