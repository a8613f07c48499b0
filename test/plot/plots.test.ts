import { describe, expect, it } from "vitest";
import { curvesSvg } from "../../src/plot/curves.js";
import { decisionBoundarySvg } from "../../src/plot/decision-boundary.js";
import { lossCurveSvg } from "../../src/plot/loss-curve.js";

/** Counts vega's SVG marks by their ARIA role description ("line mark", "rect mark", "point"). */
const count = (svg: string, role: string) => svg.split(`aria-roledescription="${role}"`).length - 1;
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe("lossCurveSvg", () => {
  const history = Array.from({ length: 50 }, (_, e) => ({ epoch: e + 1, loss: 1 / (e + 1), accuracy: e / 50, testLoss: 1.2 / (e + 1), testAccuracy: e / 60 }));
  it("draws loss and accuracy panels, train and test lines in each", async () => {
    const svg = await lossCurveSvg(history, "run 1");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(count(svg, "line mark")).toBe(4);
    expect(texts(svg)).toEqual(expect.arrayContaining(["run 1", "Loss", "Accuracy", "epoch", "loss", "accuracy", "train", "test"]));
  });
  it("without accuracy or test values draws one line in one panel", async () => {
    const svg = await lossCurveSvg(
      history.map((h) => ({ epoch: h.epoch, loss: h.loss })),
      "mse only",
    );
    expect(count(svg, "line mark")).toBe(1);
    expect(texts(svg)).not.toContain("Accuracy");
  });
  it("thins a long history to at most 1000 points per line", async () => {
    const long = Array.from({ length: 5000 }, (_, e) => ({ epoch: e, loss: 1 / (e + 1) }));
    const svg = await lossCurveSvg(long, "long");
    const path = /aria-roledescription="line mark"[^>]*d="([^"]*)"/.exec(svg) ?? /d="([^"]*)"[^>]*aria-roledescription="line mark"/.exec(svg);
    const vertices = (path![1]!.match(/[ML]/g) ?? []).length;
    expect(vertices).toBeGreaterThan(500);
    expect(vertices).toBeLessThanOrEqual(1000);
  });
});

describe("decisionBoundarySvg", () => {
  const points = [
    { x: -1, y: -1, label: 0 },
    { x: -1, y: 1, label: 0 },
    { x: 1, y: -1, label: 1 },
    { x: 1, y: 1, label: 1 },
    { x: 0.5, y: 0, label: 1 },
  ];
  it("draws the grid as one rectangle per run of equal prediction, plus every point", async () => {
    let calls = 0;
    const svg = await decisionBoundarySvg((x) => (calls++, x > 0.1 ? 1 : 0), points, "half-plane", { resolution: 20 });
    expect(calls).toBe(400);
    // Each of the 20 grid rows changes class once: two runs per row.
    expect(count(svg, "rect mark")).toBe(40);
    expect(count(svg, "point")).toBe(5);
    expect(texts(svg)).toEqual(expect.arrayContaining(["half-plane", "class", "0", "1", "x₁", "x₂"]));
  });
  it("a constant prediction is one rectangle per row", async () => {
    const svg = await decisionBoundarySvg(() => 2, points, "constant", { resolution: 12 });
    expect(count(svg, "rect mark")).toBe(12);
    expect(texts(svg)).toEqual(expect.arrayContaining(["2"]));
  });
});

describe("curvesSvg", () => {
  const xs = Array.from({ length: 81 }, (_, i) => -4 + i * 0.1);
  it("draws one line per series and the shaded training interval with its label", async () => {
    const svg = await curvesSvg(
      [
        { name: "truth", points: xs.map((x) => ({ x, y: x * x })) },
        { name: "model", points: xs.map((x) => ({ x, y: Math.min(x * x, 4 * Math.abs(x) - 4) })) },
        { name: "other", points: xs.map((x) => ({ x, y: 1 })) },
      ],
      "fit of y = x²",
      { x: "x", y: "y", band: { from: -2, to: 2, label: "training interval" } },
    );
    expect(count(svg, "line mark")).toBe(3);
    expect(count(svg, "rect mark")).toBe(1);
    expect(texts(svg)).toEqual(expect.arrayContaining(["fit of y = x²", "training interval", "truth", "model", "other", "x", "y"]));
  });
  it("a log y axis drops non-positive values instead of failing", async () => {
    const svg = await curvesSvg(
      [
        {
          name: "mse",
          points: [
            { x: 1, y: 0.5 },
            { x: 2, y: 0 },
            { x: 3, y: 0.1 },
          ],
        },
      ],
      "log",
      { x: "epoch", y: "loss", logY: true },
    );
    expect(count(svg, "line mark")).toBe(1);
    expect(svg).toMatch(/log scale/);
  });
});
