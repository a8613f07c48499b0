// The pieces of conv code the per-sample functions (sample.ts) and the chunk code (chunk.ts) share: the
// window's taps, the copy of a sample into the zero-bordered PAD<p> (its border stays 0: nothing writes it),
// and the crop of dL/d(input) out of GPAD<p>. Each caller says how it reaches the sample's numbers.
import type { Index } from "../../emit/code.js";
import type { PlannedConv } from "./plan.js";

/** The window's taps in the weights' order (c, ky, kx): weight index within the filter, offset from the window's corner in the padded input. */
export function taps(l: PlannedConv): { w: number; at: number }[] {
  const g = l.geometry;
  const out: { w: number; at: number }[] = [];
  for (let c = 0; c < g.channels; c++)
    for (let ky = 0; ky < g.kernel[0]; ky++)
      for (let kx = 0; kx < g.kernel[1]; kx++) out.push({ w: out.length, at: (c * g.paddedHeight + ky) * g.paddedWidth + kx });
  return out;
}

/** Loops over the C×H×W interior of the padded map: `inner` gets the unpadded index `from + col` and the padded one `to + col`. */
function interior(l: PlannedConv, inner: (unpadded: string, padded: string) => string): string[] {
  const g = l.geometry;
  return [
    `for (let c = 0; c < ${g.channels}; c++) {`,
    // row/col, not y/x: the sample's input is the parameter x.
    `for (let row = 0; row < ${g.height}; row++) {`,
    `const from = (c * ${g.height} + row) * ${g.width};`,
    `const to = (c * ${g.paddedHeight} + row + ${g.padding[0]}) * ${g.paddedWidth} + ${g.padding[1]};`,
    `for (let col = 0; col < ${g.width}; col++) ${inner("from + col", "to + col")}`,
    "}",
    "}",
  ];
}

/** The sample (its element i is `read(i)`) into PAD<p>'s interior. */
export function copyIntoBorder(l: PlannedConv, read: (i: Index) => string): string[] {
  return interior(l, (unpadded, padded) => `${l.padded}[${padded}] = ${read(unpadded)};`);
}

/** GPAD<p>'s interior out into the input gradient (its element i is `write(i)`). */
export function cropOutOfBorder(l: PlannedConv, write: (i: Index) => string): string[] {
  return interior(l, (unpadded, padded) => `${write(unpadded)} = ${l.paddedGradient}[${padded}];`);
}
