// Row 5: Fashion-MNIST (specs/fashion.nn, 784-256-128-10, Adam, 10 epochs) must reach ≥ 88 % test accuracy.
// The slow row: its training time is measured and reported as is. The data is Debian's dataset-fashion-mnist
// package (/usr/share/datasets/fashion-mnist); when it is missing the row says how to install it.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../atomic-write.js";
import { historyRows } from "../train/outputs.js";
import { curvesSvg } from "../train/plots.js";
import { specPath, trainQuietly } from "./train.js";
import { num, pct, type RowContext, type RowResult } from "./types.js";

export const FASHION_TARGET = 0.88;
export const FASHION_DIR = "/usr/share/datasets/fashion-mnist";

export interface FashionOptions {
  /** Another spec with a test set (tests use a tiny one); default specs/fashion.nn. */
  spec?: string;
  epochs?: number;
  /** Folder whose presence is required (default the Debian package's). */
  dataDir?: string;
}

export async function fashionRow(ctx: RowContext, options: FashionOptions = {}): Promise<RowResult> {
  const started = performance.now();
  const base = { id: "fashion", title: "Fashion-MNIST 784-256-128-10", specs: ["specs/fashion.nn"] };
  const dataDir = options.dataDir ?? FASHION_DIR;
  if (!existsSync(dataDir)) {
    return {
      ...base,
      checks: [
        {
          what: "test accuracy",
          target: `≥ ${FASHION_TARGET * 100} %`,
          measured: `not run: ${dataDir} is missing (install it: apt-get install dataset-fashion-mnist)`,
          pass: false,
        },
      ],
      body: "",
      seconds: 0,
      measuredAt: new Date().toISOString(),
    };
  }
  const { spec, run } = await trainQuietly(options.spec ?? specPath(ctx.root, "fashion.nn"), { epochs: options.epochs });
  const shortened = run.report.epochs < spec.training.epochs;
  const samplesPerSecond = (run.report.epochs * run.train.count) / run.seconds;
  const plot = "fashion-curves.svg";
  writeFileAtomic(join(ctx.outDir, plot), await curvesSvg(historyRows(run.report.history), "fashion"));
  const acc = run.testEval?.accuracy ?? null;
  const checks = [
    {
      what: "test accuracy after training",
      target: `≥ ${FASHION_TARGET * 100} %`,
      measured: `${pct(acc)} (test loss ${num(run.testEval?.loss)}) after ${run.report.epochs} epochs`,
      pass: acc !== null && acc >= FASHION_TARGET,
    },
  ];
  const perEpoch = run.seconds / Math.max(1, run.report.epochs);
  const table = [
    "| epoch | train loss | train accuracy | test accuracy |",
    "|---|---|---|---|",
    ...run.report.history.map((h) => `| ${h.epoch + 1} | ${num(h.loss)} | ${pct(h.accuracy)} | ${pct(h.testAccuracy)} |`),
  ];
  const body = [
    ...(shortened
      ? [
          `**Trained ${run.report.epochs} of the spec's ${spec.training.epochs} epochs** (\`npm run results -- --fashion-epochs ${run.report.epochs}\`): at the speed measured below, the full run did not fit in this session's time. The figure above is after ${run.report.epochs} epochs, not the spec's ${spec.training.epochs}.`,
          "",
        ]
      : []),
    `Training took ${run.seconds.toFixed(1)} s (${perEpoch.toFixed(1)} s per epoch, ${Math.round(samplesPerSecond).toLocaleString("en-US")} samples/s including the per-epoch evaluation passes over ${run.train.count} training and ${run.test?.count ?? 0} test images) on this 2-core machine. Training throughput alone, against TF.js and PyTorch on the same machine, is in bench/results.md (W5).`,
    "",
    table.join("\n"),
    "",
    `![fashion curves](results/${plot})`,
  ].join("\n");
  return { ...base, checks, body, seconds: (performance.now() - started) / 1000, measuredAt: new Date().toISOString() };
}
