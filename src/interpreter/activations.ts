// Activations for the interpreter, compiled from the maths table (src/maths.ts): forward over a layer's
// vector, and the backward rule that turns dL/da into dL/dz.
import type { Activation, ActivationKind } from "../ir.js";
import { ACTIVATIONS, compileFormula } from "../maths.js";

type Forward = (z: number, alpha: number) => number;
type Derivative = (a: number, z: number, alpha: number) => number;

const FORWARD = {} as Record<ActivationKind, Forward>;
const DERIVATIVE = {} as Record<ActivationKind, Derivative>;
for (const kind of Object.keys(ACTIVATIONS) as ActivationKind[]) {
  FORWARD[kind] = compileFormula<[number, number]>(ACTIVATIONS[kind].forward, ["z", "alpha"]);
  DERIVATIVE[kind] = compileFormula<[number, number, number]>(ACTIVATIONS[kind].derivative, ["a", "z", "alpha"]);
}

/** a = f(z) for a whole layer. softmax is stable: the table's exp is applied to z − max z, then normalised. */
export function activate(activation: Activation, z: Float64Array, a: Float64Array): void {
  const f = FORWARD[activation.kind];
  if (ACTIVATIONS[activation.kind].vector) {
    let max = -Infinity;
    for (let k = 0; k < z.length; k++) if (z[k]! > max) max = z[k]!;
    let sum = 0;
    for (let k = 0; k < z.length; k++) {
      a[k] = f(z[k]! - max, activation.alpha);
      sum += a[k]!;
    }
    for (let k = 0; k < z.length; k++) a[k] = a[k]! / sum;
    return;
  }
  for (let k = 0; k < z.length; k++) a[k] = f(z[k]!, activation.alpha);
}

/**
 * dL/dz from dL/da (`g`) for a whole layer. Element-wise activations multiply by the table's derivative;
 * softmax goes through its full Jacobian: dL/dz_k = a_k (g_k − Σ_j g_j a_j).
 */
export function activationBackward(activation: Activation, z: Float64Array, a: Float64Array, g: Float64Array, dz: Float64Array): void {
  if (ACTIVATIONS[activation.kind].vector) {
    let dot = 0;
    for (let j = 0; j < a.length; j++) dot += g[j]! * a[j]!;
    for (let k = 0; k < a.length; k++) dz[k] = a[k]! * (g[k]! - dot);
    return;
  }
  const d = DERIVATIVE[activation.kind];
  for (let k = 0; k < a.length; k++) dz[k] = g[k]! * d(a[k]!, z[k]!, activation.alpha);
}

/**
 * A weighted layer's dL/dz in its backward: `given` when the loss handed it over (its fused output delta), else
 * activationBackward of the layer's trace and dL/d(output) `gOut`, into a new array of the layer's `size` outputs.
 */
export function layerDelta(
  activation: Activation,
  trace: { z: Float64Array | null; output: Float64Array },
  gOut: Float64Array | null,
  given: Float64Array | null,
  size: number,
): Float64Array {
  if (given !== null) return given;
  const dz = new Float64Array(size);
  activationBackward(activation, trace.z!, trace.output, gOut!, dz);
  return dz;
}

/** True when the activation's derivative has a kink at z = 0 (relu, leaky_relu). */
export function hasKink(kind: ActivationKind): boolean {
  return ACTIVATIONS[kind].kinkAtZero;
}
