import { describe, expect, it } from "vitest";
import { PLANAR_DEFAULTS, SQUARE_DEFAULTS, planar, square } from "../../src/data/builtin.js";

describe("planar flower set", () => {
  const a = planar(PLANAR_DEFAULTS);
  it("has 400 points in 2-D, 200 per class, class 0 first", () => {
    expect(a.features.length).toBe(800);
    expect(a.classes.length).toBe(400);
    expect(a.classes.filter((c) => c === 0).length).toBe(200);
    expect([...a.classes.subarray(0, 200)].every((c) => c === 0)).toBe(true);
    expect([...a.classes.subarray(200)].every((c) => c === 1)).toBe(true);
  });
  it("is deterministic for a seed and different for another", () => {
    expect([...planar(PLANAR_DEFAULTS).features]).toEqual([...a.features]);
    const b = planar({ ...PLANAR_DEFAULTS, seed: 2 });
    expect([...b.features]).not.toEqual([...a.features]);
  });
  it("without noise, lies exactly on the rose r = 4 sin(4t), t = linspace(j·3.12, (j+1)·3.12, N)", () => {
    const p = planar({ n: 6, noise: 0, petals: 4, seed: 1 });
    const expected: number[] = [];
    for (const j of [0, 1]) {
      for (const t of [j * 3.12, j * 3.12 + 1.56, (j + 1) * 3.12]) {
        const r = 4 * Math.sin(4 * t);
        expected.push(r * Math.sin(t), r * Math.cos(t));
      }
    }
    expected.forEach((v, i) => expect(p.features[i]).toBeCloseTo(v, 12));
  });
  it("has noise of about the requested size: radii scatter around the rose", () => {
    // With noise 0.2 on t and r the points stay within a few tenths of radius 4.
    let maxRadius = 0;
    for (let i = 0; i < 400; i++) maxRadius = Math.max(maxRadius, Math.hypot(a.features[2 * i]!, a.features[2 * i + 1]!));
    expect(maxRadius).toBeGreaterThan(3.8);
    expect(maxRadius).toBeLessThan(5.2);
  });
  it("is not linearly separable: class means are close and logistic regression stays near chance", () => {
    const mean = (c: number, k: number) => {
      let s = 0;
      for (let i = 0; i < 400; i++) if (a.classes[i] === c) s += a.features[2 * i + k]!;
      return s / 200;
    };
    // The construction leaves the class means about 0.8 apart (vs. a spread of about ±4), as in the course's set.
    expect(Math.hypot(mean(0, 0) - mean(1, 0), mean(0, 1) - mean(1, 1))).toBeLessThan(1.2);
    // Plain full-batch logistic regression (the course reports 47 % on its draw of this set).
    let w0 = 0,
      w1 = 0,
      b = 0;
    for (let it = 0; it < 3000; it++) {
      let g0 = 0,
        g1 = 0,
        gb = 0;
      for (let i = 0; i < 400; i++) {
        const p = 1 / (1 + Math.exp(-(w0 * a.features[2 * i]! + w1 * a.features[2 * i + 1]! + b)));
        const d = p - a.classes[i]!;
        g0 += d * a.features[2 * i]!;
        g1 += d * a.features[2 * i + 1]!;
        gb += d;
      }
      w0 -= (0.1 * g0) / 400;
      w1 -= (0.1 * g1) / 400;
      b -= (0.1 * gb) / 400;
    }
    let correct = 0;
    for (let i = 0; i < 400; i++) {
      const z = w0 * a.features[2 * i]! + w1 * a.features[2 * i + 1]! + b;
      if ((z > 0 ? 1 : 0) === a.classes[i]) correct++;
    }
    expect(correct / 400).toBeLessThan(0.65);
  });
});

describe("square set", () => {
  it("samples x uniformly in [min, max) with y = x², deterministically", () => {
    const s = square(SQUARE_DEFAULTS);
    expect(s.features.length).toBe(1000);
    for (let i = 0; i < 1000; i++) {
      expect(s.features[i]).toBeGreaterThanOrEqual(-2);
      expect(s.features[i]).toBeLessThan(2);
      expect(s.values[i]).toBe(s.features[i]! * s.features[i]!);
    }
    // Roughly uniform: a quarter of the samples in each quarter of the interval.
    const quarter = [...s.features].filter((x) => x < -1).length;
    expect(quarter).toBeGreaterThan(200);
    expect(quarter).toBeLessThan(300);
    expect([...square(SQUARE_DEFAULTS).features]).toEqual([...s.features]);
    expect([...square({ ...SQUARE_DEFAULTS, seed: 9 }).features]).not.toEqual([...s.features]);
    const narrow = square({ n: 50, min: 3, max: 4, seed: 1 });
    expect([...narrow.features].every((x) => x >= 3 && x < 4)).toBe(true);
  });
});
