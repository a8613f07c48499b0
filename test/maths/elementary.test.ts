// The stated error bounds of nnc's own exp, tanh and log1p (src/elementary.ts), measured against an oracle
// that is not them: V8's Math.exp, Math.tanh and Math.log1p (fdlibm ports, each under 1 ulp from the true
// value, so nnc's are within the bound plus 1 ulp of it; each function's test also fails if its bound is not reached,
// so the figures stated are the measured ones, not loose ceilings). About 1.2 million points per function, dense in
// the hard regions: near 0 and the subnormals, tanh's switch points (2^−28, 0.625) and saturation, exp's
// overflow and underflow thresholds and its subnormal results, log1p's split at √2 − 1 and both ends of [0, 1].
import { describe, expect, it } from "vitest";
import { ELEMENTARY, elementaryUsedBy, nncExp, nncLog1p, nncTanh } from "../../src/elementary.js";

const word = new Float64Array(1);
const halves = new Uint32Array(word.buffer);

/** The distance between a and b in representable doubles (exact for any distance below 2^53; NaN only with NaN). */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  // Magnitudes as (high, low) words; opposite signs are the two distances to zero added.
  const parts = (x: number): [number, number, number] => {
    word[0] = x;
    return [x < 0 || Object.is(x, -0) ? -1 : 1, halves[1]! & 0x7fffffff, halves[0]!];
  };
  const [sa, ha, la] = parts(a);
  const [sb, hb, lb] = parts(b);
  if (sa !== sb) return ha * 2 ** 32 + la + (hb * 2 ** 32 + lb);
  return Math.abs((ha - hb) * 2 ** 32 + (la - lb));
}

/** n points spread evenly over [lo, hi], both ends included. */
function* even(lo: number, hi: number, n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield lo + ((hi - lo) * i) / (n - 1);
}

/** n points spread evenly in the logarithm over [lo, hi] (0 < lo < hi), with their negatives when `signed`. */
function* geometric(lo: number, hi: number, n: number, signed: boolean): Generator<number> {
  const [a, b] = [Math.log2(lo), Math.log2(hi)];
  for (let i = 0; i < n; i++) {
    const x = 2 ** (a + ((b - a) * i) / (n - 1));
    yield x;
    if (signed) yield -x;
  }
}

/** Every double within `count` ulps either side of x (x positive and finite). */
function* around(x: number, count: number): Generator<number> {
  const bits = new BigInt64Array(word.buffer);
  word[0] = x;
  const center = bits[0]!;
  for (let d = -count; d <= count; d++) {
    bits[0] = center + BigInt(d);
    yield word[0]!;
  }
}

/** The largest distance from the oracle over the points, with where it is, and how many points there were. */
function worst(f: (x: number) => number, oracle: (x: number) => number, points: Iterable<number>[]): { max: number; at: number; count: number } {
  let max = 0;
  let at = NaN;
  let count = 0;
  for (const set of points) {
    for (const x of set) {
      count++;
      const d = ulps(f(x), oracle(x));
      if (d > max) [max, at] = [d, x];
    }
  }
  return { max, at, count };
}

describe("the ulp distance used by these tests", () => {
  it("counts representable doubles, across zero and into the subnormals", () => {
    expect(ulps(1, 1 + 2 ** -52)).toBe(1);
    expect(ulps(1, 1 - 2 ** -53)).toBe(1);
    expect(ulps(2 ** -1074, 0)).toBe(1);
    expect(ulps(-(2 ** -1074), 2 ** -1074)).toBe(2);
    expect(ulps(Number.MAX_VALUE, Infinity)).toBe(1);
    expect(ulps(0.1, 0.1 + 3 * 2 ** -56)).toBe(3);
    expect(ulps(NaN, 1)).toBe(Infinity);
    expect([...around(1, 2)].map((x) => ulps(x, 1))).toEqual([2, 1, 0, 1, 2]);
  });
});

