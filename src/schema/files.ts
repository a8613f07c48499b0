// The schemas of the JSON files nnc reads back (src/schema/validate.ts checks them): a weights file
// (nnc train's, nnc import's, a module's saveWeights) and a checkpoint's history. Checked before any field
// is used, so a hand-edited or corrupted file is one line naming the field, never a stack trace. Sizes
// that depend on the spec (how many values, which tensors) are compared afterwards by
// src/train/weights-file.ts's checkWeights, which names each difference.
import { array, finite, integer, literal, nullable, numberOrNonFinite, object, optional, string, type Check, fail } from "./validate.js";

/** More dimensions or tensors than any spec nnc accepts (src/limits.ts keeps them far below). */
const MAX_DIMENSIONS = 8;
const MAX_TENSORS = 10_000;

const tensor = object(
  {
    name: string(),
    offset: integer(0),
    shape: array(integer(1), { min: 1, max: MAX_DIMENSIONS, what: "a list of whole numbers ≥ 1" }),
    size: integer(1),
  },
  { strict: true, what: "a tensor {name, offset, shape, size}" },
);

/** A layout entry whose size is not its shape's product is refused too (the values would be misread). */
const layoutEntry: Check<ReturnType<typeof tensor>> = (v, f) => {
  const t = tensor(v, f);
  const product = t.shape.reduce((a, b) => a * b, 1);
  if (t.size !== product) fail(`${f}.size`, t.size, `${product}, the product of the shape [${t.shape.join(", ")}]`);
  return t;
};

export const weightsFileSchema = object({
  format: literal("nnc-weights"),
  version: literal(1),
  model: string(),
  specHash: optional(string()),
  networkHash: optional(string()),
  precision: optional(literal("f64", "f32")),
  parameters: integer(0),
  layout: array(layoutEntry, { max: MAX_TENSORS, what: "a list of tensors" }),
  values: array(finite, { what: "a list of finite numbers" }),
  normalization: optional(object({ kind: string(), offset: array(finite), scale: array(finite) })),
  dataScale: optional((v, f) => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : fail(f, v, "a finite number > 0"))),
  spec: optional(string()),
  run: optional(object({})),
  imported: optional(object({})),
  classes: optional(array(string(false), { what: "a list of class names" })),
});

/** One evaluated epoch of a checkpoint's history (EpochMetrics; non-finite metrics written as strings). */
export function historyRowSchema(epochs: number) {
  return object(
    {
      epoch: integer(0, Math.max(0, epochs - 1)),
      learningRate: numberOrNonFinite,
      loss: numberOrNonFinite,
      accuracy: nullable(numberOrNonFinite),
      testLoss: optional(numberOrNonFinite),
      testAccuracy: optional(nullable(numberOrNonFinite)),
    },
    { strict: true, what: "an epoch's metrics {epoch, learningRate, loss, accuracy, …}" },
  );
}

/** A checkpoint's history after `done` epochs: at most one row per completed epoch. */
export function historySchema(done: number) {
  return array(historyRowSchema(done), { max: done, what: "a list of epoch metrics" });
}
