// Small hand-made Specs for the checker's tests (the front end is not needed to build an IR).
import type { ActivationKind, Layer, LossKind, Precision, Spec } from "../../src/ir.js";
import type { GeneratedModule, Vector } from "../../src/module-api.js";
import { ruleOf } from "../../src/layers/index.js";
import { sizeOf, type Shape } from "../../src/layers/types.js";

/** A dense layer "IN->OUT act" or a dropout "dropout:RATE". */
export type LayerShorthand = string;

export function makeSpec(layers: LayerShorthand[], loss: LossKind, precision: Precision = "f64", name = "fixture"): Spec {
  const ir: Layer[] = [];
  let width = 0;
  for (const text of layers) {
    const drop = /^dropout:([\d.]+)$/.exec(text);
    if (drop) {
      ir.push({ kind: "dropout", size: width, rate: Number(drop[1]), range: null });
      continue;
    }
    const m = /^(\d+)->(\d+) (\w+)(?:\(([\d.]+)\))?$/.exec(text);
    if (!m) throw new Error(`bad layer shorthand ${text}`);
    const kind = m[3] as ActivationKind;
    ir.push({
      kind: "dense",
      inputs: Number(m[1]),
      outputs: Number(m[2]),
      activation: { kind, alpha: kind === "leaky_relu" ? Number(m[4] ?? 0.01) : 0 },
      range: null,
    });
    width = Number(m[2]);
  }
  const dense = ir.filter((l) => l.kind === "dense");
  return specOf(name, [dense[0]!.inputs], ir, loss, precision);
}

/** A checker fixture Spec of these layers (any kinds) over inputs of `inputShape`: SGD lr 0.1, batch 4, no data. */
export function specOf(name: string, inputShape: number[], layers: Layer[], loss: LossKind, precision: Precision = "f64"): Spec {
  let shape: Shape = inputShape;
  for (const layer of layers) shape = ruleOf(layer).outputShape(layer, shape);
  return {
    name,
    fileName: `${name}.nn`,
    sourceHash: "0".repeat(64),
    inputs: sizeOf(inputShape),
    inputShape,
    outputs: sizeOf(shape),
    classes: null,
    layers,
    loss: { kind: loss, written: loss === "mse" ? "mse" : "crossentropy", range: null },
    init: { scheme: { kind: "xavier" }, seed: 1, range: null },
    training: {
      optimizer: { kind: "sgd" },
      learningRate: 0.1,
      epochs: 1,
      batchSize: 4,
      shuffle: false,
      weightDecay: 0,
      schedule: { kind: "constant" },
      stop: [],
      seed: 1,
      range: null,
    },
    data: null,
    precision,
    variables: {},
    sweeps: [],
  };
}

/**
 * A module whose lossAndGradient is the given one's with the gradient corrupted afterwards by `corrupt`
 * (params gradient, input gradient or both): a stand-in for a buggy generated module.
 */
export function corrupted(module: GeneratedModule, corrupt: (grad: Vector, inputGradient: Vector | undefined) => void): GeneratedModule {
  return {
    ...module,
    lossAndGradient(params, xs, ys, count, grad, options) {
      const loss = module.lossAndGradient(params, xs, ys, count, grad, options);
      corrupt(grad, options?.inputGradient);
      return loss;
    },
  };
}
