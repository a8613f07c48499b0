// The confusion matrix of a classifier on labelled rows, with per-class accuracy (recall: the share of a
// class's rows predicted as that class) and precision (the share of rows predicted as a class that are
// that class), as `nnc predict --data` and `nnc train` print them and confusion.svg draws them.
// Rows are true classes, columns predicted ones (scikit-learn's confusion_matrix convention).

export interface ClassScore {
  name: string;
  /** Rows whose true class this is. */
  support: number;
  /** Rows predicted as this class. */
  predicted: number;
  /** Rows of this class predicted as it (the diagonal). */
  correct: number;
  /** correct / support; null when the class has no rows. */
  accuracy: number | null;
  /** correct / predicted; null when nothing was predicted as this class. */
  precision: number | null;
}

export interface ConfusionMatrix {
  classes: string[];
  /** counts[t][p]: rows of true class t predicted as class p. */
  counts: number[][];
  total: number;
  correct: number;
  /** correct / total (0 rows: null). */
  accuracy: number | null;
  perClass: ClassScore[];
}

/** Counts each row's (true, predicted) pair; a class index outside 0…names.length − 1 is a bug (an Error). */
export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, names: readonly string[]): ConfusionMatrix {
  if (truth.length !== predicted.length) throw new Error(`confusion matrix: ${truth.length} true labels but ${predicted.length} predictions`);
  const k = names.length;
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let r = 0; r < truth.length; r++) {
    const t = truth[r]!;
    const p = predicted[r]!;
    if (!(Number.isInteger(t) && t >= 0 && t < k && Number.isInteger(p) && p >= 0 && p < k))
      throw new Error(`confusion matrix: row ${r} has class ${t} → ${p}, outside 0…${k - 1}`);
    counts[t]![p]!++;
  }
  let correct = 0;
  const perClass = names.map((name, c) => {
    const support = counts[c]!.reduce((a, b) => a + b, 0);
    const column = counts.reduce((sum, row) => sum + row[c]!, 0);
    const diagonal = counts[c]![c]!;
    correct += diagonal;
    return {
      name,
      support,
      predicted: column,
      correct: diagonal,
      accuracy: support === 0 ? null : diagonal / support,
      precision: column === 0 ? null : diagonal / column,
    };
  });
  const total = truth.length;
  return { classes: [...names], counts, total, correct, accuracy: total === 0 ? null : correct / total, perClass };
}

const percent = (v: number | null): string => (v === null ? "—" : `${(v * 100).toFixed(1)}%`);

/** Text width in columns of the terminal (code points: names like "Iris-setosa" or "é"). */
const width = (s: string): number => [...s].length;
const padStart = (s: string, n: number): string => " ".repeat(Math.max(0, n - width(s))) + s;
const padEnd = (s: string, n: number): string => s + " ".repeat(Math.max(0, n - width(s)));

/**
 * The matrix as a text table, then one line per class: its accuracy (recall) and precision, e.g.
 *
 *   confusion matrix (rows: true class, columns: predicted)
 *             male  female
 *     male       3       1
 *     female     1       3
 *   per class (accuracy of its rows, precision of its predictions):
 *     male: 75.0% of 4 rows, precision 75.0% of 4
 *     female: 75.0% of 4 rows, precision 75.0% of 4
 *
 * More than 12 classes: the matrix is left out of the terminal (it would not fit), the per-class lines kept.
 */
export function formatConfusion(m: ConfusionMatrix, indent = ""): string {
  const lines: string[] = [];
  if (m.classes.length <= 12) {
    const labelWidth = Math.max(...m.classes.map(width), 4);
    // Each column as wide as its name or its largest count, two spaces apart.
    const columnWidth = m.classes.map((c, p) => Math.max(width(c), ...m.counts.map((row) => String(row[p]).length)) + 2);
    lines.push(`${indent}confusion matrix (rows: true class, columns: predicted)`);
    lines.push(`${indent}  ${" ".repeat(labelWidth)}${m.classes.map((c, p) => padStart(c, columnWidth[p]!)).join("")}`);
    m.counts.forEach((row, t) =>
      lines.push(`${indent}  ${padEnd(m.classes[t]!, labelWidth)}${row.map((n, p) => padStart(String(n), columnWidth[p]!)).join("")}`),
    );
  }
  lines.push(`${indent}per class (accuracy of its rows, precision of its predictions):`);
  for (const c of m.perClass)
    lines.push(`${indent}  ${c.name}: ${percent(c.accuracy)} of ${c.support} rows, precision ${percent(c.precision)} of ${c.predicted}`);
  return lines.join("\n") + "\n";
}

/** The matrix for --json and history.json: plain numbers and names. */
export function confusionJson(m: ConfusionMatrix): object {
  return { classes: m.classes, counts: m.counts, total: m.total, correct: m.correct, accuracy: m.accuracy, perClass: m.perClass };
}
