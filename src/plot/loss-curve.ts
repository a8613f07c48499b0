// Training history plot: loss per epoch (train and, when present, test) and, beside it, accuracy.
import type { TopLevelSpec } from "vega-lite";
import { BASE_CONFIG, renderSvg, thin } from "./render.js";

export interface HistoryPoint {
  epoch: number;
  loss: number;
  accuracy?: number;
  testLoss?: number;
  testAccuracy?: number;
}

/** At most this many epochs are drawn (evenly spaced, first and last kept). */
const MAX_POINTS = 1000;

export async function lossCurveSvg(history: readonly HistoryPoint[], title: string): Promise<string> {
  const rows: { epoch: number; metric: string; set: string; value: number }[] = [];
  for (const h of thin(history, MAX_POINTS)) {
    const add = (metric: string, set: string, value: number | undefined) => {
      if (value !== undefined && Number.isFinite(value)) rows.push({ epoch: h.epoch, metric, set, value });
    };
    add("loss", "train", h.loss);
    add("loss", "test", h.testLoss);
    add("accuracy", "train", h.accuracy);
    add("accuracy", "test", h.testAccuracy);
  }
  const panel = (metric: "loss" | "accuracy") => ({
    title: metric === "loss" ? "Loss" : "Accuracy",
    width: 360,
    height: 240,
    transform: [{ filter: { field: "metric", equal: metric } }],
    mark: { type: "line" as const, strokeWidth: 1.8 },
    encoding: {
      x: { field: "epoch", type: "quantitative" as const, title: "epoch" },
      y: {
        field: "value",
        type: "quantitative" as const,
        title: metric,
        ...(metric === "accuracy" ? { scale: { domain: [0, 1] }, axis: { format: ".0%" } } : {}),
      },
      color: { field: "set", type: "nominal" as const, title: null, scale: { domain: ["train", "test"], range: ["#1f77b4", "#ff7f0e"] } },
    },
  });
  const hasAccuracy = rows.some((r) => r.metric === "accuracy");
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    config: BASE_CONFIG,
    data: { values: rows },
    hconcat: hasAccuracy ? [panel("loss"), panel("accuracy")] : [panel("loss")],
  };
  return renderSvg(spec);
}
