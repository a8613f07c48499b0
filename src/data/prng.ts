// A seeded PRNG used by the letters data-set generator (src/datasets/letters), whose committed data depend
// on this exact stream (Box-Muller keeps the pair's second value). Everything else in nnc, including the
// built-in planar/square generators and the train/test split, uses the shared src/prng.ts.
// Deterministic across runs and platforms: integer-only mulberry32, no Math.random.

export interface Prng {
  /** Uniform in [0, 1), 2^-32 resolution. */
  next(): number;
  /** Standard normal N(0, 1) by Box-Muller (one value per call; the pair's second value is kept for the next call). */
  gaussian(): number;
}

/** mulberry32 (Tommy Ettinger): 32-bit state, passes gjrand/PractRand to 2^32 outputs; plenty for data generation. */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  let spare: number | null = null;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gaussian = (): number => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    // 1 − u keeps the argument of log in (0, 1], so log never sees 0.
    const u1 = 1 - next();
    const u2 = next();
    const radius = Math.sqrt(-2 * Math.log(u1));
    spare = radius * Math.sin(2 * Math.PI * u2);
    return radius * Math.cos(2 * Math.PI * u2);
  };
  return { next, gaussian };
}

/** Fisher-Yates shuffle of 0..count-1 driven by `prng`. */
export function permutation(count: number, prng: Prng): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(prng.next() * (i + 1));
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  return order;
}
