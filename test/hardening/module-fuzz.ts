// Hostile inputs of issue 21 beyond spec text, shared by test/hardening/fuzz.test.ts and `npm run fuzz`:
// - bad calls of a generated module (one argument of a valid call made wrong: an array short by 1…all,
//   a plain array, null, a string; a count past the arrays, 0, fractional, negative, NaN, ±Infinity; a seed
//   out of 0…2^32−1; epochs / evaluateEvery / startEpoch non-finite or fractional): each must throw a
//   TypeError or RangeError whose message starts with the function's name — never return (NaN, garbage);
// - hostile weights documents for loadWeights (a valid saveWeights document with fields removed, mistyped,
//   resized, renamed, reordered, `__proto__` keys, nested junk): each is refused with an Error whose
//   message starts with `weights:`, or — only where the change kept it valid — loaded as exactly its values;
// - spec strings with random escapes: each unknown escape is NN018 at its backslash, known ones unescape.
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseSpec } from "../../src/front/index.js";
import { buildAndLoad } from "../../src/harness/load.js";
import type { GeneratedModule, TrainOptions, Vector, WeightsJson } from "../../src/module-api.js";

const root = join(import.meta.dirname, "../..");

/** The modules fuzzed: dense f64 with normalisation (gender) and f32 with wasm kernels (the bench's W4). */
export async function fuzzModules(): Promise<{ label: string; module: GeneratedModule }[]> {
  const out: { label: string; module: GeneratedModule }[] = [];
  for (const [label, path] of [
    ["gender (f64, normalised)", "specs/gender.nn"],
    ["w4-letters (f32, wasm)", "bench/specs/w4-letters.nn"],
  ] as const) {
    const { spec, diagnostics } = parseSpec(readFileSync(join(root, path), "utf8"), path);
    if (spec === null) throw new Error(`${path}: ${diagnostics.map((d) => d.message).join("; ")}`);
    out.push({ label, module: await buildAndLoad(spec) });
  }
  return out;
}

// ---- bad calls --------------------------------------------------------------------------------------------

/** A call with one wrong argument: what it is, the function's name (its messages start with it) and the call. */
export interface BadCall {
  label: string;
  fn: string;
  run: () => unknown;
}

const notAnArray = fc.constantFrom<unknown>(null, undefined, "1,2", 3, {}, [0.5, 0.5], { length: 1e9 }, new Int32Array(8), new Uint8Array(4096));
const badCount = (rows: number, zeroOk: boolean): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.integer({ min: rows + 1, max: rows + 1000 }),
    fc.constantFrom<unknown>(NaN, Infinity, -Infinity, -1, 2.5, 0.5, 1e300, 2 ** 53, "3", null, ...(zeroOk ? [] : [0, -0])),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((v) => !Number.isInteger(v)),
  );
const badSeed = fc.oneof(
  fc.constantFrom<unknown>(NaN, Infinity, -1, 2 ** 32, 2 ** 32 + 1, 1e300, 1.5, -0.5, "7", null),
  fc.integer({ min: 2 ** 32, max: Number.MAX_SAFE_INTEGER }),
  fc.integer({ min: -(2 ** 31), max: -1 }),
);
const badWhole = (min: number): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom<unknown>(NaN, Infinity, -Infinity, 0.5, 1e300, 1e10, min - 1, "2", null),
    fc.double({ min: 0, max: 100, noNaN: true }).filter((v) => !Number.isInteger(v)),
  );

