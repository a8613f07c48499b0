// Row 3: y = x² on [−2, 2] (specs/square.nn). The fit is measured independently of the training loss: plain
// mean squared error of the trained module against x² on a fine grid inside the training interval, and the
// error outside it, on [−4, −2) ∪ (2, 4] — the lesson: an MLP interpolates but does not extrapolate.
import { join } from "node:path";
import { writeFileAtomic } from "../atomic-write.js";
import { curvesSvg } from "../plot/curves.js";
import { predictRows } from "../train/predict.js";
import { specPath, trainQuietly } from "./train.js";
import { num, type RowContext, type RowResult } from "./types.js";

export const SQUARE_MSE_TARGET = 0.01;
/** Outside the training interval the model should be visibly wrong: mean squared error above this. */
export const SQUARE_OUTSIDE_MIN = 1;

export async function squareRow(ctx: RowContext, options: { epochs?: number } = {}): Promise<RowResult> {
  const started = performance.now();
  const { spec, run } = await trainQuietly(specPath(ctx.root, "square.nn"), { epochs: options.epochs });
  const grid = Array.from({ length: 801 }, (_, i) => -4 + i * 0.01);
  const predictions = predictRows(run.module, run.params, run.stats, spec.data?.scale ?? 1, Float64Array.from(grid), grid.length);
  const model = predictions.map((p) => p.output[0]!);
  const mse = (keep: (x: number) => boolean): number => {
    let sum = 0;
    let n = 0;
    grid.forEach((x, i) => {
      if (!keep(x)) return;
      sum += (model[i]! - x * x) ** 2;
      n += 1;
    });
    return sum / n;
  };
  const inside = mse((x) => x >= -2 - 1e-9 && x <= 2 + 1e-9);
  const outside = mse((x) => x < -2 - 1e-9 || x > 2 + 1e-9);
  const at4 = model[grid.length - 1]!;
  const atMinus4 = model[0]!;
  const plot = "square-extrapolation.svg";
  writeFileAtomic(
    join(ctx.outDir, plot),
    await curvesSvg(
      [
        { name: "truth y = x²", points: grid.map((x) => ({ x, y: x * x })) },
        { name: "model", points: grid.map((x, i) => ({ x, y: model[i]! })) },
      ],
      "square: 1-32-1 relu trained on [−2, 2], evaluated on [−4, 4]",
      { x: "x", y: "y", band: { from: -2, to: 2, label: "training interval" } },
    ),
  );
  const checks = [
    {
      what: "fit inside the training interval [−2, 2]",
      target: `MSE against x² < ${SQUARE_MSE_TARGET}`,
      measured: `MSE ${num(inside)} on 401 grid points (training loss ${num(run.trainEval.loss)} after ${run.report.epochs} epochs)`,
      pass: inside < SQUARE_MSE_TARGET,
    },
    {
      what: "no extrapolation outside it ([−4, −2) ∪ (2, 4])",
      target: `MSE against x² > ${SQUARE_OUTSIDE_MIN} (the model continues linearly)`,
      measured: `MSE ${num(outside)}; model(4) = ${num(at4)} vs 16, model(−4) = ${num(atMinus4)} vs 16`,
      pass: outside > SQUARE_OUTSIDE_MIN,
    },
  ];
  const body = [
    "ReLU units are piecewise linear, so beyond the last kink the model is a straight line: it matches x² where it saw data and drifts away outside.",
    "",
    `![square extrapolation](results/${plot})`,
  ].join("\n");
  return {
    id: "square",
    title: "x² regression and extrapolation",
    specs: ["specs/square.nn"],
    checks,
    body,
    seconds: (performance.now() - started) / 1000,
    measuredAt: new Date().toISOString(),
  };
}
