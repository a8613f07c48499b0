// Seeded train/test split: the same seed and row count always hold out the same rows.
import { UserError } from "../errors.js";
import { selectRows, type Dataset } from "./dataset.js";
import { createRng, shuffleIndices } from "../prng.js";

/**
 * Holds out round(count · fraction) rows, chosen by a Fisher-Yates shuffle seeded with `seed`.
 * Both parts keep the source's row order (the trainer shuffles per epoch if the spec asks).
 */
export function splitDataset(data: Dataset, fraction: number, seed: number): { train: Dataset; test: Dataset } {
  if (!(fraction > 0 && fraction < 1)) throw new UserError(`split must be between 0 and 1 (exclusive), got ${fraction}`);
  const testCount = Math.round(data.count * fraction);
  if (testCount === 0 || testCount === data.count) {
    throw new UserError(`${data.source}: split ${fraction} of ${data.count} rows leaves ${testCount === 0 ? "no test rows" : "no training rows"}`);
  }
  const order = new Int32Array(data.count).map((_, i) => i);
  shuffleIndices(order, createRng(seed));
  const held = order.subarray(0, testCount).slice().sort();
  const kept = order.subarray(testCount).slice().sort();
  return { train: selectRows(data, kept), test: selectRows(data, held) };
}
