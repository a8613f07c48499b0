// Regression with one input (fit.svg): the training data as points and the trained network's output as a
// curve over the data's x range, so a learner sees what was fitted (x² on [−2, 2], a line through noisy
// points) rather than only a loss figure.
import type { TopLevelSpec } from "vega-lite";
import { BASE_CONFIG, renderSvg, thin } from "./render.js";

export interface XY {
  x: number;
  y: number;
}

export interface FitOptions {
  /** The input's name (x axis) and the target's (y axis). */
  x: string;
  y: string;
  /** Points on the fitted curve (default 200). */
  samples?: number;
}

/** At most this many data points are drawn (evenly spaced in the data's order). */
const MAX_POINTS = 2000;
/** Up to this many data points, each is drawn large with an outline. */
const LARGE_POINTS_UP_TO = 20;

/** `predictFn(x)` is the network's output for raw input x; drawn on an even grid over the data's x range. */
export async function fitSvg(predictFn: (x: number) => number, data: readonly XY[], title: string, options: FitOptions): Promise<string> {
  const shown = thin(data, MAX_POINTS).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const xs = shown.length > 0 ? shown.map((p) => p.x) : [-1, 1];
  const lo = Math.min(...xs);
  const hi = Math.max(...xs) === lo ? lo + 1 : Math.max(...xs);
  const samples = options.samples ?? 200;
  const curve: XY[] = [];
  for (let i = 0; i < samples; i++) {
    const x = lo + ((hi - lo) * i) / (samples - 1);
    const y = predictFn(x);
    // A diverged network's output may be non-finite: such x are left out rather than given to vega.
    if (Number.isFinite(y)) curve.push({ x, y });
  }
  const large = shown.length <= LARGE_POINTS_UP_TO;
  const x = { field: "x", type: "quantitative" as const, title: options.x, scale: { zero: false } };
  const y = { field: "y", type: "quantitative" as const, title: options.y, scale: { zero: false } };
  const color = { field: "what", type: "nominal" as const, title: null, scale: { domain: ["training data", "network"], range: ["#7a7a7a", "#d6453d"] } };
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    config: BASE_CONFIG,
    width: 480,
    height: 300,
    layer: [
      {
        data: { values: shown.map((p) => ({ ...p, what: "training data" })) },
        mark: large ? { type: "point", filled: true, size: 110, stroke: "#222", strokeWidth: 1 } : { type: "point", filled: true, size: 14, opacity: 0.5 },
        encoding: { x, y, color },
      },
      {
        data: { values: curve.map((p) => ({ ...p, what: "network" })) },
        mark: { type: "line", strokeWidth: 2 },
        encoding: { x, y, color },
      },
    ],
  } as TopLevelSpec;
  return renderSvg(spec);
}
