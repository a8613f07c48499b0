// A numpy-compatible generator: numpy's legacy `RandomState` (what `np.random.seed(n)`, `np.random.rand`
// and `np.random.randn` use), so a spec can draw exactly the numbers a numpy course draws (`init … rng=numpy`,
// `data planar rng=numpy`). Held stream for stream against numpy's own output (test/fixtures/numpy-reference.json,
// made by numpy 1.24.2; test/numpy-random.test.ts).
//
// - Seeding: an integer seed goes through MT19937's init_genrand (numpy's `_legacy_seeding` calls
//   `mt19937_seed(state, seed)` for an int, randomkit's `rk_seed`: mt[0] = seed, mt[i] = 1812433253 ·
//   (mt[i−1] ^ (mt[i−1] >> 30)) + i; init_by_array is for array seeds only), and clears the cached Gaussian.
// - `uniform()` is `random_sample` / `rand`: a 53-bit double from two 32-bit outputs a, b:
//   ((a >> 5) · 2^26 + (b >> 6)) / 2^53.
// - `gaussian()` is the legacy `randn` (`legacy_gauss`): Marsaglia's polar method on 2·uniform − 1 pairs,
//   rejecting r² ≥ 1 and r² = 0; it returns f·x2 and caches f·x1 for the next call.
//
// The generated module carries this code (emitted from NUMPY_RNG_SOURCE) when its init says `rng=numpy`;
// `createNumpyRng` below evaluates the same text, so it is written once.

import { rngFromSource, seedCheckSource, type Rng } from "./prng.js";

export const NUMPY_RNG_SOURCE = `/** numpy's legacy RandomState (MT19937; np.random.seed, rand, randn): the same stream as numpy's. */
export function createNumpyRng(seed: number): { uniform(): number; gaussian(): number } {
${seedCheckSource("createNumpyRng")}
  const mt = new Uint32Array(624);
  mt[0] = seed >>> 0;
  for (let i = 1; i < 624; i++) {
    const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
    mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
  }
  let index = 624;
  const next = (): number => {
    if (index >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7fffffff);
        mt[k] = mt[(k + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      index = 0;
    }
    let y = mt[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  };
  const uniform = (): number => {
    const a = next() >>> 5;
    const b = next() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  };
  let cached = 0;
  let hasCached = false;
  const gaussian = (): number => {
    if (hasCached) {
      hasCached = false;
      return cached;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * uniform() - 1;
      x2 = 2 * uniform() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    cached = f * x1;
    hasCached = true;
    return f * x2;
  };
  return { uniform, gaussian };
}`;

const createFromSource = rngFromSource(NUMPY_RNG_SOURCE, "createNumpyRng");

/** `np.random.seed(seed)`, then `uniform()` is `np.random.rand()` and `gaussian()` is `np.random.randn()`. */
export function createNumpyRng(seed: number): Rng {
  // The source refuses a seed that is not 0 … 2^32 − 1 (seedCheckSource).
  return createFromSource(seed);
}

/**
 * `np.linspace(start, stop, num)` (endpoint included): i·step + start with step = (stop − start)/(num − 1),
 * the last value set to `stop`, as numpy computes it.
 */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  if (num === 1) {
    out[0] = start;
    return out;
  }
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  for (let i = 0; i < num; i++) out[i] = step === 0 ? (i / div) * delta + start : i * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}
