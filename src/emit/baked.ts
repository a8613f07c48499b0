// `nnc build SPEC --weights W.json`: the module with trained weights baked in (brain.js's toFunction()). The
// formatted module gets one more section — the parameter vector as a literal, every value written exactly,
// and predictTrained / classifyTrained, which need no params argument — and the header lists them. The
// values come from the module's own loadWeights (src/commands/build-weights.ts checks the file first), so a
// baked module predicts exactly what predict(loadWeights(file), x) does.
import type { ModuleMeta } from "../module-api.js";
import { formatModule } from "../format.js";

export interface BakedWeights {
  /** The full vector loadWeights returned: trainable parameters, then the normalisation statistics. */
  values: ArrayLike<number>;
  /** The weights file's name as given (for the doc comment; no folders). */
  file: string;
  /** Its `spec` field, when it names one. */
  spec: string | null;
}

/**
 * The shortest decimal that reads back as exactly `v`: String(v) for a float64 (JavaScript's own shortest
 * round-trip form); for a float32 the fewest significant digits whose Math.fround is v again.
 */
export function exactDecimal(v: number, precision: "f64" | "f32"): string {
  if (precision === "f64" || !Number.isFinite(v) || v === 0) return Object.is(v, -0) ? "-0" : String(v);
  for (let digits = 1; digits <= 9; digits++) {
    const text = String(Number(v.toPrecision(digits)));
    if (Math.fround(Number(text)) === v) return text;
  }
  return String(v);
}

function section(title: string): string {
  return `// ---- ${title} ${"-".repeat(Math.max(4, 100 - title.length))}`;
}

/** The baked section's statements (formatted separately, then appended). */
function bakedSection(meta: ModuleMeta, baked: BakedWeights, classifier: boolean): string {
  const V = meta.precision === "f32" ? "Float32Array" : "Float64Array";
  const n = meta.parameters;
  const statistics = meta.preprocessing.size > 0 ? `, then the ${meta.preprocessing.normalize} normalisation's ${meta.preprocessing.size} statistics` : "";
  const values = Array.from(baked.values, (v) => exactDecimal(v, meta.precision)).join(", ");
  return [
    section(`trained weights, baked in by nnc build --weights ${baked.file}`),
    "/**",
    ` * The trained parameter vector from ${baked.file}${baked.spec === null ? "" : ` (trained from ${baked.spec})`}, checked as loadWeights checks it:`,
    ` * the ${n} trainable parameters${statistics}.`,
    ` * Each value is written exactly (the shortest decimal that reads back as the same ${meta.precision} number), so`,
    " * predictTrained(x) is predict(loadWeights(file), x) bit for bit.",
    " */",
    `export const TRAINED_PARAMETERS: ${V} = new ${V}([${values}]);`,
    "",
    "/** The trained network's output for one raw sample x: predict(TRAINED_PARAMETERS, x, out), with no loading step. */",
    `export function predictTrained(x: ${V}, out?: ${V}): ${V} {`,
    "  return predict(TRAINED_PARAMETERS, x, out);",
    "}",
    ...(classifier
      ? [
          "",
          "/** The class of one raw sample x by the trained network: classify(TRAINED_PARAMETERS, x). */",
          `export function classifyTrained(x: ${V}): Classification {`,
          "  return classify(TRAINED_PARAMETERS, x);",
          "}",
        ]
      : []),
    "",
  ].join("\n");
}

/** The header lines naming the baked exports, after loadWeights' signature line. */
function headerLines(meta: ModuleMeta, classifier: boolean): string[] {
  const V = meta.precision === "f32" ? "Float32Array" : "Float64Array";
  return [
    `// export const TRAINED_PARAMETERS: ${V} (baked by nnc build --weights)`,
    `// export function predictTrained(x: ${V} /* raw */, out?: ${V}): ${V}`,
    ...(classifier ? [`// export function classifyTrained(x: ${V} /* raw */): Classification`] : []),
  ];
}

/** The formatted module `text` with `baked` in it (meta: the module's own; classifier: it exports classify). */
export async function bakeWeights(text: string, meta: ModuleMeta, classifier: boolean, baked: BakedWeights): Promise<string> {
  if (baked.values.length !== meta.parameters + meta.preprocessing.size) {
    throw new Error(`internal: ${baked.values.length} values to bake into ${meta.name}, whose vector has ${meta.parameters + meta.preprocessing.size}`);
  }
  const anchor = /^\/\/ export function loadWeights\(json: unknown\): \w+\n/m;
  const match = anchor.exec(text);
  if (match === null) throw new Error("internal: no loadWeights line in the module's header");
  const at = match.index + match[0].length;
  const headed = `${text.slice(0, at)}${headerLines(meta, classifier).join("\n")}\n${text.slice(at)}`;
  return `${headed}${await formatModule(bakedSection(meta, baked, classifier))}`;
}
