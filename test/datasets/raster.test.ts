// The rasteriser against hand-computed coverage: rectangles whose area per pixel is known exactly.
import { describe, expect, it } from "vitest";
import { Rasteriser, SAMPLES } from "../../src/datasets/letters/raster.js";
import { flattenPath } from "../../src/datasets/letters/fonts.js";

/** A rectangle as a closed polygon, clockwise (in y-down coordinates) or reversed. */
function rect(x0: number, y0: number, x1: number, y1: number, reverse = false): Float64Array {
  const pts = [x0, y0, x1, y0, x1, y1, x0, y1];
  if (!reverse) return Float64Array.from(pts);
  return Float64Array.from([x0, y0, x0, y1, x1, y1, x1, y0]);
}

function render(contours: Float64Array[], size = 8, morph = 0): Float64Array {
  const r = new Rasteriser(size, size);
  r.fill(contours);
  r.morph(morph);
  const out = new Float64Array(size * size);
  r.downsample(out, 0);
  return out;
}

describe("rasteriser", () => {
  it("fills a pixel-aligned rectangle with exactly 1 inside and 0 outside", () => {
    const img = render([rect(2, 3, 5, 7)]);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) expect(img[y * 8 + x]).toBe(x >= 2 && x < 5 && y >= 3 && y < 7 ? 1 : 0);
  });

  it("gives partial coverage equal to the covered area on half-pixel edges", () => {
    // x from 1.5 to 3.5, y from 0 to 1: pixel 1 and 3 half covered, pixel 2 fully.
    const img = render([rect(1.5, 0, 3.5, 1)]);
    expect([...img.subarray(0, 5)]).toEqual([0, 0.5, 1, 0.5, 0]);
    expect(img.subarray(8).every((v) => v === 0)).toBe(true);
  });

  it("approximates a triangle's area to within the sampling error", () => {
    // Right triangle with legs 6.2 and 5.7 (vertices off the sample lattice): area 17.67 pixels. Each of the
    // ~20 rows of samples the hypotenuse crosses misplaces at most one sample (1/16 px) either way.
    const img = render([Float64Array.from([1.1, 1.2, 7.3, 1.2, 1.1, 6.9])]);
    const total = img.reduce((a, b) => a + b, 0);
    expect(Math.abs(total - 0.5 * 6.2 * 5.7)).toBeLessThan(0.3);
  });

  it("applies the nonzero rule: a reversed inner contour is a hole, a same-direction one is not", () => {
    const hole = render([rect(1, 1, 7, 7), rect(3, 3, 5, 5, true)]);
    const solid = render([rect(1, 1, 7, 7), rect(3, 3, 5, 5)]);
    expect(hole[3 * 8 + 3]).toBe(0);
    expect(hole[1 * 8 + 1]).toBe(1);
    expect(solid[3 * 8 + 3]).toBe(1);
    expect(hole.reduce((a, b) => a + b, 0)).toBe(36 - 4);
  });

  it("thickens and thins by whole samples on every side", () => {
    // A 2×2-pixel square is (2·SAMPLES)² samples; ±1 sample each side changes its side to 2·SAMPLES ± 2.
    const area = (img: Float64Array): number => img.reduce((a, b) => a + b, 0) * SAMPLES * SAMPLES;
    expect(area(render([rect(3, 3, 5, 5)], 8, 1))).toBe((2 * SAMPLES + 2) ** 2);
    expect(area(render([rect(3, 3, 5, 5)], 8, -1))).toBe((2 * SAMPLES - 2) ** 2);
    expect(area(render([rect(3, 3, 5, 5)], 8, 2))).toBe((2 * SAMPLES + 4) ** 2);
  });

  it("clips shapes that extend beyond the image", () => {
    const img = render([rect(-3, -3, 2, 2)]);
    expect(img.reduce((a, b) => a + b, 0)).toBe(4);
  });
});

describe("outline flattening", () => {
  it("samples quadratic and cubic Béziers on the curve", () => {
    const [quad] = flattenPath([{ type: "M", x: 0, y: 0 }, { type: "Q", x1: 1, y1: 2, x: 2, y: 0 }, { type: "Z" }]);
    // B(½) = ¼·P0 + ½·P1 + ¼·P2 = (1, 1); 6 segments, so it is the 3rd point after the start.
    expect(quad!.slice(6, 8)).toEqual([1, 1]);
    const [cubic] = flattenPath([{ type: "M", x: 0, y: 0 }, { type: "C", x1: 0, y1: 8, x2: 8, y2: 8, x: 8, y: 0 }, { type: "Z" }]);
    // B(½) = (P0 + 3P1 + 3P2 + P3)/8 = (4, 6); 8 segments, so the 4th point after the start.
    expect(cubic!.slice(8, 10)).toEqual([4, 6]);
  });

  it("splits contours at M and drops degenerate ones", () => {
    const contours = flattenPath([
      { type: "M", x: 0, y: 0 },
      { type: "L", x: 1, y: 0 },
      { type: "L", x: 1, y: 1 },
      { type: "Z" },
      { type: "M", x: 5, y: 5 },
      { type: "L", x: 6, y: 5 },
      { type: "Z" },
    ]);
    expect(contours).toEqual([[0, 0, 1, 0, 1, 1]]);
  });
});