/** Bad calls against `m`: every exported function, one argument wrong at a time. */
export function badCalls(m: GeneratedModule): fc.Arbitrary<BadCall> {
  const { inputs: I, outputs: O, parameters: P } = m.meta;
  const A = m.meta.precision === "f32" ? Float32Array : Float64Array;
  const n = 4;
  const base = m.createParameters(1);
  const V = base.length;
  const fresh = () => ({
    params: base.slice(),
    xs: new A(n * I).map((_, i) => (i % 7) / 7),
    ys: new A(n * O).map((_, i) => (i % O === 0 ? 1 : 0)),
    grad: new A(P),
    x: new A(I).fill(0.25),
  });
  /** An array argument made wrong: short by 1…all of its values, or not a float array at all. */
  const wrongArray = (length: number): fc.Arbitrary<unknown> =>
    fc.oneof(
      fc.integer({ min: 1, max: length }).map((k) => new A(length - k)),
      notAnArray,
    );
  const as = <T>(v: unknown): T => v as T;
  const call = (label: string, fn: string, arb: fc.Arbitrary<unknown>, run: (bad: unknown) => unknown): fc.Arbitrary<BadCall> =>
    arb.map((bad) => ({ label: `${label} = ${describe(bad)}`, fn, run: () => run(bad) }));
  const trainCall = (fn: "train" | "trainAsync") => (options: unknown) => {
    const a = fresh();
    const method = (m as unknown as Record<string, (...args: unknown[]) => unknown>)[fn]!;
    return method(a.params, a.xs, a.ys, n, options as TrainOptions);
  };
  const calls: fc.Arbitrary<BadCall>[] = [
    call("createParameters(seed)", "createParameters", badSeed, (s) => m.createParameters(as(s))),
    call("predict(params)", "predict", wrongArray(V), (p) => m.predict(as(p), fresh().x)),
    call("predict(x)", "predict", wrongArray(I), (x) => m.predict(base, as(x))),
    call(
      "predict(out)",
      "predict",
      wrongArray(O).filter((v) => v !== undefined),
      (o) => m.predict(base, fresh().x, as(o)),
    ),
    call("predictor(x)", "predict", wrongArray(I), (x) => m.createPredictor!(base)(as(x))),
    call("createPredictor(params)", "createPredictor", wrongArray(V), (p) => m.createPredictor!(as(p))),
    call("preprocess(count)", "preprocess", badCount(n, true), (c) => m.preprocess(base, fresh().xs, as(c))),
    call("preprocess(xs)", "preprocess", wrongArray(n * I), (xs) => m.preprocess(base, as(xs), n)),
    call("evaluate(count)", "evaluate", badCount(n, false), (c) => m.evaluate(base, fresh().xs, fresh().ys, as(c))),
    call("evaluate(ys)", "evaluate", wrongArray(n * O), (ys) => m.evaluate(base, fresh().xs, as(ys), n)),
    call("lossAndGradient(count)", "lossAndGradient", badCount(n, false), (c) => {
      const a = fresh();
      return m.lossAndGradient(a.params, a.xs, a.ys, as(c), a.grad);
    }),
    call("lossAndGradient(grad)", "lossAndGradient", wrongArray(P), (g) => {
      const a = fresh();
      return m.lossAndGradient(a.params, a.xs, a.ys, n, as(g));
    }),
    call("lossAndGradient(xs)", "lossAndGradient", wrongArray(n * I), (xs) => {
      const a = fresh();
      return m.lossAndGradient(a.params, as(xs), a.ys, n, a.grad);
    }),
    call("lossAndGradient(options.dropoutSeed)", "lossAndGradient", badSeed, (s) => {
      const a = fresh();
      return m.lossAndGradient(a.params, a.xs, a.ys, n, a.grad, { training: true, dropoutSeed: as(s) });
    }),
    call("step(grad)", "step", wrongArray(P), (g) => m.step(fresh().params, as(g), m.createOptimizer(), 0)),
    call("step(epoch)", "step", badWhole(0), (e) => m.step(fresh().params, fresh().grad, m.createOptimizer(), as(e))),
    call("learningRate(epoch)", "learningRate", badWhole(0), (e) => m.learningRate(as(e))),
    call("train(count)", "train", badCount(n, false), (c) => {
      const a = fresh();
      return m.train(a.params, a.xs, a.ys, as(c), { epochs: 1 });
    }),
    call("train(options.epochs)", "train", badWhole(0), (e) => trainCall("train")({ epochs: e })),
    call("train(options.evaluateEvery)", "train", badWhole(1), (e) => trainCall("train")({ epochs: 1, evaluateEvery: e })),
    call("train(options.startEpoch)", "train", badWhole(0), (e) => trainCall("train")({ epochs: 1, startEpoch: e })),
    call("train(options.test.count)", "train", badCount(n, false), (c) =>
      trainCall("train")({ epochs: 1, test: { xs: fresh().xs, ys: fresh().ys, count: c } }),
    ),
    call("trainAsync(options.epochs)", "trainAsync", badWhole(0), (e) => trainCall("trainAsync")({ epochs: e })),
    call("saveWeights(params)", "saveWeights", wrongArray(V), (p) => m.saveWeights(as(p))),
  ];
  if (m.classify !== undefined) calls.push(call("classify(x)", "classify", wrongArray(I), (x) => m.classify!(base, as(x))));
  return fc.oneof(...calls);
}

