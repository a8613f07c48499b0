// saveWeights / loadWeights: a JSON document that names the network, its spec hash and layout, and that
// loadWeights refuses when any of them differs from this module's.
import type { FunctionDeclarationStructure } from "ts-morph";
import { functionStructure, type EmitContext } from "./code.js";

export function emitWeights(ctx: EmitContext): FunctionDeclarationStructure[] {
  const { plan } = ctx;
  const save = functionStructure({
    name: "saveWeights",
    exported: true,
    doc: "The parameters as a JSON-ready document that loadWeights (of this network only) accepts.",
    parameters: [["params", ctx.array]],
    returns: "WeightsJson",
    body: [
      "return {",
      'format: "nnc-weights",',
      "version: 1,",
      "model: meta.name,",
      "specHash: meta.specHash,",
      "precision: meta.precision,",
      "parameters: meta.parameters,",
      "layout: meta.layout.map((t) => ({ name: t.name, offset: t.offset, shape: [...t.shape], size: t.size })),",
      "values: Array.from(params),",
      "};",
    ],
  });
  const load = functionStructure({
    name: "loadWeights",
    exported: true,
    doc: "Parameters from a saveWeights document; throws when it is not one, or belongs to another network (name, spec hash, layout).",
    parameters: [["json", "unknown"]],
    returns: ctx.array,
    body: [
      'if (typeof json !== "object" || json === null) throw new Error("weights: not a JSON object");',
      "const w = json as Partial<WeightsJson>;",
      'if (w.format !== "nnc-weights" || w.version !== 1) throw new Error("weights: not an nnc-weights version 1 document");',
      'if (w.model !== meta.name) throw new Error(`weights: they belong to model "${String(w.model)}", this module is "${meta.name}"`);',
      "if (w.specHash !== meta.specHash) throw new Error(`weights: spec hash ${String(w.specHash)} differs from this module's ${meta.specHash} (the spec changed since they were saved)`);",
      "const layout = JSON.stringify(meta.layout);",
      "if (w.parameters !== meta.parameters || JSON.stringify(w.layout) !== layout) {",
      'throw new Error(`weights: layout differs from this module\'s (${meta.parameters} parameters: ${meta.layout.map((t) => `${t.name} [${t.shape.join(", ")}]`).join(", ")})`);',
      "}",
      `if (!Array.isArray(w.values) || w.values.length !== ${plan.parameters}) throw new Error("weights: expected ${plan.parameters} values");`,
      `const params = new ${ctx.array}(${plan.parameters});`,
      `for (let i = 0; i < ${plan.parameters}; i++) {`,
      "const v: unknown = w.values[i];",
      'if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`weights: value ${i} is not a finite number`);',
      "params[i] = v;",
      "}",
      "return params;",
    ],
  });
  return [save, load];
}
