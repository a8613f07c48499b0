// Row "letters-cnn": the letters lab's next step, specs/letters-cnn.nn (1×17×17 → conv 6 4×4 relu → maxpool 2 →
// fc 294→26 softmax) on the same `nnc data letters` glyphs as the MLP row, must reach ≥ 99.2 % validation
// accuracy — the course's best letters figure, which its MLP only reached with many more epochs. Compared
// with letters.nn's committed figure (row "letters"); its learned filters are drawn as letters-cnn-filters.svg.
import { join } from "node:path";
import { writeFileAtomic } from "../atomic-write.js";
import { loadSpec } from "../front/index.js";
import { historyRows } from "../train/outputs.js";
import { curvesSvg } from "../train/plots.js";
import { beatsMlpCheck, committedMlpFigure, epochTable, timing, writeFilters } from "./cnn.js";
import { ensureLettersData, firstEpochAt, withLettersDir } from "./letters.js";
import { specPath, trainQuietly } from "./train.js";
import { pct, type RowContext, type RowResult } from "./types.js";

export const LETTERS_CNN_TARGET = 0.992;

export interface LettersCnnOptions {
  /** Folder with train-x/-y and val-x/-y .npy (default <root>/data/letters, generated when missing). */
  dataDir?: string;
  epochs?: number;
}

export async function lettersCnnRow(ctx: RowContext, options: LettersCnnOptions = {}): Promise<RowResult> {
  const started = performance.now();
  const dataDir = ensureLettersData(ctx, options.dataDir);
  const file = specPath(ctx.root, "letters-cnn.nn");
  ctx.log("  letters-cnn.nn");
  const { spec, run } = await trainQuietly(file, { spec: withLettersDir(loadSpec(file), dataDir), epochs: options.epochs });
  const acc = run.testEval?.accuracy ?? null;
  const hit = firstEpochAt(run, LETTERS_CNN_TARGET);
  const short = acc === null || acc >= LETTERS_CNN_TARGET ? "" : `; ${((LETTERS_CNN_TARGET - acc) * 100).toFixed(2)} points short`;
  const checks = [
    {
      what: "letters-cnn.nn validation accuracy",
      target: `≥ ${LETTERS_CNN_TARGET * 100} % (the course's best letters figure) within the spec's ${spec.training.epochs} epochs`,
      measured: `${pct(acc)} after ${run.report.epochs} epochs${hit === null ? "" : `; first ≥ ${LETTERS_CNN_TARGET * 100} % at epoch ${hit}`}${short}`,
      pass: acc !== null && acc >= LETTERS_CNN_TARGET && run.report.epochs <= spec.training.epochs,
    },
    beatsMlpCheck(acc, committedMlpFigure(ctx.outDir, "letters", "letters.nn"), "letters.nn", "letters", "validation accuracy"),
  ];
  const filters = writeFilters(ctx.outDir, "letters-cnn-filters.svg", run);
  const curves = "letters-cnn-curves.svg";
  writeFileAtomic(join(ctx.outDir, curves), await curvesSvg(historyRows(run.report.history), "letters-cnn"));
  const body = [
    `Data: the same ${run.train.count} training and ${run.test?.count ?? 0} validation glyphs as row "letters" (\`nnc data letters\`); both sets are drawn from the same fonts with fresh jitter (docs/letters-data.md), so this measures new renderings of typefaces the net has seen, not unseen fonts. Training took ${timing(run)} on this 2-core machine.`,
    "",
    epochTable(run, "validation"),
    "",
    `![letters-cnn curves](results/${curves})`,
    "",
    `The first layer's learned filters (\`layer1.weight\`; the glyphs are ink 1 on background 0, so a red weight responds to ink under it and a blue one to ink's absence):`,
    "",
    filters,
  ].join("\n");
  return {
    id: "letters-cnn",
    title: "Letters CNN: conv 6 4×4 → maxpool 2 → 26",
    specs: ["specs/letters-cnn.nn"],
    checks,
    body,
    seconds: (performance.now() - started) / 1000,
    measuredAt: new Date().toISOString(),
  };
}
