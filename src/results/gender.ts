// Row 1: the course's first network (seed 000, "判断性别") told as the course tells it, in four runs of the
// 2-2-1 net on four people, per-sample SGD, stop once the loss is below 0.1:
//   1. every unit linear, raw kg/cm       → the loss is infinite from the first epoch  (gender-linear.nn)
//   2. sigmoid units, raw kg/cm           → the loss falls to about 0.25 and stays      (gender-raw.nn)
//   3. sigmoid units, zero-mean inputs    → converges below 0.1 over many epochs        (gender-zero-mean.nn)
//   4. as 3 with far too large a rate     → the loss rises                              (gender-lr-too-large.nn)
// then classifies the course's two new people with run 3's net. Each run's loss curve starts at epoch 0 (the
// starting weights, evaluated here) and all four share one plot; the doctor's words follow each run.
import { join } from "node:path";
import { writeFileAtomic } from "../atomic-write.js";
import { formatFindings } from "../doctor/index.js";
import { runLossSvg, type RunLoss } from "../plot/lessons.js";
import { boundarySvg } from "../train/plots.js";
import { predictRows } from "../train/predict.js";
import type { TrainedSpec } from "../train/run.js";
import { lossesFromStart, specPath, startingLoss, trainQuietly } from "./train.js";
import { num, type Check, type RowContext, type RowResult } from "./types.js";
import { ruleOf } from "../layers/index.js";
import type { Layer } from "../ir.js";

/** "2→2 sigmoid": the rule's one-liner piece, after the inputs when the layer declares its widths. */
function layerText(layer: Layer): string {
  const rule = ruleOf(layer);
  const widths = rule.syntax?.widths(layer);
  return widths ? `${widths.inputs}→${rule.describe(layer)}` : rule.describe(layer);
}

export const GENDER_PEOPLE = [
  { kg: 89, cm: 190, expected: 0, who: "male" },
  { kg: 60, cm: 155, expected: 1, who: "female" },
] as const;

/** The course's "about 0.25" for the raw-input run, and how far the measured plateau may be from it. */
export const RAW_PLATEAU = 0.25;
export const RAW_PLATEAU_TOLERANCE = 0.02;
/** Top of the plot's loss axis: the linear run's losses (10⁵ and then Infinity) are drawn clipped there. */
export const GENDER_LOSS_CAP = 10;
/** "Over many epochs": the zero-mean run must not be done within this many. */
export const ZERO_MEAN_MIN_EPOCHS = 100;

export type GenderRunId = "linear" | "raw" | "zero-mean" | "lr-too-large";

export const GENDER_RUNS: readonly { id: GenderRunId; spec: string; label: string; course: string }[] = [
  { id: "linear", spec: "gender-linear.nn", label: "1. linear units, raw kg/cm", course: "the loss is infinite from the first epoch" },
  { id: "raw", spec: "gender-raw.nn", label: "2. sigmoid, raw kg/cm", course: "the loss falls to about 0.25 and stays there" },
  { id: "zero-mean", spec: "gender-zero-mean.nn", label: "3. sigmoid, zero-mean inputs", course: "the loss converges below 0.1 over many epochs at lr 0.001" },
  { id: "lr-too-large", spec: "gender-lr-too-large.nn", label: "4. zero-mean, lr 100", course: "too large a learning rate: the loss rises" },
];

/** The check of one run against what the course says happens; `points` are its losses from epoch 0. */
export function genderCheck(id: GenderRunId, run: TrainedSpec, points: readonly { epoch: number; loss: number }[]): Check {
  const meta = GENDER_RUNS.find((r) => r.id === id)!;
  const start = points[0]!.loss;
  const finite = points.filter((p) => Number.isFinite(p.loss));
  const last = finite.at(-1)!;
  const what = `${meta.spec}: ${meta.label.replace(/^\d\. /, "")}`;
  const target = `${meta.course} (the course)`;
  const stopped = `stopped by ${run.report.stoppedBy}`;
  switch (id) {
    case "linear":
      return {
        what,
        target,
        measured:
          run.report.stoppedBy === "non_finite"
            ? `loss ${num(start)} at the start, NaN/Infinity during epoch ${run.report.epochs + 1} (${stopped})`
            : `loss ${num(last.loss)} after ${last.epoch} epochs, never infinite (${stopped})`,
        pass: run.report.stoppedBy === "non_finite" && run.report.epochs === 0,
      };
    case "raw": {
      // "Stays": the last tenth of the run moves by less than 1 % of the plateau.
      const tail = finite.filter((p) => p.epoch >= last.epoch * 0.9).map((p) => p.loss);
      const spread = Math.max(...tail) - Math.min(...tail);
      return {
        what,
        target: `${target}: within ${RAW_PLATEAU_TOLERANCE} of ${RAW_PLATEAU}, below the start, flat over the last tenth`,
        measured: `${num(start)} at the start → ${num(points[1]?.loss)} after epoch 1 → ${num(last.loss)} after epoch ${last.epoch} (last tenth moves by ${num(spread)}; ${stopped})`,
        pass: Math.abs(last.loss - RAW_PLATEAU) <= RAW_PLATEAU_TOLERANCE && last.loss < start && spread < 0.01 * RAW_PLATEAU,
      };
    }
    case "zero-mean":
      return {
        what,
        target: `${target}: stopped by the loss target after ≥ ${ZERO_MEAN_MIN_EPOCHS} epochs`,
        measured: `${num(start)} at the start → ${num(last.loss)} after epoch ${last.epoch} (${stopped})`,
        pass: run.report.stoppedBy === "loss_below" && last.loss < 0.1 && run.report.epochs >= ZERO_MEAN_MIN_EPOCHS,
      };
    case "lr-too-large": {
      const peak = finite.reduce((a, b) => (b.loss > a.loss ? b : a));
      return {
        what,
        target: `${target}: ends above where it started, never below 0.1`,
        measured: `${num(start)} at the start → ${num(points[1]?.loss)} after epoch 1 → ${num(last.loss)} after epoch ${last.epoch} (highest ${num(peak.loss)} at epoch ${peak.epoch}; ${stopped})`,
        pass: last.loss > start && run.report.stoppedBy !== "loss_below",
      };
    }
  }
}

