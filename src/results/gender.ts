// Row 1: the course's first network (specs/gender.nn): trains until the mean loss is below 0.1 and stops,
// then classifies two new people. Target 1 = female in the spec's rows, so class 0 = male.
import { join } from "node:path";
import { writeFileAtomic } from "../atomic-write.js";
import { boundarySvg } from "../train/plots.js";
import { predictRows } from "../train/predict.js";
import { specPath, trainQuietly } from "./train.js";
import { num, type RowContext, type RowResult } from "./types.js";

export const GENDER_PEOPLE = [
  { kg: 89, cm: 190, expected: 0, who: "male" },
  { kg: 60, cm: 155, expected: 1, who: "female" },
] as const;

export async function genderRow(ctx: RowContext, options: { spec?: string } = {}): Promise<RowResult> {
  const started = performance.now();
  const file = options.spec ?? specPath(ctx.root, "gender.nn");
  const { spec, run } = await trainQuietly(file);
  const raw = Float64Array.from(GENDER_PEOPLE.flatMap((p) => [p.kg, p.cm]));
  const predictions = predictRows(run.module, run.params, run.stats, spec.data?.scale ?? 1, raw, GENDER_PEOPLE.length);
  const plot = "gender-boundary.svg";
  writeFileAtomic(
    join(ctx.outDir, plot),
    await boundarySvg(run.module, run.params, run.stats, run.rawTrainFeatures, run.train.labels!, "gender: decision boundary (kg, cm)"),
  );
  const checks = [
    {
      what: "training stops once the loss is below 0.1",
      target: "loss < 0.1, stopped by the loss target",
      measured: `loss ${num(run.trainEval.loss)} after ${run.report.epochs} epoch${run.report.epochs === 1 ? "" : "s"} (stopped by ${run.report.stoppedBy})`,
      pass: run.trainEval.loss < 0.1 && run.report.stoppedBy === "loss_below",
    },
    ...GENDER_PEOPLE.map((person, i) => ({
      what: `(${person.kg} kg, ${person.cm} cm) is ${person.who}`,
      target: `class ${person.expected} (${person.who}; 1 = female)`,
      measured: `output ${num(predictions[i]!.output[0]!)} → class ${predictions[i]!.class}`,
      pass: predictions[i]!.class === person.expected,
    })),
  ];
  const history = run.report.history.map((h) => `| ${h.epoch + 1} | ${num(h.loss)} |`).join("\n");
  const body = [
    `Loss per evaluated epoch (mean squared error over the 4 people, evaluated after each epoch):`,
    "",
    "| epoch | loss |",
    "|---|---|",
    history,
    "",
    `![gender decision boundary](results/${plot})`,
  ].join("\n");
  return {
    id: "gender",
    title: "Gender 2-2-1",
    specs: ["specs/gender.nn"],
    checks,
    body,
    seconds: (performance.now() - started) / 1000,
    measuredAt: new Date().toISOString(),
  };
}
