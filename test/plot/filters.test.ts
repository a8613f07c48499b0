// filters.svg: constructed conv weights with known patterns, read back from the SVG's pixels by position.
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateXML } from "xmllint-wasm";
import type { TensorLayout } from "../../src/module-api.js";
import { divergingColor, filtersSvg, firstLayerFiltersSvg } from "../../src/plot/filters.js";
import { writeRunFolder } from "../../src/train/outputs.js";

const RED = "#b2182b"; // ColorBrewer RdBu's ends and middle
const BLUE = "#2166ac";
const WHITE = "#f7f7f7";

interface Pixel {
  filter: number;
  channel: number;
  row: number;
  col: number;
  fill: string;
}

/** Every weight pixel: its tile (filter, channel) from the group, its row and column from its position inside the tile. */
function pixels(svg: string): Pixel[] {
  const out: Pixel[] = [];
  for (const g of svg.matchAll(/<g class="filter" data-filter="(\d+)" data-channel="(\d+)" transform="translate\(\d+,\d+\)">([\s\S]*?)<\/g>/g)) {
    const rects = [...g[3]!.matchAll(/<rect x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)" fill="(#[0-9a-f]{6})"\/>/g)];
    for (const r of rects) {
      const cell = Number(r[3]);
      expect(Number(r[4])).toBe(cell);
      out.push({ filter: Number(g[1]), channel: Number(g[2]), row: Number(r[2]) / cell, col: Number(r[1]) / cell, fill: r[5]! });
    }
  }
  return out;
}

const at = (ps: Pixel[], filter: number, channel: number, row: number, col: number) =>
  ps.find((p) => p.filter === filter && p.channel === channel && p.row === row && p.col === col)?.fill;

describe("divergingColor", () => {
  it("runs blue → white → red and interpolates between the ramp's colours", () => {
    expect(divergingColor(-1)).toBe(BLUE);
    expect(divergingColor(0)).toBe(WHITE);
    expect(divergingColor(1)).toBe(RED);
    expect(divergingColor(5)).toBe(RED);
    // Halfway between the first two anchors (#2166ac, #67a9cf), rounded: (33+103)/2, (102+169)/2, (172+207)/2.
    expect(divergingColor(-5 / 6)).toBe("#4488be");
  });
});

describe("filtersSvg", () => {
  // Two 2×3 filters (rectangular, so a transposed read shows), one channel, PyTorch order [f][c][y][x].
  const values = [
    // filter 1: largest |w| is +2 at row 0, column 2
    0, 1, 2, -1, 0, 0.5,
    // filter 2, a hundred times larger: largest |w| is −300 at row 0, column 0
    -300, 0, 0, 0, 0, 150,
  ];
  const svg = filtersSvg({ shape: [2, 1, 2, 3], values }, "net: filters");
  const ps = pixels(svg);

  it("draws one pixel per weight at its row and column", () => {
    expect(ps).toHaveLength(12);
    expect(new Set(ps.map((p) => `${p.filter}/${p.row}/${p.col}`)).size).toBe(12);
    expect(Math.max(...ps.map((p) => p.row))).toBe(1);
    expect(Math.max(...ps.map((p) => p.col))).toBe(2);
  });
  it("normalises each filter symmetrically around 0: its largest |weight| is the extreme colour, 0 is white", () => {
    expect(ps.filter((p) => p.fill === RED)).toEqual([{ filter: 1, channel: 1, row: 0, col: 2, fill: RED }]);
    expect(ps.filter((p) => p.fill === BLUE)).toEqual([{ filter: 2, channel: 1, row: 0, col: 0, fill: BLUE }]);
    expect(at(ps, 1, 1, 0, 0)).toBe(WHITE);
    expect(at(ps, 2, 1, 1, 1)).toBe(WHITE);
    // −1 of 2 in filter 1 and +150 of 300 in filter 2 are half-way colours of opposite sides.
    expect(at(ps, 1, 1, 1, 0)).toBe(divergingColor(-0.5));
    expect(at(ps, 2, 1, 1, 2)).toBe(divergingColor(0.5));
    expect(divergingColor(-0.5)).not.toBe(divergingColor(0.5));
  });
  it("says what it shows: title, shape, each filter's scale, the legend", () => {
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts).toEqual(expect.arrayContaining(["net: filters", "1 · ±2", "2 · ±300", "−max", "0", "+max"]));
    expect(texts.some((t) => t!.startsWith("2 filters of 1×2×3"))).toBe(true);
    expect(texts.some((t) => t!.includes("blue negative, white 0, red positive"))).toBe(true);
  });
  it("is well-formed XML, escapes the title and gives the same bytes every time", async () => {
    const hostile = filtersSvg({ shape: [2, 1, 2, 3], values }, `a<b & "c"`);
    expect(hostile).toContain('a&lt;b &amp; "c"');
    // libxml2 parses it (normalization "format" parses without a schema); the control shows an unescaped title would not pass.
    const parse = async (contents: string) => (await validateXML({ xml: [{ fileName: "filters.svg", contents }], normalization: "format" })).valid;
    expect(await parse(hostile)).toBe(true);
    expect(await parse(hostile.replace("a&lt;b &amp;", "a<b &"))).toBe(false);
    expect(filtersSvg({ shape: [2, 1, 2, 3], values: Float32Array.from(values) }, "net: filters")).toBe(svg);
  });
  it("an all-zero filter is white, not NaN", () => {
    const zero = pixels(filtersSvg({ shape: [1, 1, 2, 2], values: [0, 0, 0, 0] }, "z"));
    expect(zero.map((p) => p.fill)).toEqual([WHITE, WHITE, WHITE, WHITE]);
  });
  it("refuses a value count that does not match the shape", () => {
    expect(() => filtersSvg({ shape: [2, 1, 2, 3], values: values.slice(1) }, "x")).toThrow(/11 values for shape \[2, 1, 2, 3\]/);
  });
});

describe("firstLayerFiltersSvg (what nnc train writes)", () => {
  // A conv layer of 2 filters over 2 channels, 1×2 windows, placed after 3 other numbers in the vector, so the offset matters:
  // weight [f][c][0][x] = 10·f + 4·c + x (distinct), except the largest |weight| of filter 2 at channel 2, column 1.
  const weight: TensorLayout = { name: "layer1.weight", offset: 3, shape: [2, 2, 1, 2], size: 8 };
  const layout: TensorLayout[] = [weight, { name: "layer1.bias", offset: 11, shape: [2], size: 2 }];
  const vector = new Float64Array(13).fill(99);
  for (let f = 0; f < 2; f++) for (let c = 0; c < 2; c++) for (let x = 0; x < 2; x++) vector[3 + f * 4 + c * 2 + x] = 10 * f + 4 * c + x;
  vector[3 + 1 * 4 + 1 * 2 + 1] = 50;

  it("reads layer1.weight at its offset in [filters][channels][kh][kw] order, a tile per channel", () => {
    const svg = firstLayerFiltersSvg(layout, vector, "conv")!;
    const ps = pixels(svg);
    expect(ps).toHaveLength(8);
    expect(ps.filter((p) => p.fill === RED)).toEqual([
      { filter: 1, channel: 2, row: 0, col: 1, fill: RED }, // 5, filter 1's largest (the bias and the 99s are not read)
      { filter: 2, channel: 2, row: 0, col: 1, fill: RED }, // 50
    ]);
    expect(at(ps, 1, 1, 0, 0)).toBe(WHITE); // 0
    expect(at(ps, 2, 1, 0, 0)).toBe(divergingColor(10 / 50));
    expect(svg).toContain("conv: learned first-layer filters (layer1.weight)");
    expect(svg).toContain("2 channels side by side");
  });
  it("is null when the first parameterised layer is not a convolution", () => {
    expect(firstLayerFiltersSvg([{ name: "layer1.weight", offset: 0, shape: [4, 2], size: 8 }], new Float64Array(8), "mlp")).toBeNull();
    expect(firstLayerFiltersSvg([], new Float64Array(0), "empty")).toBeNull();
  });
  it("lands in the run folder as filters.svg only when there is one", () => {
    const files = { weights: "{}\n", historyCsv: "epoch\n", historyJson: "{}\n", lossSvg: "<svg/>\n", boundarySvg: null };
    const dir = mkdtempSync(join(tmpdir(), "nnc-filters-"));
    const svg = firstLayerFiltersSvg(layout, vector, "conv");
    expect(writeRunFolder(dir, { ...files, filtersSvg: svg })).toContain(join(dir, "filters.svg"));
    expect(readFileSync(join(dir, "filters.svg"), "utf8")).toBe(svg);
    const plain = mkdtempSync(join(tmpdir(), "nnc-filters-"));
    writeRunFolder(plain, { ...files, filtersSvg: null });
    expect(existsSync(join(plain, "filters.svg"))).toBe(false);
  });
});
