// What one sample is: the dimensions a data file gives after its count, checked against the spec's `input`.
// Features always reach the net as flat row-major rows (C-major: channel, then row, then column, PyTorch's NCHW
// flattening); the shape decides only whether a file may be read that way:
//   - a flat spec (`input 784`, an MLP) takes any file whose numbers per sample add up (IDX 28×28, npy (N, 28, 28)
//     are flattened, as always);
//   - an image spec (`input 1x28x28`) takes flat rows of C·H·W numbers (CSV, inline rows, npy (N, C·H·W)), an
//     H×W sample when C is 1 (IDX (N, 28, 28), npy (N, H, W)), or exactly C×H×W (npy (N, C, H, W)).
// Anything else is one UserError naming the file, its shape and the expected C×H×W.
import { UserError } from "../errors.js";
import type { Spec } from "../ir.js";

/** The spec's input shape; [inputs] for a Spec made before the IR carried one (the lowering fills it). */
export function specInputShape(spec: Pick<Spec, "inputs"> & { inputShape?: readonly number[] }): readonly number[] {
  return spec.inputShape !== undefined && spec.inputShape.length > 0 ? spec.inputShape : [spec.inputs];
}

/** "1x28x28" as a spec writes it; "784" for a flat input. */
export function shapeText(shape: readonly number[]): string {
  return shape.join("x");
}

/**
 * Checks that samples of `sampleShape` (the file's dimensions after the count) can be read as `inputShape`.
 * `source` names the file, `count` is its number of samples (both for the message only).
 */
export function checkSampleShape(source: string, count: number, sampleShape: readonly number[], inputShape: readonly number[]): void {
  const numbers = product(sampleShape);
  const wanted = product(inputShape);
  if (inputShape.length === 1) {
    // Flat input: any layout with the right count of numbers (the message every MLP spec has always had).
    if (numbers !== wanted) {
      throw new UserError(
        `${source}: each row has ${numbers} feature value${numbers === 1 ? "" : "s"}, but the model takes ${wanted} input${wanted === 1 ? "" : "s"}`,
      );
    }
    return;
  }
  if (fits(sampleShape, inputShape)) return;
  const dims = [count, ...sampleShape].join(" × ");
  const per = sampleShape.length === 1 ? ` (${numbers} numbers per sample)` : sampleShape.length === 0 ? " numbers, one per sample" : "";
  const hint =
    numbers === wanted
      ? `; the numbers per sample agree, the layout does not: save it as ${layouts(inputShape)}`
      : sampleShape.length === 2 && inputShape[0] !== 1
        ? "; an H × W sample is read as 1 channel"
        : "";
  throw new UserError(`${source}: features are ${dims}${per}, the spec's input is ${shapeText(inputShape)} (${wanted} numbers per sample)${hint}`);
}

/** The layouts that fit: "(N, 1, 28, 28), (N, 28, 28) or (N, 784)". */
function layouts(input: readonly number[]): string {
  const forms = [input, ...(input[0] === 1 ? [input.slice(1)] : [])].map((s) => `(N, ${s.join(", ")})`);
  return `${forms.join(", ")} or (N, ${product(input)})`;
}

/** Flat C·H·W numbers, H×W for one channel, or C×H×W exactly. */
function fits(sample: readonly number[], input: readonly number[]): boolean {
  if (sample.length === 1) return sample[0] === product(input);
  if (sample.length === 2 && input.length === 3) return input[0] === 1 && sample[0] === input[1] && sample[1] === input[2];
  return sample.length === input.length && sample.every((d, i) => d === input[i]);
}

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}
