// Decision-boundary plot for 2-D inputs (the picture people expect for the planar set): the plane coloured
// by the model's predicted class on a fine grid, with the data points on top coloured by their true class.
import type { TopLevelSpec } from "vega-lite";
import { BASE_CONFIG, renderSvg } from "./render.js";

export interface LabelledPoint {
  x: number;
  y: number;
  label: number;
}

export interface BoundaryOptions {
  /** Grid cells per side (default 150). */
  resolution?: number;
  /** Margin around the points' bounding box, as a fraction of its size (default 0.1). */
  margin?: number;
  /** The two inputs' names for the axes (a CSV's header); default x₁ and x₂. */
  axes?: readonly [string, string];
  /** Class names by class index (the spec's `classes`), for the legend; default the indices. */
  classNames?: readonly string[] | null;
}

/** Up to this many points, each is drawn large with a dark outline (gender's 4 people must be seen). */
export const LARGE_POINTS_UP_TO = 20;

const PALETTE = ["#3b6fb6", "#d6453d", "#3a9a4f", "#8e5ab5", "#e08a1e", "#2aa3a3", "#b5497a", "#7a7a7a", "#9c7b3c", "#5b8c2a"];

/**
 * `predictFn` returns the predicted class index at (x, y). The grid is drawn as horizontal runs of
 * equal prediction merged into one rectangle each: a crisp boundary at 150×150 in a few hundred marks
 * instead of 22 500.
 */
export async function decisionBoundarySvg(
  predictFn: (x: number, y: number) => number,
  points: readonly LabelledPoint[],
  title: string,
  options: BoundaryOptions = {},
): Promise<string> {
  const resolution = options.resolution ?? 150;
  const margin = options.margin ?? 0.1;
  // With no points the plane from −1 to 1 is shown.
  const xs = points.length ? points.map((p) => p.x) : [-1, 1];
  const ys = points.length ? points.map((p) => p.y) : [-1, 1];
  const [x0, x1] = padded(Math.min(...xs), Math.max(...xs), margin);
  const [y0, y1] = padded(Math.min(...ys), Math.max(...ys), margin);
  const dx = (x1 - x0) / resolution;
  const dy = (y1 - y0) / resolution;

  const cells: { x: number; x2: number; y: number; y2: number; cls: string }[] = [];
  for (let j = 0; j < resolution; j++) {
    const yc = y0 + (j + 0.5) * dy;
    let start = 0;
    let current = predictFn(x0 + 0.5 * dx, yc);
    for (let i = 1; i <= resolution; i++) {
      const next = i < resolution ? predictFn(x0 + (i + 0.5) * dx, yc) : NaN;
      if (next !== current) {
        cells.push({ x: x0 + start * dx, x2: x0 + i * dx, y: y0 + j * dy, y2: y0 + (j + 1) * dy, cls: String(current) });
        start = i;
        current = next;
      }
    }
  }
  const indices = [...new Set([...cells.map((c) => Number(c.cls)), ...points.map((p) => p.label)])].sort((a, b) => a - b);
  // The legend's entries are class names when the spec names them, else the indices.
  const name = (index: number): string => options.classNames?.[index] ?? String(index);
  for (const c of cells) c.cls = name(Number(c.cls));
  const color = { domain: indices.map(name), range: indices.map((i) => PALETTE[Math.abs(i) % PALETTE.length] ?? "#888") };
  const [xTitle, yTitle] = options.axes ?? ["x₁", "x₂"];
  const large = points.length <= LARGE_POINTS_UP_TO;
  const xScale = { domain: [x0, x1], nice: false, zero: false };
  const yScale = { domain: [y0, y1], nice: false, zero: false };

  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    config: BASE_CONFIG,
    width: 420,
    height: 420,
    layer: [
      {
        data: { values: cells },
        mark: { type: "rect", opacity: 0.3, strokeWidth: 0 },
        encoding: {
          x: { field: "x", type: "quantitative", scale: xScale, title: xTitle },
          x2: { field: "x2" },
          y: { field: "y", type: "quantitative", scale: yScale, title: yTitle },
          y2: { field: "y2" },
          color: { field: "cls", type: "nominal", scale: color, title: "class" },
        },
      },
      {
        data: { values: points.map((p) => ({ x: p.x, y: p.y, cls: name(p.label) })) },
        mark: large
          ? { type: "point", filled: true, size: 150, stroke: "#222", strokeWidth: 1.2, opacity: 1 }
          : { type: "point", filled: true, size: 22, stroke: "white", strokeWidth: 0.5, opacity: 0.9 },
        encoding: {
          x: { field: "x", type: "quantitative", scale: xScale },
          y: { field: "y", type: "quantitative", scale: yScale },
          color: { field: "cls", type: "nominal", scale: color, title: "class" },
        },
      },
    ],
  } as TopLevelSpec;
  return renderSvg(spec);
}

function padded(min: number, max: number, margin: number): [number, number] {
  const span = max - min || 1;
  return [min - span * margin, max + span * margin];
}
