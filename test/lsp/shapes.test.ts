// The shape walk behind hover and inlay hints goes through the layer rules, so a kind whose rule returns a
// C×H×W shape (the conv layers being added) prints it as the rule computes it: a rule registered here, with a
// 3-D output, shows `→ 6×13×13` with no change in src/lsp.
import { describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import { registerLayerRule, type AnyLayerRule } from "../../src/layers/index.js";
import { analyse, type Analysis } from "../../src/lsp/analysis.js";
import { inlayHints } from "../../src/lsp/hints.js";
import { formatShape, layerShapes, shownShapes } from "../../src/lsp/shapes.js";

// Only what the shape walk reads: outputShape and tensors (a 6×1×3×3 kernel and 6 biases).
registerLayerRule({
  kind: "test-window",
  describe: () => "window",
  outputShape: (_layer: unknown, input: readonly number[]) => [6, Math.floor((input[1]! - 3) / 2) + 1, Math.floor((input[2]! - 3) / 2) + 1],
  activation: () => null,
  tensors: () => [
    { suffix: "weight", shape: [6, 1, 3, 3], role: { kind: "weight", fanIn: 9, fanOut: 54 } },
    { suffix: "bias", shape: [6], role: { kind: "bias" } },
  ],
} as unknown as AnyLayerRule);

describe("layer shapes through the rules", () => {
  it("walks from the spec's input shape and prints whatever shape a rule returns", () => {
    const text = "layer fc 2->4 tanh\nlayer fc 4->1 sigmoid\n";
    const analysis = analyse(text, "x.nn");
    const spec = { ...analysis.lowered!.spec, inputShape: [1, 28, 28], layers: [{ kind: "test-window", range: null }, ...analysis.lowered!.spec.layers] };
    const shapes = layerShapes(spec as never);
    expect(shapes.map((s) => formatShape(s.output))).toEqual(["6×13×13", "4", "1"]);
    expect(shapes[0]).toEqual({ input: [1, 28, 28], output: [6, 13, 13], parameters: 60 });
  });

  it("puts a 3-D shape in the inlay hint of its layer's line", () => {
    const text = "layer window\nlayer fc 1014->1 sigmoid\n";
    const base = analyse("layer fc 1014->1 sigmoid\n", "x.nn");
    const windowStatement = { ...base.statements[0]!, range: { startOffset: 0, endOffset: 11, startLine: 1, startColumn: 1, endLine: 1, endColumn: 12 } };
    const analysis: Analysis = {
      ...base,
      lowered: {
        spec: { ...base.lowered!.spec, inputShape: [1, 28, 28], layers: [{ kind: "test-window", range: null }, ...base.lowered!.spec.layers] } as never,
        layerStatements: [windowStatement, { ...base.statements[0]!, range: { ...base.statements[0]!.range, startOffset: 13, endOffset: 36 } }],
      },
    };
    const document = TextDocument.create("file:///x.nn", "nn", 1, text);
    const hints = inlayHints(document, analysis, { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } });
    expect(hints.map((h) => [h.position, h.label])).toEqual([
      [{ line: 0, character: 12 }, "→ 6×13×13"],
      [{ line: 1, character: 24 }, "→ 1"],
    ]);
  });

  it("stops at a layer whose shape cannot be known (a NaN size in a lenient spec)", () => {
    const analysis = analyse("layer fc 2->4 tanh\nlayer fc 4->1 sigmoid\n", "x.nn");
    const spec = analysis.lowered!.spec;
    const broken = { ...spec, layers: [spec.layers[0]!, { ...spec.layers[1]!, outputs: NaN }] };
    expect(layerShapes(broken as never).map((s) => formatShape(s.output))).toEqual(["4"]);
  });

  it("shows shapes only up to the first layer whose statement holds an error", () => {
    const text = "layer fc 2->4 tanh\nlayer fc 4->8 tanx\nlayer fc 8->1 sigmoid\nsgd lr=-1\n";
    const analysis = analyse(text, "x.nn");
    expect(analysis.diagnostics.map((d) => d.code).sort()).toEqual(["NN006", "NN012"]);
    // The lenient lowering still has all three layers; the second's statement holds NN006, so the walk stops there.
    expect(layerShapes(analysis.lowered!.spec)).toHaveLength(3);
    expect(shownShapes(analysis.lowered!, analysis.diagnostics).map((s) => formatShape(s.output))).toEqual(["4"]);
  });
});
