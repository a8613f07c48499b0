// The layer-rule table's guarantees (issue 13): no stage outside a kind's own rule branches on that kind,
// every kind of the IR has a rule, and a kind without one is an error in every stage — never a silent skip.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LAYER_RULES, ruleOf } from "../../src/layers/index.js";
import { parameterLayoutOf } from "../../src/layers/layout.js";
import { planSpec } from "../../src/plan.js";
import { interpret } from "../../src/interpreter/index.js";
import type { Layer } from "../../src/ir.js";
import { randomSpec } from "../support/random-spec.js";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** A comparison or case on a layer kind's literal: `kind === "dense"`, `l.kind !== "dropout"`, `case "conv":`. */
const KINDS = "dense|dropout|conv|maxpool|avgpool|flatten";
const KIND_BRANCH = new RegExp(
  `kind\\s*(?:===|!==|==|!=)\\s*["'](?:${KINDS})["']|["'](?:${KINDS})["']\\s*(?:===|!==|==|!=)\\s*\\w+\\.kind|case\\s+["'](?:${KINDS})["']`,
);

/**
 * Files allowed to branch on those words: the rules' own folders, and ONNX import's model of the graph it
 * reads (src/onnx/map.ts, network.ts, spec-text.ts: op-shaped layers `fc`, `conv`, `dropout`, … of an ONNX
 * graph, which it turns into `.nn` text; the front end then lowers that text through the rules like any spec).
 */
const ALLOWED = /^src[\\/](?:layers[\\/](?:dense|dropout|conv|pool|flatten)[\\/]|onnx[\\/](?:map|network|spec-text)\.ts$)/;

describe("the layer-rule table", () => {
  it("no file outside the rules' folders (and ONNX import's own graph model) branches on a layer kind", () => {
    const files = [...sources("src"), ...sources("grammar")].filter((f) => !ALLOWED.test(f));
    expect(files.length).toBeGreaterThan(100);
    const branches = files.flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .flatMap((line, i) => (KIND_BRANCH.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(branches).toEqual([]);
  });

  it("the pattern finds the branches it is meant to find", () => {
    for (const line of ['if (l.kind === "dense") {', 'layers.filter((l) => l.kind !== "dropout")', 'case "dense":', '"dropout" === layer.kind'])
      expect(KIND_BRANCH.test(line), line).toBe(true);
    for (const line of ['kind: "dense",', 'streamSeed(options.seed, "dropout")']) expect(KIND_BRANCH.test(line), line).toBe(false);
  });

  it("has one rule per kind of the IR, each under its own kind", () => {
    for (const [kind, rule] of Object.entries(LAYER_RULES)) expect(rule.kind).toBe(kind);
    const spec = randomSpec(4);
    for (const layer of spec.layers) expect(ruleOf(layer).kind).toBe(layer.kind);
  });

  it("a layer kind without a rule is an error in the layout, the plan and the interpreter, naming the kind", () => {
    const spec = randomSpec(9, { dropout: false });
    const mystery = { kind: "mystery", size: spec.inputs, range: null } as unknown as Layer;
    const broken = { ...spec, layers: [mystery, ...spec.layers] };
    expect(() => parameterLayoutOf(broken.layers)).toThrow('no layer rule for kind "mystery"');
    expect(() => planSpec(broken)).toThrow('no layer rule for kind "mystery"');
    expect(() => interpret(broken).lossAndGradient(new Float64Array(1000), new Float64Array(100), new Float64Array(100), 1, new Float64Array(1000))).toThrow(
      'no layer rule for kind "mystery"',
    );
  });
});
