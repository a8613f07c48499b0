// What `nnc predict` prints for each row and, with labelled rows (--data), after them: each prediction with
// its class name, the row's true label, a mark on the wrong ones, then the loss, accuracy, confusion matrix
// and per-class accuracy. Text for people, one JSON object per line for --json (the same facts).
import { confusionJson, confusionMatrix, formatConfusion, type ConfusionMatrix } from "./confusion.js";

/** One row's prediction, as src/train/predict.ts's predictRows gives it (declared here: that module calls this one). */
export interface Prediction {
  input: number[];
  output: number[];
  /** argmax for several outputs, output ≥ 0.5 for one sigmoid output, null for regression. */
  class: number | null;
}

/** A row's true answer: its class index (classification) or its target values (regression). */
export interface Truth {
  /** Class index per row (Dataset.labels), null for regression. */
  labels: ArrayLike<number> | null;
  /** Row-major target values, `outputs` per row. */
  targets: ArrayLike<number>;
  outputs: number;
}

const number = (v: number): string => String(Number(v.toPrecision(6)));
/** The mark after a wrong prediction (terminal text; --json says `correct: false`). */
export const WRONG_MARK = "✗ wrong";

/** One prediction as text: `60, 170 → 0.91 → female`, with a true label `… → female (true: male)  ✗ wrong`. */
export function predictionText(p: Prediction, names: readonly string[] | null, truth: Truth | null, row: number): string {
  const values = p.output.map(number).join(", ");
  const predicted = p.class === null ? "" : ` → ${names?.[p.class] ?? `class ${p.class}`}`;
  let line = `${p.input.join(", ")} → ${values}${predicted}`;
  if (truth !== null) {
    if (truth.labels !== null && p.class !== null) {
      const t = truth.labels[row]!;
      line += ` (true: ${names?.[t] ?? `class ${t}`})${t === p.class ? "" : `  ${WRONG_MARK}`}`;
    } else {
      const targets = Array.from({ length: truth.outputs }, (_, k) => number(truth.targets[row * truth.outputs + k]!));
      line += ` (true: ${targets.join(", ")})`;
    }
  }
  return line;
}

/** One prediction as a JSON object: input, output, class (index or null), its name, and with a truth the label and whether it is right. */
export function predictionJson(p: Prediction, names: readonly string[] | null, truth: Truth | null, row: number): Record<string, unknown> {
  const json: Record<string, unknown> = { input: p.input, output: p.output, class: p.class };
  if (p.class !== null && names !== null) json.name = names[p.class];
  if (truth !== null) {
    if (truth.labels !== null && p.class !== null) {
      const t = truth.labels[row]!;
      json.label = t;
      if (names !== null) json.labelName = names[t];
      json.correct = t === p.class;
    } else json.target = Array.from({ length: truth.outputs }, (_, k) => truth.targets[row * truth.outputs + k]!);
  }
  return json;
}

/** The confusion matrix of labelled predictions; null for regression (no classes) or unlabelled rows. */
export function predictionConfusion(predictions: readonly Prediction[], truth: Truth, names: readonly string[]): ConfusionMatrix | null {
  if (truth.labels === null || predictions.some((p) => p.class === null)) return null;
  return confusionMatrix(
    truth.labels,
    predictions.map((p) => p.class!),
    names,
  );
}

export interface Metrics {
  loss: number;
  accuracy: number | null;
}

/** The lines after labelled predictions: rows, loss, accuracy and wrong count, then the confusion matrix. */
export function summaryText(rows: number, metrics: Metrics, confusion: ConfusionMatrix | null): string {
  const accuracy = metrics.accuracy === null ? "" : `, accuracy ${(metrics.accuracy * 100).toFixed(2)}%`;
  const wrong = confusion === null ? "" : ` (${confusion.total - confusion.correct} wrong)`;
  return `${rows} rows: loss ${metrics.loss.toPrecision(6)}${accuracy}${wrong}\n${confusion === null ? "" : formatConfusion(confusion)}`;
}

/** The summary object of --json: rows, the module's loss and accuracy, and the confusion matrix when there is one. */
export function summaryJson(rows: number, metrics: Metrics, confusion: ConfusionMatrix | null): Record<string, unknown> {
  return { type: "summary", rows, ...metrics, ...(confusion === null ? {} : { confusion: confusionJson(confusion) }) };
}
