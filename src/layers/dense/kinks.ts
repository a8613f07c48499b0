// The dense layer in the gradient checker's batch forward (src/check/kinks.ts): z_o = b_o + Σ_i W_oi·in_i
// (the bias first, then inputs ascending) per sample and unit, and a = act(z) over the batch from the same
// ACTIVATIONS formulas the emitter pastes (softmax normalised per row).
import type { DenseLayer } from "../../ir.js";
import { ACTIVATIONS, compileFormula } from "../../maths.js";
import type { UnitsKinkForward } from "../rule.js";

/** The activations' forward formulas, compiled once. */
const FORWARD = new Map(Object.entries(ACTIVATIONS).map(([kind, maths]) => [kind, compileFormula<[number, number]>(maths.forward, ["z", "alpha"])]));

export const DENSE_KINKS: UnitsKinkForward<DenseLayer> = {
  kind: "units",
  units: (layer) => layer.outputs,
  z(layer, params, tensors, input, s, unit) {
    const n = layer.inputs;
    let sum = params[tensors[1]!.offset + unit]!;
    const row = tensors[0]!.offset + unit * n;
    for (let i = 0; i < n; i++) sum += params[row + i]! * input[s * n + i]!;
    return sum;
  },
  unitOf(layer, tensors, index) {
    const local = index - tensors[0]!.offset;
    return local < layer.outputs * layer.inputs ? Math.floor(local / layer.inputs) : local - layer.outputs * layer.inputs;
  },
  activate(layer, z, count) {
    const maths = ACTIVATIONS[layer.activation.kind];
    const f = FORWARD.get(layer.activation.kind)!;
    const a = z.map((v) => f(v, layer.activation.alpha));
    if (maths.vector) {
      // softmax: forward text is exp(z) after subtracting the row maximum; normalise by the row sum.
      const k = layer.outputs;
      for (let s = 0; s < count; s++) {
        const row = z.subarray(s * k, (s + 1) * k);
        const max = Math.max(...row);
        let sum = 0;
        for (let j = 0; j < k; j++) sum += a[s * k + j] = f(row[j]! - max, 0);
        for (let j = 0; j < k; j++) a[s * k + j]! /= sum;
      }
    }
    return a;
  },
};
