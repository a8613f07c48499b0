// The sweep's table, as Markdown (sweep.md, docs/results.md, the terminal) and CSV (sweep.csv).
export interface SweepRow {
  variable: string;
  value: number;
  /** Final metrics in eval mode on the training set (and the test set when the spec has one). */
  loss: number;
  accuracy: number | null;
  testLoss: number | null;
  testAccuracy: number | null;
  epochs: number;
  stoppedBy: string;
  /** Seconds of training (without data loading and module generation). */
  seconds: number;
  /** File name of the variant's decision-boundary plot inside the sweep folder, or null (not 2-D classification). */
  boundary: string | null;
  /** Kinds of the doctor's findings ("non_finite", "saturated", "unstable"); empty when none. */
  doctor: string[];
}

const percent = (v: number | null): string => (v === null ? "–" : `${(v * 100).toFixed(2)} %`);
const number = (v: number | null): string => (v === null ? "–" : Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v));

export function sweepMarkdown(rows: readonly SweepRow[]): string {
  const hasTest = rows.some((r) => r.testAccuracy !== null || r.testLoss !== null);
  const hasAccuracy = rows.some((r) => r.accuracy !== null);
  const head = [
    rows[0]?.variable ?? "value",
    "train loss",
    ...(hasAccuracy ? ["train accuracy"] : []),
    ...(hasTest ? ["test loss", "test accuracy"] : []),
    "epochs",
    "stopped by",
    "time (s)",
    "doctor",
  ];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const r of rows) {
    const cells = [
      String(r.value),
      number(r.loss),
      ...(hasAccuracy ? [percent(r.accuracy)] : []),
      ...(hasTest ? [number(r.testLoss), percent(r.testAccuracy)] : []),
      String(r.epochs),
      r.stoppedBy,
      r.seconds.toFixed(2),
      r.doctor.length ? r.doctor.join(", ") : "ok",
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines.join("\n") + "\n";
}

export function sweepCsv(rows: readonly SweepRow[]): string {
  const cell = (v: number | null | string): string => (v === null ? "" : String(v));
  const lines = ["variable,value,loss,accuracy,test_loss,test_accuracy,epochs,stopped_by,seconds,doctor"];
  for (const r of rows) {
    lines.push([r.variable, r.value, r.loss, r.accuracy, r.testLoss, r.testAccuracy, r.epochs, r.stoppedBy, r.seconds, r.doctor.join(" ")].map(cell).join(","));
  }
  return lines.join("\n") + "\n";
}
