// Max pooling's kinks: where two taps of a window tie, the max is not differentiable, and a central
// difference across the tie measures a blend of two slopes. The checker watches each window's gap (max −
// runner-up) from the interpreter's trace; a step that closes a gap is skipped and counted. Checked on a
// crafted tie: the step of a tied input is flagged, a step elsewhere is not.
import { describe, expect, it } from "vitest";
import type { Layer, Spec } from "../../src/ir.js";
import { KinkProbe, kinkLayers, stepNearKink } from "../../src/check/kinks.js";
import { interpret } from "../../src/interpreter/index.js";
import { specOf } from "./fixtures.js";

function poolSpec(): Spec {
  const layers: Layer[] = [
    { kind: "maxpool", input: [1, 4, 4], kernel: [2, 2], stride: [2, 2], range: null },
    { kind: "dense", inputs: 4, outputs: 3, activation: { kind: "softmax", alpha: 0 }, range: null },
  ];
  return specOf("pooltie", [1, 4, 4], layers, "categorical_crossentropy");
}

describe("max-pool ties in the gradient checker", () => {
  const spec = poolSpec();
  const params = Float64Array.from(interpret(spec).createParameters(2));
  // One sample: the top-left window's two maxima tie at 0.9 (inputs 0 and 1); the other windows have clear maxima.
  const xs = Float64Array.from([0.9, 0.9, 0.1, 0.5, 0.2, 0.3, 0.2, 0.1, 0.7, 0.1, 0.4, 0.6, 0.2, 0.3, 0.1, 0.05]);

  it("watches the pool layer's gaps, 0 at the tie", () => {
    expect(kinkLayers(spec)).toEqual([0]);
    const probe = new KinkProbe(spec, params, xs, 1, null);
    expect(probe.incremental).toBe(false);
    expect(probe.base[0]![0]).toBe(0);
    expect(probe.base[0]![1]).toBeCloseTo(0.5 - 0.2, 12); // top-right window: 0.5 over 0.2
  });

  it("flags a step of a tied input and not one of an input far from any tie", () => {
    const probe = new KinkProbe(spec, params, xs, 1, null);
    const stepped = (at: number): boolean => {
      const original = xs[at]!;
      xs[at] = original + 1e-6;
      const plus = probe.afterInput(0);
      xs[at] = original - 1e-6;
      const minus = probe.afterInput(0);
      xs[at] = original;
      return stepNearKink(probe.base, plus, minus, kinkLayers(spec));
    };
    expect(stepped(0)).toBe(true);
    expect(stepped(1)).toBe(true);
    expect(stepped(8)).toBe(false);
  });
});
