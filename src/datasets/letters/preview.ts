// A preview sheet of generated glyphs: one column per letter A–Z, `rows` examples each, every glyph
// enlarged `zoom`× with a 1-px grey grid between cells, so a person can check the set at a glance.
import { CLASSES, IMAGE_SIZE, PIXELS, type LetterSet } from "./generate.js";
import { encodeGreyPng } from "./png.js";

export function previewPng(set: LetterSet, rows = 8, zoom = 3): Uint8Array {
  const cell = IMAGE_SIZE * zoom + 1;
  const width = CLASSES * cell + 1;
  const height = rows * cell + 1;
  const pixels = new Uint8Array(width * height).fill(96);
  const filled = new Int32Array(CLASSES);
  for (let i = 0; i < set.count; i++) {
    const label = set.y[i]!;
    const row = filled[label]!;
    if (row >= rows) continue;
    filled[label] = row + 1;
    const left = label * cell + 1;
    const top = row * cell + 1;
    for (let py = 0; py < IMAGE_SIZE * zoom; py++) {
      for (let px = 0; px < IMAGE_SIZE * zoom; px++) {
        const v = set.x[i * PIXELS + Math.floor(py / zoom) * IMAGE_SIZE + Math.floor(px / zoom)]!;
        pixels[(top + py) * width + left + px] = Math.round(v * 255);
      }
    }
  }
  return encodeGreyPng(width, height, pixels);
}
