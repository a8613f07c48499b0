// The learned first-layer filters of a convolutional net as a picture (filters.svg in the run folder): one
// small image per filter, its C channels side by side, each pixel one weight, coloured on a diverging scale
// (blue negative, white 0, red positive) normalised symmetrically around 0 per filter (÷ the filter's largest
// |weight|, written under it), so every filter's pattern is visible however large its weights grew.
//
// Hand-built SVG rather than vega-lite like the other plots: a grid of tiny images is an image, not a chart.
// No axes or scales to lay out (a faceted vega-lite heatmap would need every per-facet axis, header and
// spacing switched off), and its pixels stay plain <rect>s at integer positions inside one group per filter
// and channel, so the bytes are deterministic and a test can read which weight is where. It borrows the
// other plots' font and title size (render.ts) to look like them.
import type { TensorLayout } from "../module-api.js";
import { xmlAttr, xmlText } from "../reporters/xml.js";
import { BASE_CONFIG } from "./render.js";

/** [filters, channels, kh, kw] (PyTorch's Conv2d weight order) and the tensor's numbers in that order. */
export interface FilterBank {
  shape: readonly [number, number, number, number];
  values: ArrayLike<number>;
}

/** ColorBrewer RdBu (7 classes), reversed: −1 blue … 0 near-white … +1 red. Interpolated linearly in sRGB. */
const RAMP = ["#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b"];

const MARGIN = 16;
const GAP = 12; // between filters
const CHANNEL_GAP = 3; // between the channels of one filter
const LABEL = 14; // the line under each filter
const MAX_WIDTH = 720;

/**
 * filters.svg of a trained net: the first parameterised layer's weights drawn as images, when that layer is a
 * convolution (its meta.layout tensor layer1.weight is 4-D, [filters, channels, kh, kw]); null for any other net.
 */
export function firstLayerFiltersSvg(layout: readonly TensorLayout[], params: ArrayLike<number>, model: string): string | null {
  const weight = layout.find((t) => t.name === "layer1.weight");
  if (!weight || weight.shape.length !== 4) return null;
  const [filters, channels, kh, kw] = weight.shape as [number, number, number, number];
  const values = Array.prototype.slice.call(params, weight.offset, weight.offset + weight.size) as number[];
  return filtersSvg({ shape: [filters, channels, kh, kw], values }, `${model}: learned first-layer filters (layer1.weight)`);
}

/** The colour of a normalised weight v in [−1, 1] (clamped). */
export function divergingColor(v: number): string {
  const t = ((Math.max(-1, Math.min(1, v)) + 1) / 2) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(t));
  const f = t - i;
  const [a, b] = [rgb(RAMP[i]!), rgb(RAMP[i + 1]!)];
  return (
    "#" +
    a
      .map((c, k) =>
        Math.round(c + (b[k]! - c) * f)
          .toString(16)
          .padStart(2, "0"),
      )
      .join("")
  );
}

/** Pixel size: about 64 px per filter side, 3 to 16 px per weight. */
function cellSize(kh: number, kw: number): number {
  return Math.max(3, Math.min(16, Math.round(64 / Math.max(kh, kw))));
}

