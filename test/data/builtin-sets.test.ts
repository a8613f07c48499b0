// The playground's built-in two-class sets (src/data/builtin.ts planeSet: xor, circles, spiral, gauss): sizes,
// labels, determinism per seed, the geometry each promises; `data spiral` through the front end; and the
// page's rows (playground/src/training/data.ts) equal the CLI's (src/data/load.ts) for every kind it reads.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinData, planeSet, type PlaneSetName } from "../../src/data/builtin.js";
import { loadData } from "../../src/data/load.js";
import { parseSpec } from "../../src/front/index.js";
import { pageData } from "../../playground/src/training/data.js";

const ROOT = resolve(import.meta.dirname, "../..");
const NAMES: PlaneSetName[] = ["xor", "circles", "spiral", "gauss"];

describe("built-in two-class sets", () => {
  for (const name of NAMES) {
    it(`${name}: n rows of 2 features, alternating labels 0/1, the same for a seed and different for another`, () => {
      const a = builtinData(name, { n: 301 }, "test");
      expect(a.count).toBe(301);
      expect(a.features.length).toBe(602);
      expect(Array.from(a.targets.slice(0, 4))).toEqual([0, 1, 0, 1]);
      expect(a.targets.filter((v) => v === 1).length).toBe(150);
      expect(a.features.every(Number.isFinite)).toBe(true);
      const b = builtinData(name, { n: 301 }, "test");
      expect(Array.from(b.features)).toEqual(Array.from(a.features));
      const c = builtinData(name, { n: 301, seed: 2 }, "test");
      expect(Array.from(c.features)).not.toEqual(Array.from(a.features));
    });
  }

  it("xor without noise: class 1 exactly where x·y < 0", () => {
    const { features, classes } = planeSet("xor", { n: 500, noise: 0, seed: 3 });
    for (let i = 0; i < 500; i++) expect(features[i * 2]! * features[i * 2 + 1]! < 0 ? 1 : 0).toBe(classes[i]);
  });

  it("circles without noise: radius 1 for class 0, factor for class 1", () => {
    const { features, classes } = planeSet("circles", { n: 200, noise: 0, factor: 0.3, seed: 1 });
    for (let i = 0; i < 200; i++) expect(Math.hypot(features[i * 2]!, features[i * 2 + 1]!)).toBeCloseTo(classes[i] === 0 ? 1 : 0.3, 12);
  });

  it("gauss: each blob's mean is near its centre (±distance/2 on the diagonal)", () => {
    const { features, classes } = planeSet("gauss", { n: 4000, spread: 0.5, distance: 3, seed: 1 });
    for (const label of [0, 1]) {
      let sx = 0,
        sy = 0,
        k = 0;
      for (let i = 0; i < 4000; i++) if (classes[i] === label) ((sx += features[i * 2]!), (sy += features[i * 2 + 1]!), k++);
      const centre = label === 0 ? -1.5 : 1.5;
      expect(Math.abs(sx / k - centre)).toBeLessThan(0.05);
      expect(Math.abs(sy / k - centre)).toBeLessThan(0.05);
    }
  });

  it("spiral without noise: the two arms are point reflections of each other's angle (radius grows along the arm)", () => {
    const { features } = planeSet("spiral", { n: 100, noise: 0, turns: 1, seed: 1 });
    for (let i = 0; i < 100; i++) {
      const r = Math.hypot(features[i * 2]!, features[i * 2 + 1]!);
      expect(r).toBeGreaterThanOrEqual(0.1);
      expect(r).toBeLessThanOrEqual(1.1);
    }
  });

  it("rejects unknown and invalid options with one line", () => {
    expect(() => builtinData("spiral", { petals: 3 }, "a.nn:2:1")).toThrow(/a.nn:2:1: unknown option 'petals' for built-in data spiral/);
    expect(() => builtinData("circles", { n: 1 }, "a.nn:2:1")).toThrow(/n must be an integer from 2/);
    expect(() => builtinData("spiral", { turns: 0 }, "a.nn:2:1")).toThrow(/turns must be > 0/);
  });

  it("`data spiral n=50 turns=2` goes through the front end to the generator", () => {
    const text = "model s\ndata spiral n=50 turns=2\nlayer fc 2->4 tanh\nlayer fc 4->1 sigmoid\nloss crossentropy\nsgd lr=0.5 epochs=10 batch=50\n";
    const { spec, diagnostics } = parseSpec(text, "s.nn");
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const { train } = loadData(spec!, ROOT);
    expect(train.count).toBe(50);
    expect(Array.from(train.features)).toEqual(Array.from(planeSet("spiral", { n: 50, noise: 0.1, turns: 2, seed: 1 }).features));
  });
});

describe("the page's rows are the CLI's", () => {
  const files = ["specs/planar.nn", "specs/square.nn", "specs/gender-zero-mean.nn", "specs/gender-raw.nn"];
  for (const file of files) {
    it(file, () => {
      const { spec } = parseSpec(readFileSync(join(ROOT, file), "utf8"), file);
      const cli = loadData(spec!, join(ROOT, "specs")).train;
      const page = pageData(spec!);
      expect(page.train.count).toBe(cli.count);
      expect(Array.from(page.rawFeatures)).toEqual(Array.from(cli.features));
      expect(Array.from(page.train.targets)).toEqual(Array.from(cli.targets));
    });
  }
  it("planar is the course's 400 points", () => {
    const { spec } = parseSpec(readFileSync(join(ROOT, "specs/planar.nn"), "utf8"), "planar.nn");
    expect(pageData(spec!).train.count).toBe(400);
  });
});
