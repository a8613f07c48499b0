// Every exported function of a generated module checks its arguments once per call (issue 21): a wrong
// length, count, seed, epoch or option throws a TypeError or RangeError naming the function, the argument
// and what was expected — it used to return NaN or finite garbage, hang (epochs: Infinity), or, in a wasm
// module, read the previous call's inputs from kernel memory. Good calls still agree with the reference
// interpreter. Specs: dense f64 with normalisation and classes (gender), f32 wasm kernels (the bench's W4),
// conv + adam (letters-cnn), a regression (square), and dropout + adam + stop early (written here).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSpec } from "../../src/front/index.js";
import { buildAndLoad } from "../../src/harness/load.js";
import { interpret } from "../../src/interpreter/index.js";
import type { Spec } from "../../src/ir.js";
import type { GeneratedModule, OptimizerState, TrainOptions, Vector } from "../../src/module-api.js";
import { compareModules, formatMismatches } from "../support/differential.js";

const EARLY = `model early_dropout
layer fc 3->4 relu
layer dropout p=0.5
layer fc 4->2 softmax
loss crossentropy
adam lr=0.01 epochs=4 batch=2 shuffle
split 0.25
stop early patience=2
${Array.from({ length: 8 }, (_, i) => `row ${i % 3}, ${(i * 7) % 5}, ${i % 2} -> ${i % 2}`).join("\n")}
`;

function specOf(source: string, fileName: string): Spec {
  const { spec, diagnostics } = parseSpec(source, fileName);
  if (spec === null) throw new Error(diagnostics.map((d) => d.message).join("\n"));
  return spec;
}

const specs: [label: string, spec: () => Spec][] = [
  ["gender (dense f64, normalised, classes)", () => specOf(readFileSync("specs/gender.nn", "utf8"), "gender.nn")],
  ["w4-letters (f32, wasm kernels)", () => specOf(readFileSync("bench/specs/w4-letters.nn", "utf8"), "w4-letters.nn")],
  ["letters-cnn (conv, adam)", () => specOf(readFileSync("specs/letters-cnn.nn", "utf8"), "letters-cnn.nn")],
  ["square (regression)", () => specOf(readFileSync("specs/square.nn", "utf8"), "square.nn")],
  ["dropout, adam, stop early", () => specOf(EARLY, "early.nn")],
];

/** A bad call: what it is, the call, the error class and a pattern its message must match. */
type Case = [label: string, call: () => unknown, error: typeof TypeError | typeof RangeError, message: RegExp];

