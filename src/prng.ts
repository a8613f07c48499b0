// nnc's one seeded pseudo-random generator. Everything random in nnc (initial weights, batch order,
// dropout masks, built-in data sets, gradient-check samples) draws from it, so a seed means the same
// numbers everywhere. The generated module carries a copy of exactly this code (emitted from
// PRNG_SOURCE below), and a test asserts the copy and this implementation agree number for number.
//
// mulberry32: 32-bit state, period 2^32, passes the usual small-state tests, and is trivially portable
// to every JS engine. Gaussians use Box–Muller with two fresh uniforms per draw (no cached spare), so
// the stream position never depends on call history.

export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal N(0, 1). */
  gaussian(): number;
}

/**
 * The generator as source text, in TypeScript that also runs unchanged as plain JavaScript after types are
 * stripped. The emitter pastes this into every generated module; `createRng` below evaluates the same text,
 * so the algorithm is written exactly once.
 */
/**
 * The seed check at the top of a pasted generator (`name`: createRng, createNumpyRng): seeds are 32-bit, so
 * any other number would alias one (2^32 and NaN would give seed 0, −1 seed 2^32 − 1). In the generator's own
 * source, so nnc and every module refuse the same seeds with the same words.
 */
export function seedCheckSource(name: string): string {
  return [
    "  // Seeds are 32-bit: any other number would alias one (2^32 and NaN would give seed 0, −1 seed 2^32 − 1).",
    `  if (typeof seed !== "number") throw new TypeError(\`${name}: seed is a \${typeof seed}, expected an integer from 0 to 4294967295\`);`,
    "  if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295)",
    `    throw new RangeError(\`${name}: seed is \${String(seed)}, expected an integer from 0 to 4294967295\`);`,
  ].join("\n");
}

export const PRNG_SOURCE = `/** Seeded PRNG (mulberry32) with Box–Muller normals: the same stream as nnc's own. */
export function createRng(seed: number): { uniform(): number; gaussian(): number } {
${seedCheckSource("createRng")}
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gaussian = (): number => {
    const u1 = 1 - uniform();
    const u2 = uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };
  return { uniform, gaussian };
}`;

/** A generator's source text (PRNG_SOURCE, src/numpy-random.ts) with its few type annotations stripped. */
function stripTypes(source: string): string {
  return source
    .replace(/^export /m, "")
    .replace(/\(seed: number\): \{ uniform\(\): number; gaussian\(\): number \}/, "(seed)")
    .replace(/\(\): number =>/g, "() =>")
    .replace(/: number;/g, ";");
}

/** The factory `name` that a generator's source text defines, evaluated from that same text (so the module's copy and nnc's are one algorithm). */
export function rngFromSource(source: string, name: string): (seed: number) => Rng {
  return new Function(`${stripTypes(source)}\nreturn ${name};`)() as (seed: number) => Rng;
}

const createRngFromSource = rngFromSource(PRNG_SOURCE, "createRng");

export function createRng(seed: number): Rng {
  return createRngFromSource(seed);
}

/** Fisher–Yates shuffle of 0..n-1 into `order` (in place), drawing from `rng`. */
export function shuffleIndices(order: Int32Array | Uint32Array, rng: Rng): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}