describe("nncExp", () => {
  it("is within 1 ulp of Math.exp on [−746, 710], subnormal results included", () => {
    const r = worst(nncExp, Math.exp, [
      even(-746, 710, 600_000),
      even(-1, 1, 200_000),
      geometric(1e-300, 1, 100_000, true),
      even(-745.2, -708, 150_000), // subnormal results and the underflow to 0
      even(709, 710, 100_000), // the overflow threshold, ~709.78
      around(709.782712893384, 2_000),
      around(-745.1332191019411, 2_000),
    ]);
    expect(r.count).toBeGreaterThan(1_200_000);
    expect(r.max, `worst at ${r.at}`).toBeLessThanOrEqual(1);
    expect(r.max).toBe(1); // reached: the bound is the measured figure
  });

  it("gives IEEE's answers at the special values", () => {
    expect(nncExp(NaN)).toBeNaN();
    expect(nncExp(Infinity)).toBe(Infinity);
    expect(nncExp(-Infinity)).toBe(0);
    expect(nncExp(0)).toBe(1);
    expect(nncExp(-0)).toBe(1);
    expect(nncExp(1000)).toBe(Infinity);
    expect(nncExp(-1000)).toBe(0);
    expect(nncExp(-745)).toBe(Math.exp(-745)); // a subnormal, 5e-324 rounded
  });
});

describe("nncTanh", () => {
  it("is within 2 ulps of Math.tanh everywhere", () => {
    const r = worst(nncTanh, Math.tanh, [
      even(-25, 25, 530_000),
      even(-0.7, 0.7, 300_000), // the rational part, and the switch at 0.625
      around(0.625, 5_000),
      around(-0.625, 5_000),
      geometric(2 ** -1074, 1, 150_000, true), // subnormals, 2^−28 and the small-|x| region
      around(2 ** -28, 2_000),
      even(18, 40, 50_000), // saturation to ±1
    ]);
    expect(r.count).toBeGreaterThan(1_200_000);
    expect(r.max, `worst at ${r.at}`).toBeLessThanOrEqual(2);
    expect(r.max).toBe(2);
  });

  it("keeps −0, saturates at ±1 and passes NaN", () => {
    expect(Object.is(nncTanh(-0), -0)).toBe(true);
    expect(Object.is(nncTanh(0), 0)).toBe(true);
    expect(nncTanh(Infinity)).toBe(1);
    expect(nncTanh(-Infinity)).toBe(-1);
    expect(nncTanh(800)).toBe(1);
    expect(nncTanh(NaN)).toBeNaN();
    expect(nncTanh(-(2 ** -1074))).toBe(-(2 ** -1074));
  });
});

describe("nncLog1p", () => {
  it("is within 2 ulps of Math.log1p on [0, 1]", () => {
    const r = worst(nncLog1p, Math.log1p, [
      even(0, 1, 700_000),
      geometric(2 ** -1074, 1, 300_000, false),
      around(Math.SQRT2 - 1, 20_000), // the split
      around(1, 5_000),
      even(0.4, 0.43, 100_000),
    ]);
    expect(r.count).toBeGreaterThan(1_100_000);
    expect(r.max, `worst at ${r.at}`).toBeLessThanOrEqual(2);
    expect(r.max).toBe(2);
  });

  it("composed as binary cross-entropy uses it, log1p(e^−|z|) is within 2 ulps of Math's", () => {
    const term = (z: number) => nncLog1p(nncExp(-Math.abs(z)));
    const reference = (z: number) => Math.log1p(Math.exp(-Math.abs(z)));
    const r = worst(term, reference, [even(-750, 750, 200_000), even(-5, 5, 200_000), geometric(1e-300, 1, 20_000, true)]);
    expect(r.max, `worst at ${r.at}`).toBeLessThanOrEqual(2);
    expect(nncLog1p(0)).toBe(0);
    expect(nncLog1p(1)).toBe(Math.LN2);
  });
});

describe("the source text", () => {
  it("names the functions a module calls, with those they call", () => {
    expect(elementaryUsedBy("const a = nncTanh(z);").map((e) => e.name)).toEqual(["nncExp", "nncTanh"]);
    expect(elementaryUsedBy("nncLog1p(nncExp(-Math.abs(z)))").map((e) => e.name)).toEqual(["nncExp", "nncLog1p"]);
    expect(elementaryUsedBy("Math.exp(z) + x.nncLog1p(t)")).toEqual([]);
    for (const e of ELEMENTARY) expect(e.source).toContain(`function ${e.name}(`);
  });
});
