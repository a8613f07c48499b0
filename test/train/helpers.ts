// Shared by the training tests: temporary folders, captured output streams, small specs written to disk.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Streams } from "../../src/train/progress.js";

export function tempDir(prefix = "nnc-train-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function captured(): Streams & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t), isTTY: false },
    out: () => out,
    err: () => err,
  };
}

/** The 2-2-1 demo with raw (un-normalised) inputs and z-score normalisation, four inline rows. */
export const GENDER = `model gender
layer fc 2->2 sigmoid
layer fc 2->1 sigmoid
loss mse
init normal std=0.5 seed=2
sgd lr=0.5 epochs=60 batch=1 shuffle
normalize z-score
row 60.3, 165 -> 1
row 72.6, 183 -> 0
row 68.9, 178 -> 0
row 54.4, 152 -> 1
`;

/** Linear regression with a learning rate far too large: the weights grow ×(1 − lr·x²) each step until the
 * squared loss overflows to Infinity, then NaN (the non-finite-loss path of `nnc train`). */
export const DIVERGING = `model boom
layer fc 1->1 linear
loss mse
init normal std=1 seed=1
sgd lr=50 epochs=300 batch=4
row 1 -> 2
row 2 -> 4
row 3 -> 6
row 4 -> 8
`;

export function writeSpec(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
