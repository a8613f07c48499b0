// Dropout in the gradient checker's batch forward (src/check/kinks.ts): per sample one uniform per unit in
// order (0 when < rate, else 1/(1 − rate)), as the module draws them; consecutive masks multiply.
import type { DropoutLayer } from "../../ir.js";
import type { MaskKinkForward } from "../rule.js";

export const DROPOUT_KINKS: MaskKinkForward<DropoutLayer> = {
  kind: "mask",
  size: (layer) => layer.size,
  draw(layer, rng, out, offset) {
    for (let u = 0; u < layer.size; u++) out[offset + u] = rng.uniform() >= layer.rate ? 1 / (1 - layer.rate) : 0;
  },
  compose: (mask, pending) => (pending ? pending.map((v, i) => v * mask[i]!) : mask),
};
