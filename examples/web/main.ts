// Using a generated module in a web page: the planar classifier's decision boundary, drawn on a canvas
// by calling the module's predict() for every cell, with trained weights bundled in. esbuild bundles this
// file, the module and the weights into one script (no other runtime):
//   npx esbuild examples/web/main.ts --bundle --format=iife --outfile=examples/web/out/main.js
// then open examples/web/index.html (file:// works: the bundle is a classic script, not a module).
import * as planar from "../../generated/planar.js";
import weights from "./weights.json" with { type: "json" };

// weights.json is what `nnc train specs/planar.nn` wrote (runs/planar/weights.json), copied here.
// loadWeights refuses weights of another model or another version of the spec.
const params = planar.loadWeights(weights);

/** The plotted square, in input units: the flower's petals reach radius 4. */
const EXTENT = 4.5;
/** Boundary cells per side. */
const GRID = 90;

/** p(class 1) for one point (planar.nn normalises nothing, so raw inputs go straight in). */
function probability(x: number, y: number): number {
  return planar.predict(params, new Float64Array([x, y]))[0]!;
}

/** Each float64's 8 bytes as hex: lets a test compare the page's numbers with Node's bit for bit. */
function hexOf(values: Float64Array): string {
  return Array.from(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), (b) => b.toString(16).padStart(2, "0")).join("");
}

function drawBoundary(canvas: HTMLCanvasElement): Float64Array {
  const context = canvas.getContext("2d")!;
  const cell = canvas.width / GRID;
  const grid = new Float64Array(GRID * GRID);
  for (let row = 0; row < GRID; row++) {
    for (let col = 0; col < GRID; col++) {
      // Cell centres, y up.
      const x = -EXTENT + ((col + 0.5) * 2 * EXTENT) / GRID;
      const y = EXTENT - ((row + 0.5) * 2 * EXTENT) / GRID;
      const p = probability(x, y);
      grid[row * GRID + col] = p;
      // Class 0 blue, class 1 red (as in the boundary.svg nnc train draws), pale near the boundary (p ≈ 0.5).
      const strength = Math.abs(p - 0.5) * 2;
      const [r, g, b] = p >= 0.5 ? [220, 80, 60] : [66, 110, 220];
      const mix = (c: number) => Math.round(255 - (255 - c) * (0.25 + 0.6 * strength));
      context.fillStyle = `rgb(${mix(r)}, ${mix(g)}, ${mix(b)})`;
      context.fillRect(col * cell, row * cell, Math.ceil(cell), Math.ceil(cell));
    }
  }
  return grid;
}

function toInput(canvas: HTMLCanvasElement, event: MouseEvent): [number, number] {
  const box = canvas.getBoundingClientRect();
  const x = -EXTENT + ((event.clientX - box.left) / box.width) * 2 * EXTENT;
  const y = EXTENT - ((event.clientY - box.top) / box.height) * 2 * EXTENT;
  return [Math.round(x * 100) / 100, Math.round(y * 100) / 100];
}

/** A few fixed points, listed in the table (the same default points as examples/node/predict.ts). */
const POINTS: Array<[number, number]> = [[0, 0], [1, 2], [-2, 1], [3, -1.5]];

const canvas = document.querySelector<HTMLCanvasElement>("#boundary")!;
const table = document.querySelector<HTMLTableSectionElement>("#points tbody")!;
const clicked = document.querySelector<HTMLElement>("#clicked")!;

const grid = drawBoundary(canvas);
const fixed = POINTS.map(([x, y]) => ({ x, y, p: probability(x, y) }));
for (const { x, y, p } of fixed) {
  const tr = table.insertRow();
  for (const text of [`${x}, ${y}`, p.toFixed(6), String(p >= 0.5 ? 1 : 0)]) tr.insertCell().textContent = text;
}
canvas.addEventListener("click", (event) => {
  const [x, y] = toInput(canvas, event);
  const p = probability(x, y);
  clicked.textContent = `(${x}, ${y}) → p(class 1) = ${p.toFixed(6)} → class ${p >= 0.5 ? 1 : 0}`;
});

// For test/browser/browser.test.ts (and curious readers in the console).
(window as unknown as { nnc: unknown }).nnc = {
  model: planar.meta.name,
  extent: EXTENT,
  grid: GRID,
  gridHex: hexOf(grid),
  points: fixed.map(({ x, y, p }) => ({ x, y, p, hex: hexOf(new Float64Array([p])) })),
};
document.body.dataset.ready = "true";
