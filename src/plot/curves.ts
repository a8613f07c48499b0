// Several named x/y series on one chart: comparing runs (e.g. mse vs cross-entropy loss per epoch), or a
// model's fit against the truth (y = x² inside and outside the training interval, which is shaded).
import type { TopLevelSpec } from "vega-lite";
import { BASE_CONFIG, renderSvg, thin } from "./render.js";

export interface Series {
  name: string;
  points: { x: number; y: number }[];
}

export interface CurveAxes {
  x: string;
  y: string;
  /** Shade x ∈ [from, to] (e.g. the training interval) with this label. */
  band?: { from: number; to: number; label: string };
  /** Logarithmic y axis (losses spanning decades); non-positive values are dropped. */
  logY?: boolean;
}

const MAX_POINTS = 2000;

export async function curvesSvg(series: readonly Series[], title: string, axes: CurveAxes): Promise<string> {
  const rows = series.flatMap((s) =>
    thin(s.points, MAX_POINTS)
      .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!axes.logY || p.y > 0))
      .map((p) => ({ series: s.name, x: p.x, y: p.y })),
  );
  const lines = {
    data: { values: rows },
    mark: { type: "line" as const, strokeWidth: 1.8 },
    encoding: {
      x: { field: "x", type: "quantitative" as const, title: axes.x, ...(axes.band ? { scale: { nice: false } } : {}) },
      y: { field: "y", type: "quantitative" as const, title: axes.y, ...(axes.logY ? { scale: { type: "log" as const } } : {}) },
      color: { field: "series", type: "nominal" as const, title: null, sort: series.map((s) => s.name) },
    },
  };
  const layers: object[] = [];
  if (axes.band) {
    layers.push({
      data: { values: [{ from: axes.band.from, to: axes.band.to, label: axes.band.label }] },
      mark: { type: "rect", color: "#888", opacity: 0.12 },
      encoding: { x: { field: "from", type: "quantitative" }, x2: { field: "to" } },
    });
    layers.push({
      data: { values: [{ x: (axes.band.from + axes.band.to) / 2, label: axes.band.label }] },
      mark: { type: "text", baseline: "top", dy: 4, color: "#555", fontSize: 11, y: 0 },
      encoding: { x: { field: "x", type: "quantitative" }, text: { field: "label" } },
    });
  }
  layers.push(lines);
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    config: BASE_CONFIG,
    width: 480,
    height: 300,
    layer: layers,
  } as TopLevelSpec;
  return renderSvg(spec);
}
