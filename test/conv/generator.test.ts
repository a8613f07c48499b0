// The random conv generator covers what the differential suite claims: every image layer kind and option
// (padding, strides, rectangular windows, overlapping pools), dropout and flatten after image layers,
// f32, every loss and optimiser — so "200 random conv nets pass" means what it says.
import { describe, expect, it } from "vitest";
import { randomConvSpec } from "../support/random-conv-spec.js";

describe("random conv specs", () => {
  it("cover every image layer, option, loss, optimiser and precision across seeds 1–200", () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 200; seed++) {
      const spec = randomConvSpec(seed);
      seen.add(`precision:${spec.precision}`).add(`loss:${spec.loss.kind}`).add(`optimizer:${spec.training.optimizer.kind}`);
      seen.add(`channels:${spec.inputShape[0]! > 1 ? "many" : "one"}`);
      spec.layers.forEach((layer, i) => {
        seen.add(`layer:${layer.kind}`);
        if (layer.kind === "conv") {
          if (layer.padding.some((p) => p > 0)) seen.add("conv:padding");
          if (layer.stride.some((s) => s > 1)) seen.add("conv:stride");
          if (layer.kernel[0] !== layer.kernel[1]) seen.add("conv:rectangular");
          seen.add(`conv:${layer.activation.kind}`);
          if (i > 0) seen.add("conv:after-image");
        }
        if ((layer.kind === "maxpool" || layer.kind === "avgpool") && (layer.stride[0] < layer.kernel[0] || layer.stride[1] < layer.kernel[1]))
          seen.add("pool:overlapping");
        if (layer.kind === "dropout" && i > 0 && spec.layers[i - 1]!.kind !== "dense") seen.add("dropout:after-image");
      });
    }
    const expected = [
      "precision:f64",
      "precision:f32",
      "loss:mse",
      "loss:binary_crossentropy",
      "loss:categorical_crossentropy",
      "optimizer:sgd",
      "optimizer:momentum",
      "optimizer:rmsprop",
      "optimizer:adam",
      "channels:one",
      "channels:many",
      "layer:conv",
      "layer:maxpool",
      "layer:avgpool",
      "layer:flatten",
      "layer:dropout",
      "conv:padding",
      "conv:stride",
      "conv:rectangular",
      "conv:relu",
      "conv:leaky_relu",
      "conv:tanh",
      "conv:sigmoid",
      "conv:linear",
      "conv:after-image",
      "pool:overlapping",
      "dropout:after-image",
    ];
    expect(expected.filter((key) => !seen.has(key))).toEqual([]);
  });
});
