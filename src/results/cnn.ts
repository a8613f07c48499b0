// What the two CNN rows (letters-cnn, fashion-cnn) share: the learned first-layer filters drawn into
// docs/results/, the MLP row's figure each CNN is compared with, and the per-epoch table.
//
// The MLP figure is read from the MLP row's committed result (docs/results/<id>.json) rather than re-measured:
// the Fashion MLP alone takes about 6 minutes, and the MLP rows keep their own dated section. The comparison
// names that date, so a reader sees both figures come from separate runs on the same data.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../atomic-write.js";
import { firstLayerFiltersSvg } from "../plot/filters.js";
import type { TrainedSpec } from "../train/run.js";
import { pct, type Check, type RowResult } from "./types.js";

/** A committed MLP row's accuracy: the leading "NN.NN %" of its first check whose `what` starts with `specName`. */
export interface MlpFigure {
  accuracy: number;
  /** That check's measured text (e.g. "98.80 % after 20 epochs; …"). */
  measured: string;
  measuredAt: string;
}

export function committedMlpFigure(outDir: string, rowId: string, specName: string): MlpFigure | null {
  const file = join(outDir, `${rowId}.json`);
  if (!existsSync(file)) return null;
  const row = JSON.parse(readFileSync(file, "utf8")) as RowResult;
  const check = row.checks.find((c) => c.what.startsWith(specName));
  const m = check ? /^(\d+(?:\.\d+)?) %/.exec(check.measured) : null;
  return m && check ? { accuracy: Number(m[1]) / 100, measured: check.measured, measuredAt: row.measuredAt } : null;
}

/** The check "the CNN's accuracy is above the MLP's": fails (saying why) when the MLP row was never measured. */
export function beatsMlpCheck(cnnAccuracy: number | null, mlp: MlpFigure | null, mlpSpec: string, mlpRow: string, metric: string): Check {
  const what = `beats ${mlpSpec} (the MLP, row "${mlpRow}")`;
  const target = `${metric} above the MLP's committed figure`;
  if (mlp === null)
    return { what, target, measured: `no MLP figure: docs/results/${mlpRow}.json is missing (npm run results -- --only ${mlpRow})`, pass: false };
  const diff = cnnAccuracy === null ? null : (cnnAccuracy - mlp.accuracy) * 100;
  return {
    what,
    target,
    measured: `${pct(cnnAccuracy)} vs ${pct(mlp.accuracy)} (MLP: ${mlp.measured.split(";")[0]}, measured ${mlp.measuredAt.slice(0, 10)})${diff === null ? "" : `: ${diff >= 0 ? "+" : ""}${diff.toFixed(2)} points`}`,
    pass: cnnAccuracy !== null && cnnAccuracy > mlp.accuracy,
  };
}

/** Writes <outDir>/<file> with the trained net's first-layer filters; the Markdown line linking it, or a note why there is none. */
export function writeFilters(outDir: string, file: string, run: TrainedSpec): string {
  const svg = firstLayerFiltersSvg(run.module.meta.layout, run.params, run.module.meta.name);
  if (svg === null) return "(no filters.svg: the net's first layer is not a convolution)";
  writeFileAtomic(join(outDir, file), svg);
  return `![${run.module.meta.name}: learned first-layer filters](results/${file})`;
}

/** | epoch | train loss | train accuracy | <heldOut> accuracy | rows from a run's history. */
export function epochTable(run: TrainedSpec, heldOut: string): string {
  return [
    `| epoch | train loss | train accuracy | ${heldOut} accuracy |`,
    "|---|---|---|---|",
    ...run.report.history.map((h) => `| ${h.epoch + 1} | ${Number(h.loss.toPrecision(4))} | ${pct(h.accuracy)} | ${pct(h.testAccuracy)} |`),
  ].join("\n");
}

/** "12.3 s (1.2 s per epoch, 4,567 samples/s including the per-epoch evaluation passes)". */
export function timing(run: TrainedSpec): string {
  const perEpoch = run.seconds / Math.max(1, run.report.epochs);
  const samplesPerSecond = (run.report.epochs * run.train.count) / run.seconds;
  return `${run.seconds.toFixed(1)} s (${perEpoch.toFixed(1)} s per epoch, ${Math.round(samplesPerSecond).toLocaleString("en-US")} samples/s including the per-epoch evaluation passes)`;
}
