// Training history plot (loss.svg): the loss per epoch (train and, when there is a test set, test) with the
// loss named on its axis; beside it the accuracy (classifiers), and the learning rate when a schedule changes
// it. The epoch whose weights were kept (early stopping's best) is marked on the loss panel. A history with
// few evaluations (a 4-row data set that stops after one epoch) gets visible point markers; one with no finite
// loss at all (a run that diverged in its first epoch) gets fixed axes and a note instead of empty scales,
// whose infinite extents vega would warn about on the console.
import type { TopLevelSpec } from "vega-lite";
import { BASE_CONFIG, renderSvg, thin } from "./render.js";

export interface HistoryPoint {
  epoch: number;
  loss: number;
  accuracy?: number;
  testLoss?: number;
  testAccuracy?: number;
  learningRate?: number;
}

export interface LossCurveOptions {
  /** The loss as people name it, for the loss axis: "MSE", "cross-entropy", … (default "loss"). */
  lossName?: string;
  /** 1-based epoch whose weights the run kept, marked with a rule and `keptLabel`; null/absent: no marker. */
  keptEpoch?: number | null;
  /** The marker's text (default "kept: epoch N"). */
  keptLabel?: string;
  /** Draw the learning-rate panel (the spec has a schedule). */
  learningRate?: boolean;
  /** What to say when there is no finite loss to draw (default "no finite loss to draw"). */
  emptyNote?: string;
}

/** At most this many epochs are drawn (evenly spaced, first and last kept). */
const MAX_POINTS = 1000;
/** Up to this many evaluations, each is drawn as a point on the line too (so 1 or 2 evaluations show at all). */
export const POINT_MARKERS_UP_TO = 40;
const COLORS: Record<string, string> = { train: "#1f77b4", test: "#ff7f0e" };

interface Row {
  epoch: number;
  set: string;
  value: number;
}

export async function lossCurveSvg(history: readonly HistoryPoint[], title: string, options: LossCurveOptions = {}): Promise<string> {
  const shown = thin(history, MAX_POINTS);
  const series = (pick: (h: HistoryPoint) => number | undefined, set: string): Row[] =>
    shown.flatMap((h) => {
      const value = pick(h);
      return value !== undefined && Number.isFinite(value) ? [{ epoch: h.epoch, set, value }] : [];
    });
  const loss = [...series((h) => h.loss, "train"), ...series((h) => h.testLoss, "test")];
  const accuracy = [...series((h) => h.accuracy, "train"), ...series((h) => h.testAccuracy, "test")];
  const rate = options.learningRate ? series((h) => h.learningRate, "learning rate") : [];
  const lossTitle = options.lossName ? `loss (${options.lossName})` : "loss";
  const epochs = shown.filter((h) => Number.isFinite(h.loss)).length;
  const point = epochs <= POINT_MARKERS_UP_TO ? { filled: true, size: epochs <= 5 ? 60 : 24 } : false;

  const panels: object[] = [];
  if (loss.length === 0) panels.push(emptyPanel(lossTitle, options.emptyNote ?? "no finite loss to draw"));
  else panels.push(panel("Loss", lossTitle, loss, point, {}, keptMarker(options, loss)));
  if (accuracy.length > 0) panels.push(panel("Accuracy", "accuracy", accuracy, point, { scale: { domain: [0, 1] }, axis: { format: ".0%" } }, []));
  if (rate.length > 0) {
    const values = rate.map((r) => r.value);
    const logScale = Math.min(...values) > 0 && Math.max(...values) >= 10 * Math.min(...values);
    panels.push(panel("Learning rate (schedule)", "learning rate", rate, point, logScale ? { scale: { type: "log" } } : {}, [], false));
  }
  const width = panels.length > 2 ? 300 : 360;
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    config: BASE_CONFIG,
    hconcat: panels.map((p) => ({ ...p, width, height: 240 })),
    // Each panel has its own sets (the learning rate is no "train" or "test" line): colours resolved per panel.
    resolve: { scale: { color: "independent" } },
  } as TopLevelSpec;
  return renderSvg(spec);
}

function panel(title: string, yTitle: string, rows: readonly Row[], point: object | false, y: object, extra: object[], legend = true): object {
  const sets = [...new Set(rows.map((r) => r.set))];
  const lines = {
    data: { values: rows },
    mark: { type: "line", strokeWidth: 1.8, point },
    encoding: {
      // Whole epochs from 0: a single evaluation sits at 1 on an axis 0…1, not alone at "1.000000".
      x: { field: "epoch", type: "quantitative", title: "epoch", scale: { zero: true }, axis: { format: "d", tickMinStep: 1 } },
      y: { field: "value", type: "quantitative", title: yTitle, ...y },
      // Only the sets present: no "test" entry in the legend of a run without a test set.
      color: {
        field: "set",
        type: "nominal",
        title: null,
        scale: { domain: sets, range: sets.map((s) => COLORS[s] ?? "#2ca02c") },
        ...(legend ? {} : { legend: null }),
      },
    },
  };
  return { title, layer: [lines, ...extra] };
}

/** A vertical rule at the kept epoch with its label at the top of the panel. */
function keptMarker(options: LossCurveOptions, rows: readonly Row[]): object[] {
  const epoch = options.keptEpoch;
  if (epoch === null || epoch === undefined) return [];
  const label = options.keptLabel ?? `kept: epoch ${epoch}`;
  const top = Math.max(...rows.map((r) => r.value));
  // The label reads away from the panel's nearer edge (and the legend on the right): left of a rule in the right half.
  const last = Math.max(...rows.map((r) => r.epoch));
  const leftOfRule = epoch > last / 2;
  return [
    {
      data: { values: [{ epoch, label, top }] },
      mark: { type: "rule", color: "#2ca02c", strokeDash: [4, 3], strokeWidth: 1.5 },
      encoding: { x: { field: "epoch", type: "quantitative" } },
    },
    {
      data: { values: [{ epoch, label, top }] },
      mark: { type: "text", align: leftOfRule ? "right" : "left", baseline: "top", dx: leftOfRule ? -4 : 4, dy: 2, color: "#2ca02c", fontSize: 11 },
      encoding: { x: { field: "epoch", type: "quantitative" }, y: { field: "top", type: "quantitative" }, text: { field: "label" } },
    },
  ];
}

/** Axes with fixed domains and a note in the middle: nothing for vega to take an (infinite) extent of. */
function emptyPanel(yTitle: string, note: string): object {
  return {
    title: "Loss",
    data: { values: [{ epoch: 0.5, value: 0.5, note }] },
    mark: { type: "text", fontSize: 12, color: "#555" },
    encoding: {
      x: { field: "epoch", type: "quantitative", title: "epoch", scale: { domain: [0, 1] }, axis: { format: "d", tickMinStep: 1 } },
      y: { field: "value", type: "quantitative", title: yTitle, scale: { domain: [0, 1] } },
      text: { field: "note" },
    },
  };
}
