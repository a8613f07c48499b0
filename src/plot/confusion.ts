// confusion.svg: the confusion matrix as a heat map, true class down the side and predicted class along
// the top, in class order, each cell showing its count. A cell's shade is its share of its row (the true
// class's rows), so the diagonal reads as per-class accuracy whatever the class sizes; the per-class
// accuracy is also written beside each row's name.
import type { TopLevelSpec } from "vega-lite";
import type { ConfusionMatrix } from "../report/confusion.js";
import { BASE_CONFIG, renderSvg } from "./render.js";

/** Side of one cell in pixels: large for a few classes, small enough for 26 letters. */
function cellSize(classes: number): number {
  return Math.max(18, Math.min(64, Math.floor(520 / classes)));
}

export async function confusionSvg(m: ConfusionMatrix, title: string): Promise<string> {
  // Row labels carry the class's accuracy: "setosa (96.0%)".
  const rowLabel = m.perClass.map((c) => `${c.name} (${c.accuracy === null ? "no rows" : `${(c.accuracy * 100).toFixed(1)}%`})`);
  const cells = m.counts.flatMap((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((count, p) => ({ truth: rowLabel[t]!, predicted: m.classes[p]!, count, share: total === 0 ? 0 : count / total }));
  });
  const size = cellSize(m.classes.length);
  const labelSize = m.classes.length > 12 ? 9 : 12;
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, subtitle: `${m.correct} of ${m.total} rows right; shade: share of the true class's rows` },
    config: BASE_CONFIG,
    width: size * m.classes.length,
    height: size * m.classes.length,
    data: { values: cells },
    encoding: {
      x: {
        field: "predicted",
        type: "nominal",
        sort: m.classes,
        title: "predicted class",
        axis: { orient: "top", labelAngle: m.classes.length > 6 ? -45 : 0 },
      },
      y: { field: "truth", type: "nominal", sort: rowLabel, title: "true class (its accuracy)", axis: { labelLimit: 320 } },
    },
    layer: [
      {
        mark: { type: "rect", stroke: "white" },
        encoding: {
          color: {
            field: "share",
            type: "quantitative",
            scale: { domain: [0, 1], range: ["#ffffff", "#08519c"], interpolate: "rgb" },
            legend: { title: "share of row", format: ".0%" },
          },
        },
      },
      {
        mark: { type: "text", fontSize: labelSize },
        encoding: {
          text: { field: "count", type: "quantitative" },
          // Dark text on light cells, white on dark ones.
          color: { condition: { test: "datum.share > 0.5", value: "white" }, value: "#222" },
        },
      },
    ],
  } as TopLevelSpec;
  return await renderSvg(spec);
}
