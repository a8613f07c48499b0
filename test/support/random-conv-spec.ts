// A seeded generator of random VALID convolutional specs for differential tests: an image input (C 1–3,
// H and W 3–9), one to three image layers (conv with random filters, rectangular kernels, strides,
// paddings and hidden activations; maxpool and avgpool with random windows and strides; a dropout or an
// explicit flatten now and then), then the random MLP head of randomSpec (its first fc layer takes the
// flattened image), with every loss, optimiser, schedule and initialiser that generator draws.
import type { ActivationKind, Layer, Spec } from "../../src/ir.js";
import { createRng, type Rng } from "../../src/prng.js";
import { sizeOf } from "../../src/layers/types.js";
import { ruleOf } from "../../src/layers/index.js";
import { windowCount } from "../../src/layers/window.js";
import { randomSpec, type RandomSpecOptions } from "./random-spec.js";

const HIDDEN: ActivationKind[] = ["linear", "sigmoid", "tanh", "relu", "leaky_relu"];

function integer(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng.uniform() * (max - min + 1));
}

/** One random image layer that fits the shape coming in, or null when none does. */
function imageLayer(rng: Rng, shape: number[], dropout: boolean): Layer | null {
  const [c, h, w] = shape as [number, number, number];
  const roll = rng.uniform();
  if (dropout && roll < 0.1) return { kind: "dropout", size: sizeOf(shape), rate: 0.05 + 0.4 * rng.uniform(), range: null };
  if (roll < 0.6) {
    const padding: [number, number] = [integer(rng, 0, 1), integer(rng, 0, 2)];
    const kernel: [number, number] = [integer(rng, 1, Math.min(4, h + 2 * padding[0])), integer(rng, 1, Math.min(4, w + 2 * padding[1]))];
    const stride: [number, number] = [integer(rng, 1, 2), integer(rng, 1, 2)];
    const kind = HIDDEN[integer(rng, 0, HIDDEN.length - 1)]!;
    return {
      kind: "conv",
      input: [c, h, w],
      filters: integer(rng, 1, 4),
      kernel,
      stride,
      padding,
      activation: { kind, alpha: kind === "leaky_relu" ? 0.05 + 0.2 * rng.uniform() : 0 },
      range: null,
    };
  }
  if (h < 2 && w < 2) return null;
  const kernel: [number, number] = [integer(rng, 1, Math.min(3, h)), integer(rng, 1, Math.min(3, w))];
  const stride: [number, number] = rng.uniform() < 0.5 ? kernel : [integer(rng, 1, 2), integer(rng, 1, 2)];
  if (windowCount(h, kernel[0], stride[0], 0) < 1 || windowCount(w, kernel[1], stride[1], 0) < 1) return null;
  return { kind: rng.uniform() < 0.6 ? "maxpool" : "avgpool", input: [c, h, w], kernel, stride, range: null };
}

export interface RandomConvSpecOptions extends RandomSpecOptions {
  /** Allow dropout among the image layers (default true). */
  imageDropout?: boolean;
}

/** A random valid conv spec, the same for the same seed. */
export function randomConvSpec(seed: number, options: RandomConvSpecOptions = {}): Spec {
  const rng = createRng(seed * 7919 + 13);
  const head = randomSpec(seed, { maxSize: 8, maxDepth: 2, ...options });
  let shape: number[] = [integer(rng, 1, 3), integer(rng, 3, 9), integer(rng, 3, 9)];
  const inputShape = shape;
  const image: Layer[] = [];
  const count = integer(rng, 1, 3);
  for (let k = 0; k < count; k++) {
    const layer = imageLayer(rng, shape, options.imageDropout !== false && k > 0);
    if (layer === null) break;
    image.push(layer);
    shape = ruleOf(layer).outputShape(layer, shape) as number[];
    if (layer.kind === "conv" && shape.some((n) => n < 1)) throw new Error("random conv spec: an empty output");
  }
  if (rng.uniform() < 0.15) image.push({ kind: "flatten", input: shape, range: null });
  const flat = sizeOf(shape);
  const [first, ...rest] = head.layers;
  if (first?.kind !== "dense") throw new Error("random conv spec: the head starts with a dense layer");
  return {
    ...head,
    name: `conv_${seed}`,
    fileName: `conv_${seed}.nn`,
    inputs: sizeOf(inputShape),
    inputShape,
    layers: [...image, { ...first, inputs: flat }, ...rest],
  };
}
