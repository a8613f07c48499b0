// trainParallel (issue 16, "both cores"): the parameters are the same bytes whatever the number of threads
// (the caller alone, with 1 worker, with 2; with 3 on the f32 net) on an f64 dense net, an f32 net on the WebAssembly kernels, a conv net and a dropout net; in f64
// they equal, bit for bit, the reference interpreter driven through the same slices, and the plain
// interpreter's train() within a stated tolerance (the slices reassociate the batch sum, nothing else);
// the workers' errors and the argument checks name what is wrong.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Worker } from "node:worker_threads";
import { parseSpec } from "../../src/front/index.js";
import type { Spec } from "../../src/ir.js";
import { interpret } from "../../src/interpreter/index.js";
import type { GeneratedModule, MessageEndpoint, Vector } from "../../src/module-api.js";
import { dense, dropout, makeSpec } from "../codegen/specs.js";
import { bytesOf, data, load, slicedTraining, startWorkers, stopWorkers, type Loaded } from "./support.js";

type Parallel = Required<Pick<GeneratedModule, "trainParallel">> & GeneratedModule;

/** 1→12 tanh→1, mse, momentum, batch 64 over 230 samples: 2 slices of 32, and a last batch of 38 (slices of 32 and 6). */
const denseSpec = (): Spec =>
  makeSpec(
    "par_dense",
    [dense(1, 12, "tanh"), dense(12, 1, "linear")],
    "mse",
    { kind: "momentum", beta: 0.9, nesterov: false },
    {
      batchSize: 64,
      learningRate: 0.05,
      epochs: 3,
    },
  );

function convSpec(): Spec {
  const source = [
    "model par_conv",
    "input 1x8x8",
    "layer conv 3 relu kernel=3",
    "layer maxpool 2",
    "layer fc 27->4 softmax",
    "loss crossentropy",
    "init xavier seed=3",
    "sgd lr=0.1 epochs=2 batch=96 shuffle",
  ].join("\n");
  const { spec, diagnostics } = parseSpec(source, "par_conv.nn");
  if (spec === null) throw new Error(diagnostics.map((d) => d.message).join("\n"));
  return spec;
}

/** Trains from the module's initial parameters through trainParallel with each worker count; returns the parameter vectors. */
async function trainEach(l: Loaded, pool: Worker[], counts: number[], xs: Vector, ys: Vector, count: number, epochs?: number): Promise<Vector[]> {
  const m = l.m as Parallel;
  const out: Vector[] = [];
  for (const n of counts) {
    const params = m.createParameters();
    const report = await m.trainParallel(params, xs, ys, count, pool.slice(0, n), epochs === undefined ? {} : { epochs });
    expect(report.stoppedBy).toBe("epochs");
    out.push(params);
  }
  return out;
}

let pool: Worker[] = [];
const loaded = new Map<string, Loaded>();

/** One pool of 3 workers per module: loaded once, reused by every test of that module (each run releases them). */
async function setUp(key: string, spec: Spec, options = {}): Promise<Loaded> {
  const l = await load(spec, options);
  loaded.set(key, l);
  return l;
}

