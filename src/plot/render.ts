// Renders a vega-lite spec to an SVG string headless: vega-lite compiles it to a vega spec, and a vega
// View with renderer "none" lays it out and serialises the scenegraph. No canvas, no browser, no disk.
// Text widths are estimated (no font metrics without a canvas), which is fine for labels of this size.
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** Shared look: white background, a readable font, no chart border. */
export const BASE_CONFIG = {
  background: "white",
  font: "DejaVu Sans, Helvetica, Arial, sans-serif",
  view: { stroke: "#ddd" },
  title: { fontSize: 14, anchor: "start" as const, offset: 10 },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#eee" },
  legend: { labelFontSize: 11, titleFontSize: 12 },
};

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logLevel: vega.Warn });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Keeps at most `limit` evenly spaced items (always the first and last), so a 10 000-epoch run stays a small SVG. */
export function thin<T>(items: readonly T[], limit: number): T[] {
  if (items.length <= limit) return [...items];
  const out: T[] = [];
  const step = (items.length - 1) / (limit - 1);
  for (let i = 0; i < limit; i++) out.push(items[Math.round(i * step)]!);
  return out;
}