function cases(m: GeneratedModule): Case[] {
  const { inputs: I, outputs: O, parameters: P } = m.meta;
  const A = m.meta.precision === "f32" ? Float32Array : Float64Array;
  const params = m.createParameters(3);
  const V = params.length;
  const n = 3;
  const xs = new A(n * I).map((_, i) => (i % 5) / 5);
  const ys = new A(n * O).map((_, i) => (i % O === 0 ? 1 : 0));
  const grad = new A(P);
  const x = xs.subarray(0, I);
  const state = m.createOptimizer();
  const short = (a: Vector): Vector => a.subarray(0, a.length - 1);
  const train = (options: TrainOptions | unknown) => () => m.train(params.slice(), xs, ys, n, options as TrainOptions);
  const list: Case[] = [
    ["createParameters(2^32)", () => m.createParameters(2 ** 32), RangeError, /createParameters: seed is 4294967296, expected an integer from 0 to 4294967295/],
    ["createParameters(-1)", () => m.createParameters(-1), RangeError, /seed is -1/],
    ["createParameters(NaN)", () => m.createParameters(NaN), RangeError, /seed is NaN/],
    ["createParameters(1.5)", () => m.createParameters(1.5), RangeError, /seed is 1.5/],
    ["createParameters('7')", () => m.createParameters("7" as unknown as number), TypeError, /seed is the string "7"/],
    // The PRNG itself (pasted from src/prng.ts): its seed is 32-bit too, so 2^32 no longer aliases 0.
    ["createRng(2^32)", () => m.createRng(2 ** 32), RangeError, /createRng: seed is 4294967296, expected an integer from 0 to 4294967295/],
    ["createRng(-1)", () => m.createRng(-1), RangeError, /createRng: seed is -1/],
    ["createRng(NaN)", () => m.createRng(NaN), RangeError, /createRng: seed is NaN/],
    ["createRng(1.5)", () => m.createRng(1.5), RangeError, /createRng: seed is 1.5/],
    ["createRng('7')", () => m.createRng("7" as unknown as number), TypeError, /createRng: seed is a string/],
    [
      "predict: x one short",
      () => m.predict(params, short(x)),
      RangeError,
      new RegExp(`predict: x has ${I - 1} value\\(s\\), expected ${I} \\(the spec's inputs\\)`),
    ],
    ["predict: params one short", () => m.predict(short(params), x), RangeError, new RegExp(`predict: params has ${V - 1} value\\(s\\), expected ${V}`)],
    ["predict: out too small", () => m.predict(params, x, new A(O - 1)), RangeError, /predict: out has/],
    [
      "predict: x a plain array",
      () => m.predict(params, Array.from(x) as unknown as Vector),
      TypeError,
      /predict: x is an array, expected a Float(32|64)Array/,
    ],
    ["predict: x null", () => m.predict(params, null as unknown as Vector), TypeError, /predict: x is null/],
    ["preprocess: count 2.5", () => m.preprocess(params, xs, 2.5), RangeError, /preprocess: count is 2.5/],
    ["preprocess: count > rows", () => m.preprocess(params, xs, n + 1), RangeError, /preprocess: xs has/],
    ["preprocess: out too small", () => m.preprocess(params, xs, n, new A(n * I - 1)), RangeError, /preprocess: out has/],
    ["evaluate: count 0", () => m.evaluate(params, xs, ys, 0), RangeError, /evaluate: count is 0, expected an integer from 1/],
    ["evaluate: count NaN", () => m.evaluate(params, xs, ys, NaN), RangeError, /evaluate: count is NaN/],
    ["evaluate: count -1", () => m.evaluate(params, xs, ys, -1), RangeError, /evaluate: count is -1/],
    ["evaluate: count larger than the arrays", () => m.evaluate(params, xs, ys, n + 1), RangeError, /evaluate: xs has/],
    ["evaluate: ys one short", () => m.evaluate(params, xs, short(ys), n), RangeError, /evaluate: ys has/],
    [
      "lossAndGradient: grad one short",
      () => m.lossAndGradient(params, xs, ys, n, short(grad)),
      RangeError,
      new RegExp(`lossAndGradient: grad has ${P - 1} value\\(s\\), expected ${P}`),
    ],
    ["lossAndGradient: count 2.5", () => m.lossAndGradient(params, xs, ys, 2.5, grad), RangeError, /lossAndGradient: count is 2.5/],
    ["lossAndGradient: count Infinity", () => m.lossAndGradient(params, xs, ys, Infinity, grad), RangeError, /count is Infinity/],
    ["lossAndGradient: params one short", () => m.lossAndGradient(params.subarray(0, P - 1), xs, ys, n, grad), RangeError, /lossAndGradient: params has/],
    [
      "lossAndGradient: dropoutSeed -1",
      () => m.lossAndGradient(params, xs, ys, n, grad, { training: true, dropoutSeed: -1 }),
      RangeError,
      /options.dropoutSeed is -1/,
    ],
    [
      "lossAndGradient: dropoutSeed 2^32",
      () => m.lossAndGradient(params, xs, ys, n, grad, { dropoutSeed: 2 ** 32 }),
      RangeError,
      /options.dropoutSeed is 4294967296/,
    ],
    [
      "lossAndGradient: inputGradient one short",
      () => m.lossAndGradient(params, xs, ys, n, grad, { inputGradient: new A(n * I - 1) }),
      RangeError,
      /options.inputGradient has/,
    ],
    [
      "lossAndGradient: options a number",
      () => m.lossAndGradient(params, xs, ys, n, grad, 3 as unknown as undefined),
      TypeError,
      /lossAndGradient: options is 3, expected an object/,
    ],
    ["step: grad one short", () => m.step(params, short(grad), state, 0), RangeError, /step: grad has/],
    ["step: epoch -1", () => m.step(params, grad, state, -1), RangeError, /step: epoch is -1/],
    ["step: state without t", () => m.step(params, grad, { slots: state.slots } as unknown as OptimizerState, 0), TypeError, /step: state.t is undefined/],
    ["step: state null", () => m.step(params, grad, null as unknown as OptimizerState, 0), TypeError, /step: state is null/],
    ["learningRate(NaN)", () => m.learningRate(NaN), RangeError, /learningRate: epoch is NaN/],
    ["train: epochs Infinity", train({ epochs: Infinity }), RangeError, /train: options.epochs is Infinity, expected an integer from 0 to 1000000000/],
    ["train: epochs NaN", train({ epochs: NaN }), RangeError, /train: options.epochs is NaN/],
    ["train: epochs 1e300", train({ epochs: 1e300 }), RangeError, /options.epochs is 1e\+300/],
    ["train: evaluateEvery 0", train({ evaluateEvery: 0 }), RangeError, /options.evaluateEvery is 0/],
    ["train: startEpoch 0.5", train({ startEpoch: 0.5 }), RangeError, /options.startEpoch is 0.5/],
    ["train: count larger than the arrays", () => m.train(params.slice(), xs, ys, n + 1), RangeError, /train: xs has/],
    ["train: count 0", () => m.train(params.slice(), xs, ys, 0), RangeError, /train: count is 0/],
    ["train: test set shorter than its count", train({ test: { xs, ys, count: n + 1 } }), RangeError, /train: options.test.xs has/],
    ["train: onEpoch not a function", train({ onEpoch: 3 }), TypeError, /train: options.onEpoch is 3, expected a function/],
    ["train: options null", train(null), TypeError, /train: options is null/],
    ["saveWeights: params one short", () => m.saveWeights(short(params)), RangeError, /saveWeights: params has/],
    ["createPredictor: params one short", () => m.createPredictor!(short(params)), RangeError, /createPredictor: params has/],
    ["a predictor: x one short", () => m.createPredictor!(params)(short(x)), RangeError, /(predict|predictor): x has/],
    ["a predictor: out too small", () => m.createPredictor!(params)(x, new A(O - 1)), RangeError, /(predict|predictor): out has/],
  ];
  if (m.classify !== undefined) list.push(["classify: x one short", () => m.classify!(params, short(x)), RangeError, /classify: x has/]);
  if (m.evaluateInputs !== undefined)
    list.push(["evaluateInputs: count 2.5", () => m.evaluateInputs!(params, xs, ys, 2.5), RangeError, /evaluateInputs: count is 2.5/]);
  if (m.meta.preprocessing.size > 0)
    list.push(["fitPreprocessing: count 0", () => m.fitPreprocessing(params.slice(), xs, 0), RangeError, /fitPreprocessing: count is 0/]);
  if (state.slots["m"] !== undefined) {
    const bad = { t: 0, slots: { ...state.slots, m: new A(P - 1) } };
    list.push(["step: a slot one short", () => m.step(params, grad, bad, 0), RangeError, /step: state.slots.m has/]);
    list.push(["train: options.optimizer slot one short", train({ optimizer: bad }), RangeError, /train: options.optimizer.slots.m has/]);
  }
  const trainAsync = (m as unknown as { trainAsync: (...a: unknown[]) => Promise<unknown> }).trainAsync;
  list.push([
    "trainAsync: yieldEveryMs NaN",
    () => trainAsync(params.slice(), xs, ys, n, { yieldEveryMs: NaN }),
    RangeError,
    /trainAsync: options.yieldEveryMs is NaN/,
  ]);
  list.push([
    "trainAsync: epochs Infinity",
    () => trainAsync(params.slice(), xs, ys, n, { epochs: Infinity }),
    RangeError,
    /trainAsync: options.epochs is Infinity/,
  ]);
  if (/earlyStopping/.test(String(m.train))) {
    const early = { bestEpoch: -1, bestValue: 0, waited: 0, best: new A(P - 1) };
    list.push(["train: earlyStopping.best one short", train({ earlyStopping: early }), RangeError, /options.earlyStopping.best has/]);
  }
  return list;
}