describe("trainParallel", () => {
  let workersOf: Map<string, Worker[]>;
  beforeAll(async () => {
    workersOf = new Map();
    const specs: [string, Spec, object][] = [
      ["dense", denseSpec(), {}],
      [
        "f32",
        {
          ...makeSpec(
            "par_f32",
            [dense(40, 16, "sigmoid"), dense(16, 10, "sigmoid")],
            "binary_crossentropy",
            { kind: "sgd" },
            { batchSize: 256, learningRate: 1, epochs: 2 },
          ),
          precision: "f32" as const,
        },
        { batchShape: "blocked", kernel: "wasm" },
      ],
      ["conv", convSpec(), {}],
      [
        "dropout",
        makeSpec(
          "par_dropout",
          [dense(6, 16, "relu"), dropout(16, 0.3), dense(16, 3, "softmax")],
          "categorical_crossentropy",
          { kind: "sgd" },
          { batchSize: 64, epochs: 2 },
        ),
        {},
      ],
    ];
    for (const [key, spec, options] of specs) {
      const l = await setUp(key, spec, options);
      workersOf.set(key, startWorkers(l.url, 3));
    }
    pool = [...workersOf.values()].flat();
  });
  afterAll(async () => {
    await stopWorkers(pool);
  });

  it("an f64 dense net: the same bytes for 1, 2 and 3 threads (the caller and 0–2 workers), equal bit for bit to the interpreter through the same slices", async () => {
    const l = loaded.get("dense")!;
    const spec = denseSpec();
    const count = 230;
    const { xs, ys } = data(spec, count, false);
    const m = l.m as Parallel & { PARALLEL_SLICE: number };
    expect(m.PARALLEL_SLICE).toBe(32);
    const [one, two, three] = await trainEach(l, workersOf.get("dense")!, [0, 1, 2], xs, ys, count);
    expect(bytesOf(two!).equals(bytesOf(one!))).toBe(true);
    expect(bytesOf(three!).equals(bytesOf(one!))).toBe(true);
    // The oracle: the float64 interpreter, driven through the same slices and the same combination.
    const oracle = interpret(spec);
    const sliced = oracle.createParameters();
    slicedTraining(oracle, spec, sliced, xs, ys, count, m.PARALLEL_SLICE, spec.training.epochs);
    expect(bytesOf(one!).equals(bytesOf(sliced))).toBe(true);
    // And the interpreter's own train(): the slices reassociate each batch's sum, so agreement within rounding.
    const plain = oracle.createParameters();
    oracle.train(plain, xs, ys, count);
    let worst = 0;
    for (let i = 0; i < plain.length; i++) worst = Math.max(worst, Math.abs(one![i]! - plain[i]!) / Math.max(1, Math.abs(plain[i]!)));
    expect(worst).toBeLessThan(1e-12);
    expect(worst).toBeGreaterThan(0); // reassociated: not the same bits as the unsliced run (else this test proves less than it says)
  });

  it("an f32 net on the WebAssembly kernels: the same bytes for 1 to 4 threads, close to train()", async () => {
    const l = loaded.get("f32")!;
    expect(l.text).toContain("WebAssembly.Module");
    const spec = { ...makeSpec("par_f32", [dense(40, 16, "sigmoid"), dense(16, 10, "sigmoid")], "binary_crossentropy"), precision: "f32" as const };
    const count = 1000;
    const { xs, ys } = data(spec, count, true);
    const [one, two, three, four] = await trainEach(l, workersOf.get("f32")!, [0, 1, 2, 3], xs, ys, count);
    expect(one).toBeInstanceOf(Float32Array);
    expect(bytesOf(two!).equals(bytesOf(one!))).toBe(true);
    expect(bytesOf(three!).equals(bytesOf(one!))).toBe(true);
    expect(bytesOf(four!).equals(bytesOf(one!))).toBe(true);
    const plain = l.m.createParameters();
    l.m.train(plain, xs, ys, count);
    let worst = 0;
    for (let i = 0; i < plain.length; i++) worst = Math.max(worst, Math.abs(one![i]! - plain[i]!));
    expect(worst).toBeLessThan(1e-4);
  });

  it("a conv net and a dropout net (masks seeded per slice): the same bytes for 1, 2 and 3 threads", async () => {
    for (const [key, spec, count] of [
      ["conv", convSpec(), 400],
      ["dropout", makeSpec("par_dropout", [dense(6, 16, "relu"), dropout(16, 0.3), dense(16, 3, "softmax")], "categorical_crossentropy"), 300],
    ] as const) {
      const l = loaded.get(key)!;
      const { xs, ys } = data(spec, count, false);
      const [one, two, three] = await trainEach(l, workersOf.get(key)!, [0, 1, 2], xs, ys, count);
      expect(bytesOf(two!).equals(bytesOf(one!)), key).toBe(true);
      expect(bytesOf(three!).equals(bytesOf(one!)), key).toBe(true);
      // It trained: the parameters moved from their start.
      expect(bytesOf(one!).equals(bytesOf(l.m.createParameters())), key).toBe(false);
    }
  });

  it("createParallelGradient: one batch's gradient equals lossAndGradient's within rounding, and its checks name the argument", async () => {
    const l = loaded.get("dense")!;
    const m = l.m as GeneratedModule & {
      createParallelGradient(
        xs: Vector,
        ys: Vector,
        count: number,
        workers: readonly MessageEndpoint[],
      ): Promise<{
        order: Int32Array;
        lossAndGradient(params: Vector, first: number, n: number, grad: Vector): Promise<number>;
        close(): Promise<void>;
      }>;
    };
    const spec = denseSpec();
    const { xs, ys } = data(spec, 120, false);
    const gang = await m.createParallelGradient(xs, ys, 120, workersOf.get("dense")!.slice(0, 2));
    for (let i = 0; i < 120; i++) gang.order[i] = 119 - i;
    const params = m.createParameters();
    const grad = new Float64Array(m.meta.parameters);
    const loss = await gang.lossAndGradient(params, 10, 50, grad);
    const bx = new Float64Array(50);
    const by = new Float64Array(50);
    for (let s = 0; s < 50; s++) {
      bx[s] = xs[109 - s]!;
      by[s] = ys[109 - s]!;
    }
    const want = new Float64Array(m.meta.parameters);
    const wantLoss = m.lossAndGradient(params, bx, by, 50, want);
    expect(Math.abs(loss - wantLoss)).toBeLessThan(1e-14);
    for (let i = 0; i < want.length; i++) expect(Math.abs(grad[i]! - want[i]!)).toBeLessThan(1e-14);
    await expect(gang.lossAndGradient(params, 100, 50, grad)).rejects.toThrow(/ParallelGradient.lossAndGradient: n is 50, expected an integer from 1 to 20/);
    await expect(gang.lossAndGradient(params, 0, 5, new Float64Array(3))).rejects.toThrow(RangeError);
    await gang.close();
    await expect(gang.lossAndGradient(params, 0, 5, grad)).rejects.toThrow(/called after close/);
  });

  it("bad workers are a TypeError or RangeError naming the argument; a worker of another module is refused by name", async () => {
    const l = loaded.get("dense")!;
    const m = l.m as Parallel;
    const spec = denseSpec();
    const { xs, ys } = data(spec, 100, false);
    const params = m.createParameters();
    const w = workersOf.get("dense")!;
    await expect(m.trainParallel(params, xs, ys, 100, "two" as never)).rejects.toThrow(
      /trainParallel: workers is the string "two", expected an array of workers/,
    );
    await expect(m.trainParallel(params, xs, ys, 100, [{} as MessageEndpoint])).rejects.toThrow(
      /trainParallel: workers\[0\] is a Object, expected a worker or port/,
    );
    await expect(m.trainParallel(params, xs, ys, 100, [w[0]!, w[0]!])).rejects.toThrow(/workers\[1\] is workers\[0\] again/);
    await expect(m.trainParallel(params, xs, ys, 100, w, { epochs: 1.5 })).rejects.toThrow(/options.epochs is 1.5/);
    // A worker serving the conv module: refused, naming the worker and both modules; the others are released.
    const mixed = [w[0]!, workersOf.get("conv")![0]!];
    await expect(m.trainParallel(params, xs, ys, 100, mixed, { epochs: 1 })).rejects.toThrow(/workers\[1\]: this worker serves the module of par_conv/);
    // Every worker is free again: a run on all three still works.
    const report = await m.trainParallel(params, xs, ys, 100, w, { epochs: 1 });
    expect(report.epochs).toBe(1);
  });
});
