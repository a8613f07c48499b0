// runLossSvg: several runs' losses on a log axis, non-finite and above-cap losses drawn clipped at the top.
import { describe, expect, test, vi } from "vitest";
import { accuracyCurvesSvg, runLossSvg } from "../../src/plot/lessons.js";

describe("runLossSvg", () => {
  test("a run that blows up is drawn clipped with ∞, with finite domains and no Vega warnings", async () => {
    const warn = vi.spyOn(console, "warn");
    const plot = await runLossSvg(
      [
        {
          name: "diverges",
          points: [
            { epoch: 0, loss: 5 },
            { epoch: 1, loss: Infinity },
          ],
        },
        { name: "converges", points: [0.3, 0.2, 0.12, 0.09].map((loss, epoch) => ({ epoch, loss })) },
      ],
      "two runs",
      { lossName: "mse", xScale: "symlog" },
    );
    expect(plot.clipped).toEqual(["diverges"]);
    // The default top is a decade above the largest finite loss (5 → 10 → 100).
    expect(plot.ceiling).toBe(100);
    expect(plot.svg).toMatch(/^<svg/);
    expect(plot.svg).toContain("label: ∞");
    expect(plot.svg).toContain("mse (log scale)");
    expect(warn.mock.calls.map((c) => String(c[0])).filter((m) => /Infinite extent/.test(m))).toEqual([]);
    warn.mockRestore();
  });

  test("with a cap, finite losses above it are clipped and labelled with their value", async () => {
    const plot = await runLossSvg(
      [
        {
          name: "huge start",
          points: [
            { epoch: 0, loss: 140000 },
            { epoch: 1, loss: 0.5 },
          ],
        },
        {
          name: "calm",
          points: [
            { epoch: 0, loss: 0.25 },
            { epoch: 1, loss: 0.2 },
          ],
        },
      ],
      "capped",
      { lossName: "mse", cap: 10 },
    );
    expect(plot.clipped).toEqual(["huge start"]);
    expect(plot.svg).toContain("1.4e+5");
    expect(plot.svg).not.toContain("label: ∞");
  });

  test("no run with a finite loss: a clear error, not an empty chart", async () => {
    await expect(runLossSvg([{ name: "nan", points: [{ epoch: 0, loss: NaN }] }], "t", { lossName: "mse" })).rejects.toThrow(/no finite positive loss/);
  });

  test("accuracy curves: a dashed reference run, the course's figures as labelled markers", async () => {
    const svg = await accuracyCurvesSvg(
      [
        { name: "nnc run", points: [0.1, 0.5, 0.9].map((accuracy, i) => ({ epoch: i + 1, accuracy })) },
        { name: "the lab's code", points: [0.2, 0.6, 0.95].map((accuracy, i) => ({ epoch: i + 1, accuracy })), dashed: true },
      ],
      [{ epoch: 3, accuracy: 0.8, label: "course ≈ 0.8" }],
      "acc",
    );
    expect(svg).toContain("course ≈ 0.8");
    expect(svg).toContain("the lab's code");
    expect(svg).toMatch(/stroke-dasharray="5,3"/);
    expect(svg).toContain("validation accuracy");
  });
});
