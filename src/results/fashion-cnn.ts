// Row "fashion-cnn": specs/fashion-cnn.nn (two 3×3 conv layers with 2×2 max pooling, then fc 784→64→10) must
// reach ≥ 91 % Fashion-MNIST test accuracy in at most 10 epochs, where the 784-256-128-10 MLP (row "fashion")
// stops near 89 %. Compared with fashion.nn's committed figure; its learned first-layer filters are drawn as
// fashion-cnn-filters.svg. Like the MLP row, it needs Debian's dataset-fashion-mnist and says so when missing.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../atomic-write.js";
import { historyRows } from "../train/outputs.js";
import { curvesSvg } from "../train/plots.js";
import { beatsMlpCheck, committedMlpFigure, epochTable, timing, writeFilters } from "./cnn.js";
import { FASHION_DIR } from "./fashion.js";
import { specPath, trainQuietly } from "./train.js";
import { num, pct, type RowContext, type RowResult } from "./types.js";

export const FASHION_CNN_TARGET = 0.91;
export const FASHION_CNN_MAX_EPOCHS = 10;

export interface FashionCnnOptions {
  /** Another spec with a test set and a conv first layer (tests use a small one); default specs/fashion-cnn.nn. */
  spec?: string;
  epochs?: number;
  /** Folder whose presence is required (default the Debian package's). */
  dataDir?: string;
}

export async function fashionCnnRow(ctx: RowContext, options: FashionCnnOptions = {}): Promise<RowResult> {
  const started = performance.now();
  const base = { id: "fashion-cnn", title: "Fashion-MNIST CNN: 2 × (conv 3×3 → maxpool 2) → 64 → 10", specs: ["specs/fashion-cnn.nn"] };
  const target = `≥ ${FASHION_CNN_TARGET * 100} % within ${FASHION_CNN_MAX_EPOCHS} epochs`;
  const dataDir = options.dataDir ?? FASHION_DIR;
  if (!existsSync(dataDir)) {
    const measured = `not run: ${dataDir} is missing (install it: apt-get install dataset-fashion-mnist)`;
    return { ...base, checks: [{ what: "test accuracy", target, measured, pass: false }], body: "", seconds: 0, measuredAt: new Date().toISOString() };
  }
  ctx.log("  fashion-cnn.nn");
  const { run } = await trainQuietly(options.spec ?? specPath(ctx.root, "fashion-cnn.nn"), { epochs: options.epochs });
  const acc = run.testEval?.accuracy ?? null;
  const short = acc === null || acc >= FASHION_CNN_TARGET ? "" : `; ${((FASHION_CNN_TARGET - acc) * 100).toFixed(2)} points short`;
  const checks = [
    {
      what: "fashion-cnn.nn test accuracy after training",
      target,
      measured: `${pct(acc)} (test loss ${num(run.testEval?.loss)}) after ${run.report.epochs} epochs${short}`,
      pass: acc !== null && acc >= FASHION_CNN_TARGET && run.report.epochs <= FASHION_CNN_MAX_EPOCHS,
    },
    beatsMlpCheck(acc, committedMlpFigure(ctx.outDir, "fashion", "test accuracy"), "fashion.nn", "fashion", "test accuracy"),
  ];
  const filters = writeFilters(ctx.outDir, "fashion-cnn-filters.svg", run);
  const curves = "fashion-cnn-curves.svg";
  writeFileAtomic(join(ctx.outDir, curves), await curvesSvg(historyRows(run.report.history), "fashion-cnn"));
  const body = [
    `Training took ${timing(run)} over ${run.train.count} training and ${run.test?.count ?? 0} test images on this 2-core machine.`,
    "",
    epochTable(run, "test"),
    "",
    `![fashion-cnn curves](results/${curves})`,
    "",
    "The first conv layer's learned 3×3 filters (`layer1.weight`; pixels are 0 for background, up to 1 for the brightest cloth):",
    "",
    filters,
  ].join("\n");
  return { ...base, checks, body, seconds: (performance.now() - started) / 1000, measuredAt: new Date().toISOString() };
}