function describe(v: unknown): string {
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length})`;
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** Throws (failing the property) unless the call threw a TypeError or RangeError naming its function. */
export async function checkBadCall(call: BadCall): Promise<void> {
  let thrown: unknown = null;
  let returned: unknown;
  try {
    returned = call.run();
    if (returned instanceof Promise) returned = await returned;
  } catch (e) {
    thrown = e;
  }
  const shown = (v: unknown): string => (Array.isArray(v) || ArrayBuffer.isView(v) ? describe(v).slice(0, 200) : String(v).slice(0, 200));
  if (thrown === null) throw new Error(`${call.label}: accepted, returned ${shown(returned)}`);
  if (!(thrown instanceof TypeError) && !(thrown instanceof RangeError))
    throw new Error(`${call.label}: threw ${String(thrown)}, expected a TypeError or RangeError`);
  const prefix = call.fn === "predict" ? /^(predict|predictor): / : new RegExp(`^${call.fn}: `);
  if (!prefix.test(thrown.message)) throw new Error(`${call.label}: the message ${JSON.stringify(thrown.message)} does not start with ${call.fn}:`);
}

// ---- hostile weights ----------------------------------------------------------------------------------------

export interface WeightsCase {
  label: string;
  /** The document, as JSON text (so `__proto__` keys are own keys, as JSON.parse makes them). */
  text: string;
  /** True when the change cannot leave a loadable document. */
  mustRefuse: boolean;
}

const junk = fc.oneof(
  fc.constantFrom<unknown>(null, true, "", "x", 0, -1, "Infinity", [], {}, [null], [[1]], { name: 1 }, { kind: "zero_mean" }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Hostile documents built from `m`'s own saveWeights document. */
export function hostileWeights(m: GeneratedModule): fc.Arbitrary<WeightsCase> {
  const good = m.saveWeights(m.createParameters(2)) as unknown as Record<string, unknown> & WeightsJson;
  const text = (doc: unknown): string => JSON.stringify(doc);
  const edit = (label: string, mustRefuse: boolean, change: (doc: Record<string, unknown> & WeightsJson) => unknown): WeightsCase => {
    const doc = structuredClone(good);
    const result = change(doc);
    const changed = text(result === undefined ? doc : result);
    // A change that happens to leave the document as it was (an offset of 0 set to 0) may load.
    return { label, text: changed, mustRefuse: mustRefuse && changed !== text(good) };
  };
  const keys = Object.keys(good);
  const required = ["format", "version", "model", "layout", "values"];
  const cases: fc.Arbitrary<WeightsCase>[] = [
    fc.constantFrom(...required).map((k) => edit(`without ${k}`, true, (d) => void delete d[k])),
    fc
      .tuple(fc.constantFrom(...keys), junk)
      .map(([k, v]) => edit(`${k} = ${describe(v)}`, required.includes(k) || (k === "normalization" && m.meta.preprocessing.size > 0), (d) => void (d[k] = v))),
    fc
      .constantFrom<unknown>(2, 0, "1", null, 1.5)
      .map((v) => edit(`version ${describe(v)}`, true, (d) => void ((d as Record<string, unknown>)["version"] = v))),
    fc
      .integer({ min: 0, max: 20 })
      .map((k) => edit(`values one ${k % 2 === 0 ? "short" : "long"}`, true, (d) => void (k % 2 === 0 ? d.values.pop() : d.values.push(0)))),
    fc
      .tuple(fc.nat(), fc.constantFrom<unknown>(null, "1", NaN, Infinity, -Infinity, [], {}, true))
      .map(([i, v]) => edit(`values[${i % good.values.length}] = ${describe(v)}`, true, (d) => void ((d.values as unknown[])[i % good.values.length] = v))),
    fc
      .tuple(fc.nat(), junk)
      .map(([i, v]) => edit(`layout[${i % good.layout.length}] = ${describe(v)}`, true, (d) => void ((d.layout as unknown[])[i % good.layout.length] = v))),
    fc
      .tuple(fc.nat(), fc.constantFrom("name", "offset", "shape"), junk)
      .map(([i, k, v]) =>
        edit(
          `layout[${i % good.layout.length}].${k} = ${describe(v)}`,
          true,
          (d) => void ((d.layout[i % good.layout.length] as unknown as Record<string, unknown>)[k] = v),
        ),
      ),
    // Reordered entries name the same tensors at the same offsets: loading them is right, crashing is not.
    fc.constant(edit("layout reversed", false, (d) => void d.layout.reverse())),
    fc.constant(edit("an extra layout entry", true, (d) => void d.layout.push({ name: "layer9.weight", offset: 0, shape: [1], size: 1 }))),
    fc.constant(edit("a __proto__ layout entry", true, (d) => void d.layout.push({ name: "__proto__", offset: 0, shape: [1], size: 1 }))),
    fc.constantFrom("other", "", "__proto__", "constructor").map((name) => edit(`model ${JSON.stringify(name)}`, true, (d) => void (d.model = name))),
    fc.constant({
      label: "__proto__ holding the format",
      text: text({ ...good, format: undefined }).replace('{"version"', '{"__proto__":{"format":"nnc-weights"},"version"'),
      mustRefuse: true,
    }),
    fc
      .constantFrom<unknown>(null, [], "weights", 1, true, [good])
      .map((doc) => ({ label: `the document is ${describe(doc).slice(0, 40)}`, text: text(doc), mustRefuse: true })),
  ];
  if (m.meta.preprocessing.size > 0) {
    cases.push(
      fc
        .tuple(fc.constantFrom("offset", "scale"), junk)
        .map(([k, v]) => edit(`normalization.${k} = ${describe(v)}`, true, (d) => void ((d.normalization as unknown as Record<string, unknown>)[k] = v))),
      fc.constant(edit("normalization.scale holds a 0", true, (d) => void (d.normalization.scale[0] = 0))),
    );
  }
  return fc.oneof(...cases);
}

/** Throws unless loadWeights refused the document with a `weights:` Error, or loaded exactly its values where it may be valid. */
export function checkWeights(m: GeneratedModule, c: WeightsCase): void {
  const doc: unknown = JSON.parse(c.text);
  let params: Vector | undefined;
  try {
    params = m.loadWeights(doc);
  } catch (e) {
    if (!(e instanceof Error) || !e.message.startsWith("weights: ")) throw new Error(`${c.label}: not a clear refusal: ${String(e)}`);
    return;
  }
  if (c.mustRefuse) throw new Error(`${c.label}: accepted`);
  // Accepted: then it is the document's values, all finite, and the vector has the module's length.
  const w = doc as WeightsJson;
  if (params.length !== m.createParameters().length) throw new Error(`${c.label}: accepted with ${params.length} values`);
  const f32 = m.meta.precision === "f32";
  for (let i = 0; i < m.meta.parameters; i++) {
    const expected = f32 ? Math.fround(w.values[i]!) : w.values[i]!;
    if (params[i] !== expected) throw new Error(`${c.label}: accepted, but value ${i} is ${params[i]} where the document has ${w.values[i]}`);
  }
}

// ---- escapes in spec strings ------------------------------------------------------------------------------

export interface EscapeCase {
  source: string;
  /** 1-based column of each unknown escape's backslash on the data line (line 4). */
  unknown: number[];
  /** The path's value, when every escape is known. */
  value: string;
}

const escapePiece = fc.oneof(
  fc.constantFrom("\\\\", '\\"').map((raw) => ({ raw, value: raw.charAt(1), unknown: false })),
  fc
    .oneof(fc.constantFrom(..."ntr0xuabdfv/'. `é€", "😀"), fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }))
    .filter((c) => c !== "\\" && c !== '"')
    .map((c) => ({ raw: `\\${c}`, value: c, unknown: true })),
  fc
    .string({ unit: "grapheme-ascii", minLength: 1, maxLength: 4 })
    .filter((s) => !/[\\"\r\n]/.test(s))
    .map((raw) => ({ raw, value: raw, unknown: false })),
);

/** A spec whose data path is a string of random plain text, known and unknown escapes. */
export const escapeCases: fc.Arbitrary<EscapeCase> = fc.array(escapePiece, { minLength: 1, maxLength: 12 }).map((pieces) => {
  const head = 'layer fc 2->1 sigmoid\nloss mse\nsgd lr=0.1\ndata csv "';
  let column = 'data csv "'.length + 1;
  const unknown: number[] = [];
  for (const p of pieces) {
    if (p.unknown) unknown.push(column);
    column += p.raw.length;
  }
  return { source: `${head}${pieces.map((p) => p.raw).join("")}" label=y\n`, unknown, value: pieces.map((p) => p.value).join("") };
});

/** Throws unless each unknown escape is NN018 at its backslash (line 4), and a spec without one reads the unescaped path. */
export function checkEscapes(c: EscapeCase): void {
  const { spec, diagnostics } = parseSpec(c.source, "escapes.nn");
  const at = diagnostics.filter((d) => d.code === "NN018").map((d) => `${d.range.startLine}:${d.range.startColumn}`);
  const expected = c.unknown.map((col) => `4:${col}`);
  if (at.join(",") !== expected.join(",")) throw new Error(`NN018 at [${at.join(", ")}], expected [${expected.join(", ")}] in ${JSON.stringify(c.source)}`);
  if (c.unknown.length > 0 && spec !== null) throw new Error(`accepted with unknown escapes: ${JSON.stringify(c.source)}`);
  if (c.unknown.length === 0) {
    const path = spec?.data?.train && "path" in spec.data.train ? spec.data.train.path : undefined;
    if (path !== c.value) throw new Error(`path ${JSON.stringify(path)}, expected ${JSON.stringify(c.value)} in ${JSON.stringify(c.source)}`);
  }
}
