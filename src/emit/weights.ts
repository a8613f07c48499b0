// saveWeights / loadWeights: a JSON document with everything `nnc predict` needs (nnc train's weights-file
// fields: model, hashes, layout, the trainable values and the input normalisation). loadWeights checks
// identity by meaning: the model name, the layout, the normalisation kind and the network hash (what the
// values mean; src/network-identity.ts), never the spec's text; it names every difference it finds.
import type { FunctionDeclarationStructure } from "ts-morph";
import { functionStructure, type EmitContext } from "./code.js";
import { preprocessingOfContext } from "./preprocess.js";

export function emitWeights(ctx: EmitContext): FunctionDeclarationStructure[] {
  const { plan } = ctx;
  const P = plan.parameters;
  const n = plan.inputs;
  const pre = preprocessingOfContext(ctx);
  const normalization =
    pre.size > 0
      ? `normalization: { kind: "${pre.normalize}", offset: Array.from(params.subarray(${P}, ${P + n})), scale: Array.from(params.subarray(${P + n}, ${P + 2 * n})) },`
      : `normalization: { kind: "none", offset: new Array<number>(${n}).fill(0), scale: new Array<number>(${n}).fill(1) },`;
  const save = functionStructure({
    name: "saveWeights",
    exported: true,
    doc: [
      "The parameters as a JSON-ready document that loadWeights (of this network) and `nnc predict` accept: the trainable values",
      pre.size > 0
        ? "and the normalisation statistics stored after them (the `normalization` field of nnc train's weights file)."
        : "and the normalisation (none).",
    ].join("\n"),
    parameters: [["params", ctx.array]],
    returns: "WeightsJson",
    body: [
      "return {",
      'format: "nnc-weights",',
      "version: 1,",
      "model: meta.name,",
      "specHash: meta.specHash,",
      "networkHash: meta.networkHash,",
      "precision: meta.precision,",
      "parameters: meta.parameters,",
      "layout: meta.layout.map((t) => ({ name: t.name, offset: t.offset, shape: [...t.shape], size: t.size })),",
      pre.size > 0 ? `values: Array.from(params.subarray(0, ${P})),` : "values: Array.from(params),",
      normalization,
      "dataScale: meta.preprocessing.scale,",
      "};",
    ],
  });
  const differences = functionStructure({
    name: "weightsDifferences",
    doc: "What in a weights document does not fit this network: layout tensors by name and shape, the normalisation kind, else the network hash.",
    parameters: [["w", "Partial<WeightsJson>"]],
    returns: "string[]",
    body: [
      "const result: string[] = [];",
      // Numbers only: joined, [[1]] or ["1"] would read as [1].
      'const shape = (t: { shape: readonly number[] }): string => (Array.isArray(t.shape) && t.shape.every((n) => typeof n === "number") ? `[${t.shape.join(", ")}]` : "(no valid shape)");',
      "const theirs = Array.isArray(w.layout) ? w.layout : [];",
      "for (const t of meta.layout) {",
      "const u = theirs.find((x) => x.name === t.name);",
      "if (u === undefined) result.push(`${t.name} ${shape(t)} is not in the weights`);",
      "else if (u.offset !== t.offset || shape(u) !== shape(t)) result.push(`${t.name} is ${shape(u)} in the weights, ${shape(t)} in this network`);",
      "}",
      "for (const u of theirs) if (!meta.layout.some((t) => t.name === u.name)) result.push(`${u.name} ${shape(u)} is in the weights, not in this network`);",
      "const kind = w.normalization?.kind;",
      pre.size > 0
        ? `if (kind === undefined) result.push(\`no "normalization" field: this network normalises its inputs (${pre.normalize}) and needs the statistics it was trained with\`);`
        : "",
      `if (kind !== undefined && kind !== "${pre.normalize}") result.push(\`inputs normalised \${kind} in the weights, ${pre.normalize} in this network\`);`,
      "if (w.dataScale !== undefined && w.dataScale !== meta.preprocessing.scale) result.push(`data scale ${w.dataScale} in the weights, ${meta.preprocessing.scale} in this network`);",
      "if (result.length === 0 && w.networkHash !== undefined && w.networkHash !== meta.networkHash) {",
      'result.push("the network differs in a layer\'s settings (activation, window, stride, padding, dropout rate), the input shape or the data scale");',
      "}",
      "return result;",
    ].filter((line) => line !== ""),
  });
  const statistics =
    pre.size > 0
      ? [
          "const stats = w.normalization!;",
          "const finite = (a: unknown, nonZero: boolean): a is number[] =>",
          `Array.isArray(a) && a.length === ${n} && a.every((v) => typeof v === "number" && Number.isFinite(v) && (!nonZero || v !== 0));`,
          `if (!finite(stats.offset, false) || !finite(stats.scale, true)) throw new Error("weights: normalization must have ${n} finite offsets and ${n} finite, non-zero scales");`,
          `params.set(stats.offset, ${P});`,
          `params.set(stats.scale, ${P + n});`,
        ]
      : [];
  const load = functionStructure({
    name: "loadWeights",
    exported: true,
    doc: [
      `Parameters${pre.size > 0 ? " (with the normalisation statistics after them)" : ""} from a saveWeights document or nnc train's weights file; throws when it`,
      "is not one, or its model name, layout, normalisation or network hash differ (naming each difference). The spec hash is not",
      "checked: comments, formatting and training settings do not change what the values mean.",
    ].join("\n"),
    parameters: [["json", "unknown"]],
    returns: ctx.array,
    body: [
      'if (typeof json !== "object" || json === null) throw new Error("weights: not a JSON object");',
      "const w = json as Partial<WeightsJson> & { spec?: unknown };",
      'if (w.format !== "nnc-weights" || w.version !== 1) throw new Error("weights: not an nnc-weights version 1 document");',
      'if (w.model !== meta.name) throw new Error(`weights: they belong to model "${String(w.model)}", this module is "${meta.name}"`);',
      // Mistyped entries get a message of their own, not a TypeError from reading a property of null.
      'const entry = (t: unknown): boolean => typeof t === "object" && t !== null && typeof (t as { name?: unknown }).name === "string";',
      'if (w.layout !== undefined && (!Array.isArray(w.layout) || !w.layout.every(entry))) throw new Error("weights: layout must be a list of { name, offset, shape, size } entries");',
      'if (w.normalization !== undefined && (typeof w.normalization !== "object" || w.normalization === null)) throw new Error("weights: normalization must be an object { kind, offset, scale }");',
      "const differences = weightsDifferences(w);",
      "if (differences.length > 0) {",
      'const spec = typeof w.spec === "string" ? ` (the file names ${w.spec})` : "";',
      "throw new Error(",
      '`weights: they do not fit this network:\\n  - ${differences.join("\\n  - ")}\\nRetrain with nnc train SPEC, or use the module built from the spec they were trained with${spec}.`,',
      ");",
      "}",
      `if (!Array.isArray(w.values) || w.values.length !== ${P}) throw new Error("weights: expected ${P} values");`,
      `const params = new ${ctx.array}(${P + pre.size});`,
      `for (let i = 0; i < ${P}; i++) {`,
      "const v: unknown = w.values[i];",
      'if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`weights: value ${i} is not a finite number`);',
      "params[i] = v;",
      "}",
      ...statistics,
      "return params;",
    ],
  });
  return [save, differences, load];
}