export function filtersSvg(bank: FilterBank, title: string): string {
  const [filters, channels, kh, kw] = bank.shape;
  const per = channels * kh * kw;
  if (bank.values.length !== filters * per) throw new Error(`filtersSvg: ${bank.values.length} values for shape [${bank.shape.join(", ")}]`);
  const cell = cellSize(kh, kw);
  const tileW = kw * cell;
  const tileH = kh * cell;
  const blockW = channels * tileW + (channels - 1) * CHANNEL_GAP;
  const columns = Math.max(1, Math.min(filters, 8, Math.floor((MAX_WIDTH - 2 * MARGIN + GAP) / (blockW + GAP))));
  const rows = Math.ceil(filters / columns);
  const gridTop = 58 + (channels > 1 ? 14 : 0);
  const gridW = columns * blockW + (columns - 1) * GAP;
  const gridH = rows * (tileH + LABEL + GAP) - GAP;
  const legendTop = gridTop + gridH + 18;
  const width = Math.max(2 * MARGIN + gridW, 2 * MARGIN + 500); // room for the title and the legend's text
  const height = legendTop + 62;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family=${quoted(BASE_CONFIG.font)}>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${MARGIN}" y="24" font-size="${BASE_CONFIG.title.fontSize}" font-weight="bold">${xmlText(title)}</text>`,
    `<text x="${MARGIN}" y="42" font-size="11" fill="#444">${xmlText(subtitle(bank.shape))}</text>`,
  );
  if (channels > 1) {
    // Channel names above each column of filters.
    for (let col = 0; col < columns; col++) {
      for (let c = 0; c < channels; c++) {
        out.push(`<text x="${MARGIN + col * (blockW + GAP) + c * (tileW + CHANNEL_GAP)}" y="${gridTop - 4}" font-size="10" fill="#666">c${c + 1}</text>`);
      }
    }
  }
  out.push(`<g shape-rendering="crispEdges">`);
  for (let f = 0; f < filters; f++) {
    const x0 = MARGIN + (f % columns) * (blockW + GAP);
    const y0 = gridTop + Math.floor(f / columns) * (tileH + LABEL + GAP);
    const start = f * per;
    let max = 0;
    for (let i = start; i < start + per; i++) max = Math.max(max, Math.abs(bank.values[i]!));
    for (let c = 0; c < channels; c++) {
      const tx = x0 + c * (tileW + CHANNEL_GAP);
      out.push(`<g class="filter" data-filter="${f + 1}" data-channel="${c + 1}" transform="translate(${tx},${y0})">`);
      out.push(`<title>filter ${f + 1}${channels > 1 ? `, channel ${c + 1}` : ""}: ${kh}×${kw} weights, largest |weight| ${number(max)}</title>`);
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) {
          const w = bank.values[start + c * kh * kw + y * kw + x]!;
          out.push(`<rect x="${x * cell}" y="${y * cell}" width="${cell}" height="${cell}" fill="${divergingColor(max > 0 ? w / max : 0)}"/>`);
        }
      }
      out.push(`<rect x="-0.5" y="-0.5" width="${tileW + 1}" height="${tileH + 1}" fill="none" stroke="#999"/>`, `</g>`);
    }
    out.push(`<text x="${x0}" y="${y0 + tileH + 11}" font-size="10" fill="#333">${f + 1} · ±${number(max)}</text>`);
  }
  out.push(`</g>`);
  out.push(...legend(legendTop));
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}

function subtitle([filters, channels, kh, kw]: readonly number[]): string {
  const what = `${filters} filter${filters === 1 ? "" : "s"} of ${channels}×${kh}×${kw}, each as it slides over the input (row 0 at the top, column 0 at the left)`;
  return channels > 1 ? `${what}; a filter's ${channels} channels side by side, c1 first` : what;
}

/** The colour bar: −max, 0, +max of each filter's own scale. */
function legend(top: number): string[] {
  const steps = 21;
  const step = 10;
  const out = [`<g shape-rendering="crispEdges">`];
  for (let i = 0; i < steps; i++) {
    out.push(`<rect x="${MARGIN + i * step}" y="${top}" width="${step}" height="10" fill="${divergingColor(-1 + (2 * i) / (steps - 1))}"/>`);
  }
  out.push(`<rect x="${MARGIN - 0.5}" y="${top - 0.5}" width="${steps * step + 1}" height="11" fill="none" stroke="#999"/>`, `</g>`);
  const label = (x: number, text: string, anchor: string) => `<text x="${x}" y="${top + 22}" font-size="10" fill="#333" text-anchor="${anchor}">${text}</text>`;
  out.push(
    label(MARGIN, "−max", "start"),
    label(MARGIN + (steps * step) / 2, "0", "middle"),
    label(MARGIN + steps * step, "+max", "end"),
    `<text x="${MARGIN}" y="${top + 38}" font-size="11" fill="#444">colour: each weight ÷ its filter's largest |weight| (the ±max under the filter):</text>`,
    `<text x="${MARGIN}" y="${top + 52}" font-size="11" fill="#444">blue negative, white 0, red positive</text>`,
  );
  return out;
}

/** Two significant digits, plain for 0.01 … 999, exponent otherwise: the same text on every machine. */
function number(v: number): string {
  if (v === 0) return "0";
  return v >= 0.01 && v < 1000 ? String(Number(v.toPrecision(2))) : v.toExponential(1);
}

function rgb(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

function quoted(text: string): string {
  return `"${xmlAttr(text)}"`;
}
