// What a learner reads on the run's plots, checked on the SVG text: the loss named on its axis, no "test"
// legend entry without a test set, the learning rate when a schedule changes it, early stopping's kept epoch
// marked, visible markers on a one-evaluation history, no vega warnings for a run with no finite loss, axis
// names and class names on the decision boundary, and the regression fit drawn as points and a curve.
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { decisionBoundarySvg } from "../../src/plot/decision-boundary.js";
import { fitSvg } from "../../src/plot/fit.js";
import { lossCurveSvg } from "../../src/plot/loss-curve.js";

const count = (svg: string, role: string) => svg.split(`aria-roledescription="${role}"`).length - 1;
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

// vega reports problems through console.warn / console.error (its default logger).
let warn: MockInstance;
let error: MockInstance;
beforeEach(() => {
  warn = vi.spyOn(console, "warn");
  error = vi.spyOn(console, "error");
});
afterEach(() => {
  const calls = [...warn.mock.calls, ...error.mock.calls];
  vi.restoreAllMocks();
  expect(calls).toEqual([]);
});

describe("loss.svg", () => {
  const history = Array.from({ length: 50 }, (_, e) => ({ epoch: e + 1, loss: 1 / (e + 1), learningRate: 0.1 * 0.5 ** Math.floor(e / 10) }));

  it("names the loss on its axis; no test legend entry without a test set", async () => {
    const svg = await lossCurveSvg(history, "square: loss", { lossName: "MSE" });
    expect(texts(svg)).toContain("loss (MSE)");
    expect(texts(svg)).toContain("train");
    expect(texts(svg)).not.toContain("test");
    expect(count(svg, "line mark")).toBe(1);
  });

  it("with a test set, both entries", async () => {
    const svg = await lossCurveSvg(
      history.map((h) => ({ ...h, testLoss: h.loss * 1.1 })),
      "t",
      { lossName: "cross-entropy" },
    );
    expect(texts(svg)).toEqual(expect.arrayContaining(["loss (cross-entropy)", "train", "test"]));
  });

  it("the learning rate panel only when asked (a schedule), on a log axis for a 16× fall", async () => {
    expect(texts(await lossCurveSvg(history, "t"))).not.toContain("learning rate");
    const svg = await lossCurveSvg(history, "t", { learningRate: true });
    expect(texts(svg)).toEqual(expect.arrayContaining(["Learning rate (schedule)", "learning rate"]));
    expect(count(svg, "line mark")).toBe(2);
    // Log axis ticks are decades and their multiples, e.g. 0.01 between 0.00625 and 0.1.
    expect(texts(svg)).toContain("0.01");
  });

  it("marks the kept epoch with a rule and its label", async () => {
    const svg = await lossCurveSvg(history, "t", { keptEpoch: 17, keptLabel: "early stopping kept epoch 17" });
    expect(count(svg, "rule mark")).toBe(1);
    expect(texts(svg)).toContain("early stopping kept epoch 17");
    const plain = await lossCurveSvg(history, "t");
    expect(count(plain, "rule mark")).toBe(0);
  });

  it("a single evaluation (gender stops after epoch 1) is drawn as a visible point", async () => {
    const svg = await lossCurveSvg([{ epoch: 1, loss: 0.08, accuracy: 1 }], "gender");
    expect(count(svg, "point")).toBe(2);
    const many = await lossCurveSvg(history, "t");
    expect(count(many, "point")).toBe(0);
  });

  it("no finite loss at all (diverged in epoch 1): a note, fixed axes, no vega warning", async () => {
    const svg = await lossCurveSvg([], "diverged", { lossName: "MSE", emptyNote: "the loss became non-finite during epoch 1" });
    expect(texts(svg)).toEqual(expect.arrayContaining(["the loss became non-finite during epoch 1", "loss (MSE)", "epoch"]));
    const nonFinite = await lossCurveSvg([{ epoch: 1, loss: Infinity }], "diverged");
    expect(texts(nonFinite)).toContain("no finite loss to draw");
  });
});

describe("boundary.svg", () => {
  const points = [
    { x: 60.3, y: 165, label: 1 },
    { x: 72.6, y: 183, label: 0 },
    { x: 68.9, y: 178, label: 0 },
    { x: 54.4, y: 152, label: 1 },
  ];

  it("axis names and class names when given; large outlined points for 4 rows", async () => {
    const svg = await decisionBoundarySvg((x) => (x < 65 ? 1 : 0), points, "gender", { resolution: 10, axes: ["kg", "cm"], classNames: ["male", "female"] });
    expect(texts(svg)).toEqual(expect.arrayContaining(["kg", "cm", "male", "female"]));
    expect(texts(svg)).not.toContain("x₁");
    expect(svg).toMatch(/aria-roledescription="point"[^>]*d="M[^"]*"[^>]*stroke="#222"|stroke="#222"[^>]*aria-roledescription="point"/);
  });

  it("defaults: x₁, x₂ and the class indices; small points for a large set", async () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ x: i % 10, y: Math.floor(i / 10), label: i % 2 }));
    const svg = await decisionBoundarySvg((x) => (x < 5 ? 1 : 0), many, "b", { resolution: 10 });
    expect(texts(svg)).toEqual(expect.arrayContaining(["x₁", "x₂", "0", "1"]));
    expect(svg).not.toContain('stroke="#222"');
  });
});

describe("fit.svg", () => {
  it("the training points and the network's curve, axes named", async () => {
    const data = Array.from({ length: 50 }, (_, i) => ({ x: -2 + (4 * i) / 49, y: (-2 + (4 * i) / 49) ** 2 }));
    let calls = 0;
    const svg = await fitSvg((x) => (calls++, Math.abs(x) * 2 - 1), data, "square: fitted curve (regression)", { x: "x", y: "y = x²", samples: 120 });
    expect(calls).toBe(120);
    expect(count(svg, "point")).toBe(50);
    expect(count(svg, "line mark")).toBe(1);
    expect(texts(svg)).toEqual(expect.arrayContaining(["square: fitted curve (regression)", "x", "y = x²", "training data", "network"]));
  });

  it("a non-finite output is left out of the curve without warnings", async () => {
    const svg = await fitSvg(
      (x) => (x > 0 ? NaN : x),
      [
        { x: -1, y: 1 },
        { x: 1, y: 1 },
      ],
      "f",
      { x: "x", y: "y" },
    );
    expect(count(svg, "line mark")).toBe(1);
  });
});