describe.each(specs)("argument checks: %s", (_label, make) => {
  it("every bad argument throws the right error class, naming the function and the argument", async () => {
    const m = await buildAndLoad(make());
    const failures: string[] = [];
    for (const [label, call, error, message] of cases(m)) {
      let thrown: unknown = null;
      try {
        const result = call();
        // trainAsync rejects rather than throws: an async function's checks still run before any await.
        if (result instanceof Promise) await result;
      } catch (e) {
        thrown = e;
      }
      if (!(thrown instanceof error)) failures.push(`${label}: expected a ${error.name}, got ${thrown === null ? "no error" : String(thrown)}`);
      else if (!message.test(thrown.message)) failures.push(`${label}: message ${JSON.stringify(thrown.message)} does not match ${message}`);
    }
    expect(failures).toEqual([]);
  });

  it("good calls still agree with the reference interpreter", async () => {
    const spec = make();
    const m = await buildAndLoad(spec);
    expect(formatMismatches(compareModules(m, interpret(spec), spec, { samples: 3, trainSamples: 8, epochs: 2 }))).toBe("");
  });

  it("a refused call leaves nothing behind: two identical calls around it give identical answers", async () => {
    const m = await buildAndLoad(make());
    const A = m.meta.precision === "f32" ? Float32Array : Float64Array;
    const params = m.createParameters(5);
    const x = new A(m.meta.inputs).map((_, i) => ((i * 3) % 7) / 7);
    const other = new A(m.meta.inputs).map((_, i) => ((i * 5) % 11) / 11);
    const predictor = m.createPredictor!(params);
    // The wasm predictor and the TS predict round differently in f32: each is compared with itself.
    const first = Array.from(predictor(x));
    const firstPredict = Array.from(m.predict(params, x));
    predictor(other);
    m.predict(params, other);
    // A one-short x used to be completed from the last call's inputs in the wasm kernels' memory.
    expect(() => predictor(x.subarray(0, m.meta.inputs - 1))).toThrow(RangeError);
    expect(() => m.predict(params, x.subarray(0, m.meta.inputs - 1))).toThrow(RangeError);
    expect(Array.from(predictor(x))).toEqual(first);
    expect(Array.from(m.predict(params, x))).toEqual(firstPredict);
  });
});