export async function genderRow(ctx: RowContext): Promise<RowResult> {
  const started = performance.now();
  const checks: Check[] = [];
  const curves: RunLoss[] = [];
  const blocks: string[] = [];
  let zeroMean: { run: TrainedSpec; scale: number } | null = null;
  for (const meta of GENDER_RUNS) {
    ctx.log(`  ${meta.spec}`);
    const { spec, run } = await trainQuietly(specPath(ctx.root, meta.spec));
    const points = lossesFromStart(run, startingLoss(run));
    checks.push(genderCheck(meta.id, run, points));
    curves.push({ name: meta.label, points });
    if (meta.id === "zero-mean") zeroMean = { run, scale: spec.data?.scale ?? 1 };
    const t = spec.training;
    blocks.push(
      `**${meta.label}** (\`specs/${meta.spec}\`: ${spec.layers.map(layerText).join(", ")}, lr ${t.learningRate}, batch ${t.batchSize}, init ${spec.init.scheme.kind}${spec.init.scheme.kind === "normal" ? ` std ${spec.init.scheme.std}` : ""}, normalize ${spec.data?.normalize ?? "none"}): the course says ${meta.course}; ${run.report.epochs} epochs, stopped by ${run.report.stoppedBy}. The doctor:`,
      "",
      "```",
      formatFindings(run.findings).trimEnd(),
      "```",
      "",
    );
  }
  const trained = zeroMean!.run;
  const raw = Float64Array.from(GENDER_PEOPLE.flatMap((p) => [p.kg, p.cm]));
  const predictions = predictRows(trained.module, trained.params, trained.stats, zeroMean!.scale, raw, GENDER_PEOPLE.length);
  checks.push(
    ...GENDER_PEOPLE.map((person, i) => ({
      what: `(${person.kg} kg, ${person.cm} cm) is ${person.who}, by run 3's net`,
      target: `class ${person.expected} (${person.who}; 1 = female)`,
      measured: `output ${num(predictions[i]!.output[0]!)} → class ${predictions[i]!.class}`,
      pass: predictions[i]!.class === person.expected,
    })),
  );
  const lossPlot = "gender-runs-loss.svg";
  const plotted = await runLossSvg(curves, "gender: the course's four runs", {
    lossName: "mean squared error",
    xScale: "symlog",
    cap: GENDER_LOSS_CAP,
  });
  writeFileAtomic(join(ctx.outDir, lossPlot), plotted.svg);
  const boundary = "gender-boundary.svg";
  writeFileAtomic(
    join(ctx.outDir, boundary),
    await boundarySvg(
      trained.module,
      trained.params,
      trained.stats,
      trained.rawTrainFeatures,
      trained.train.labels!,
      "gender-zero-mean: decision boundary (kg, cm)",
    ),
  );
  const body = [
    "The course (seed 000) builds the 2-2-1 net in four runs, each fixing what broke the one before; here each is its own spec, trained as `nnc train` trains it. Losses are the mean squared error over the four people, evaluated after each epoch; epoch 0 is the starting weights.",
    "",
    `![gender: loss per epoch of the four runs](results/${lossPlot})`,
    "",
    `The loss axis is logarithmic and ends at ${GENDER_LOSS_CAP}, so that runs 2–4 can be told apart; ${
      plotted.clipped.length > 0
        ? `losses above it are drawn clipped at the top with their value (▲; ∞ = NaN/Infinity): ${plotted.clipped.map((r) => `run “${r}”`).join(", ")}.`
        : "no loss went above it."
    } The epoch axis is symlog, so epoch 0 and the first epochs stay visible beside run 3's thousands.`,
    "",
    "Run 3 uses the course's fixed settings (lr 0.001, up to 100 000 epochs) and starts from small weights, N(0, 0.01²), at loss ≈ 0.25 (every output ≈ 0.5); `specs/gender.nn` (Xavier weights, lr 0.1) is below 0.1 after its first epoch. Run 4 is the course's \"too large a learning rate\": the course's own later note says that once its sigmoid bug was fixed the rise hardly appears at lr 0.1, and nnc's net converges at 0.1 too, so the rise is shown at lr 100, where the first steps throw the units into saturation.",
    "",
    ...blocks,
    `Run 3's net then classifies the course's two new people (zero-mean with the training means, as the course does): ${predictions.map((p, i) => `(${GENDER_PEOPLE[i]!.kg} kg, ${GENDER_PEOPLE[i]!.cm} cm) → ${num(p.output[0]!)}`).join(", ")}.`,
    "",
    `![gender-zero-mean decision boundary](results/${boundary})`,
  ].join("\n");
  return {
    id: "gender",
    title: "Gender 2-2-1: the course's four runs",
    specs: GENDER_RUNS.map((r) => `specs/${r.spec}`),
    checks,
    body,
    seconds: (performance.now() - started) / 1000,
    measuredAt: new Date().toISOString(),
  };
}
