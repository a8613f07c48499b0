// The benchmark's peers must train the same net from the same init over the same batches, or their
// throughput ratios mean nothing. Each peer runs a few SGD steps of every workload's net and its parameters
// and loss are compared with an independent float64 oracle written here (per-sample backprop through the
// full activation Jacobians, no fused loss gradients), itself checked against central differences.
import { afterAll, describe, expect, it } from "vitest";
import type { Contestant } from "../../bench/contestant.js";
import { type Dataset, planarData, randomClassData, squareData, genderData } from "../../bench/data.js";
import { GenericJsContestant } from "../../bench/contestants/generic-js.js";
import { InterpreterContestant, NncContestant } from "../../bench/contestants/module.js";
import { OnnxRuntimeContestant } from "../../bench/contestants/onnxruntime.js";
import { TfjsContestant } from "../../bench/contestants/tfjs.js";
import { findTorchPython, TorchContestant } from "../../bench/contestants/torch.js";
import { type BenchActivation, layerOffsets, type NetShape } from "../../bench/net.js";
import { type BenchCase, benchCase, evaluationSet, initialParameters, workloadById } from "../../bench/workloads.js";

// ---- the oracle -------------------------------------------------------------------------------------------

function act(kind: BenchActivation, z: number[]): number[] {
  switch (kind) {
    case "linear":
      return [...z];
    case "sigmoid":
      return z.map((v) => 1 / (1 + Math.exp(-v)));
    case "tanh":
      return z.map(Math.tanh);
    case "relu":
      return z.map((v) => Math.max(0, v));
    case "softmax": {
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    }
  }
}

/** ∂a/∂z as a full Jacobian J[k][j] = ∂a_k/∂z_j (diagonal except softmax). */
function jacobian(kind: BenchActivation, z: number[], a: number[]): number[][] {
  return a.map((ak, k) =>
    z.map((zj, j) => {
      if (kind === "softmax") return ak * ((k === j ? 1 : 0) - a[j]!);
      if (k !== j) return 0;
      if (kind === "sigmoid") return ak * (1 - ak);
      if (kind === "tanh") return 1 - ak * ak;
      if (kind === "relu") return zj > 0 ? 1 : 0;
      return 1;
    }),
  );
}

/** Loss of one sample and ∂loss/∂a, straight from the definitions in src/ir.ts. */
function sampleLoss(net: NetShape, a: number[], y: number[]): { loss: number; dA: number[] } {
  const n = a.length;
  if (net.loss === "mse") return { loss: a.reduce((s, ak, k) => s + (ak - y[k]!) ** 2, 0) / n, dA: a.map((ak, k) => (2 * (ak - y[k]!)) / n) };
  if (net.loss === "binary_crossentropy") {
    return {
      loss: -a.reduce((s, ak, k) => s + y[k]! * Math.log(ak) + (1 - y[k]!) * Math.log(1 - ak), 0),
      dA: a.map((ak, k) => -(y[k]! / ak) + (1 - y[k]!) / (1 - ak)),
    };
  }
  return { loss: -a.reduce((s, ak, k) => s + y[k]! * Math.log(ak), 0), dA: a.map((ak, k) => -y[k]! / ak) };
}

/** Mean loss over the samples `rows` and its gradient with respect to the flat parameters. */
function oracleLossAndGradient(net: NetShape, p: Float64Array, d: { xs: Float64Array; ys: Float64Array }, rows: number[], ni: number, no: number) {
  const offsets = layerOffsets(net);
  const grad = new Float64Array(p.length);
  let total = 0;
  for (const s of rows) {
    const as: number[][] = [Array.from(d.xs.subarray(s * ni, (s + 1) * ni))];
    const zs: number[][] = [];
    net.layers.forEach((l, k) => {
      const z: number[] = [];
      for (let o = 0; o < l.outputs; o++) {
        let v = p[offsets[k]!.bias + o]!;
        for (let i = 0; i < l.inputs; i++) v += p[offsets[k]!.weights + o * l.inputs + i]! * as[k]![i]!;
        z.push(v);
      }
      zs.push(z);
      as.push(act(l.activation, z));
    });
    const { loss, dA } = sampleLoss(net, as[as.length - 1]!, Array.from(d.ys.subarray(s * no, (s + 1) * no)));
    total += loss;
    let dAk = dA;
    for (let k = net.layers.length - 1; k >= 0; k--) {
      const l = net.layers[k]!;
      const J = jacobian(l.activation, zs[k]!, as[k + 1]!);
      const dZ = zs[k]!.map((_, j) => dAk.reduce((sum, g, m) => sum + g * J[m]![j]!, 0));
      for (let o = 0; o < l.outputs; o++) {
        grad[offsets[k]!.bias + o] += dZ[o]! / rows.length;
        for (let i = 0; i < l.inputs; i++) grad[offsets[k]!.weights + o * l.inputs + i] += (dZ[o]! * as[k]![i]!) / rows.length;
      }
      if (k > 0) dAk = as[k]!.map((_, i) => dZ.reduce((sum, g, o) => sum + g * p[offsets[k]!.weights + o * l.inputs + i]!, 0));
    }
  }
  return { loss: total / rows.length, grad };
}

function oracleTrain(c: BenchCase): { params: Float64Array; loss: number } {
  const { net, learningRate } = c.workload;
  const p = Float64Array.from(c.params);
  for (let b = 0; b < c.plan.batches; b++) {
    const rows = Array.from(c.plan.indices.subarray(c.plan.starts[b]!, c.plan.starts[b]! + c.plan.sizes[b]!));
    const { grad } = oracleLossAndGradient(net, p, c.data, rows, c.data.inputs, c.data.outputs);
    for (let k = 0; k < p.length; k++) p[k] -= learningRate * grad[k]!;
  }
  const e = c.evaluation;
  const all = Array.from({ length: e.count }, (_, i) => i);
  return { params: p, loss: oracleLossAndGradient(net, p, e, all, c.data.inputs, c.data.outputs).loss };
}

// ---- the cases: every workload's net, a few steps on small data -------------------------------------------

function smallCase(id: string, data: Dataset, samples: number): BenchCase {
  return benchCase(workloadById(id), data, "quick", samples);
}

const makers: Record<string, () => BenchCase> = {
  W1: () => smallCase("W1", genderData(), 12),
  W2: () => smallCase("W2", planarData(400, 0.2, 4, 1), 400 * 5),
  W3: () => smallCase("W3", squareData(300, -2, 2, 1), 500),
  W4: () => smallCase("W4", randomClassData(300, 289, 26, 2), 600),
  W5: () => smallCase("W5", randomClassData(200, 784, 10, 3), 64 * 3),
};

/** Each case and its oracle result, computed once and shared by every contestant. */
const memo = new Map<string, { c: BenchCase; want: { params: Float64Array; loss: number } }>();
function caseAndOracle(id: string) {
  let m = memo.get(id);
  if (!m) {
    const c = makers[id]!();
    m = { c, want: oracleTrain(c) };
    memo.set(id, m);
  }
  return m;
}
const cases = Object.keys(makers);

describe("the oracle", () => {
  it("matches central differences on the planar and the fashion-shaped nets", () => {
    for (const [id, data] of [
      ["W2", planarData(20, 0.2, 4, 4)],
      ["W4", randomClassData(3, 289, 26, 5)],
      ["W5", randomClassData(2, 784, 10, 6)],
      ["W1", genderData()],
    ] as const) {
      const w = workloadById(id);
      const p = initialParameters(w);
      const rows = Array.from({ length: data.count }, (_, i) => i);
      const f = (q: Float64Array) => oracleLossAndGradient(w.net, q, data, rows, data.inputs, data.outputs).loss;
      const { grad } = oracleLossAndGradient(w.net, p, data, rows, data.inputs, data.outputs);
      // Probe a spread of parameters (every weight of the small nets, a sample of the big ones).
      const stride = Math.max(1, Math.floor(p.length / 25));
      for (let k = 0; k < p.length; k += stride) {
        const h = 1e-6;
        const plus = Float64Array.from(p);
        const minus = Float64Array.from(p);
        plus[k] += h;
        minus[k] -= h;
        const numeric = (f(plus) - f(minus)) / (2 * h);
        expect(Math.abs(numeric - grad[k]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
      }
    }
  });
});

const torchPython = findTorchPython();
const torch = new TorchContestant();
const tfCpu = new TfjsContestant("cpu");
const tfWasm = new TfjsContestant("wasm");
const nnc = new NncContestant();
const interpreter = new InterpreterContestant();
const nncReady = (await nnc.available()) === null;
const interpreterReady = (await interpreter.available()) === null;

afterAll(async () => {
  await torch.close();
  await tfCpu.close();
  await tfWasm.close();
});

/** Relative tolerance on parameters and loss: float64 contestants agree to round-off, float32 ones to f32 accumulation error. */
function check(k: Contestant, tol: number) {
  describe.each(cases)(`${k.id}`, (id) => {
    it(`${id}: parameters and loss after a few steps equal the float64 oracle`, async () => {
      const { c, want } = caseAndOracle(id);
      await k.setup(c);
      await k.train();
      const got = await k.parameters();
      expect(got.length).toBe(want.params.length);
      let worst = 0;
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want.params[i]!) / Math.max(1, Math.abs(want.params[i]!)));
      expect(worst).toBeLessThan(tol);
      // Training moved the parameters, so agreement is not just "nobody trained".
      expect(Math.max(...want.params.map((v, i) => Math.abs(v - c.params[i]!)))).toBeGreaterThan(1e-4);
      const e = await k.evaluate();
      expect(Math.abs(e.loss - want.loss) / Math.max(1e-6, want.loss)).toBeLessThan(tol);
      await k.dispose();
    });
  });
}

check(new GenericJsContestant(), 1e-10);
check(tfCpu, 2e-5);
check(tfWasm, 2e-5);
describe.skipIf(!torchPython)("PyTorch peer (needs Debian python3-torch)", () => check(torch, 2e-5));
describe.skipIf(!interpreterReady)("reference interpreter", () => check(interpreter, 1e-10));
describe.skipIf(!nncReady)("nnc generated module", () => check(nnc, 1e-6));

// The inference peers (ONNX Runtime, issue 16) train nothing: their outputs at the initial parameters and
// the batched pass must be the oracle's forward, or the inference ratios compare different work.
function oracleOutputs(c: BenchCase, count: number): Float64Array {
  const { net } = c.workload;
  const offsets = layerOffsets(net);
  const ni = c.data.inputs;
  const out: number[] = [];
  for (let s = 0; s < count; s++) {
    let a = Array.from(c.evaluation.xs.subarray(s * ni, (s + 1) * ni));
    net.layers.forEach((l, k) => {
      const z: number[] = [];
      for (let o = 0; o < l.outputs; o++) {
        let v = c.params[offsets[k]!.bias + o]!;
        for (let i = 0; i < l.inputs; i++) v += c.params[offsets[k]!.weights + o * l.inputs + i]! * a[i]!;
        z.push(v);
      }
      a = act(l.activation, z);
    });
    out.push(...a);
  }
  return Float64Array.from(out);
}

for (const backend of ["node", "web"] as const) {
  const ort = new OnnxRuntimeContestant(backend);
  const why = await ort.available();
  describe.skipIf(why !== null)(`${ort.id} inference peer${why ? ` (${why})` : ""}`, () => {
    it.each(["W4", "W5"])("%s: outputs at the initial parameters equal the float64 oracle's forward; batched and single-sample passes run", async (id) => {
      const { c } = caseAndOracle(id);
      await ort.setup(c);
      const count = Math.min(16, c.evaluation.count);
      const got = await ort.forward(count);
      const want = oracleOutputs(c, count);
      expect(got.length).toBe(want.length);
      let worst = 0;
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
      expect(worst).toBeLessThan(1e-5);
      expect(await ort.batched(c.evaluation.count)).toBeGreaterThan(0);
      expect(await ort.latency(c.evaluation.xs.subarray(0, c.data.inputs), 20)).toBeGreaterThan(0);
      await expect(ort.train()).rejects.toThrow(/does not train/);
      await ort.dispose();
    });
  });
}

describe("shared workload inputs", () => {
  it("every epoch of the batch plan visits each sample exactly once, in a seeded order", () => {
    const c = smallCase("W3", squareData(300, -2, 2, 1), 900);
    expect(c.plan.batches).toBe(9);
    for (let e = 0; e < 3; e++) {
      const epoch = Array.from(c.plan.indices.subarray(e * 300, (e + 1) * 300)).sort((a, b) => a - b);
      expect(epoch).toEqual(Array.from({ length: 300 }, (_, i) => i));
    }
    expect(Array.from(c.plan.indices.subarray(0, 300))).not.toEqual(Array.from(c.plan.indices.subarray(300, 600)));
    expect(smallCase("W3", squareData(300, -2, 2, 1), 900).plan.indices).toEqual(c.plan.indices);
  });

  it("the last batch of an epoch is the remainder", () => {
    const c = smallCase("W4", randomClassData(2500, 289, 26, 1), 2500);
    expect(Array.from(c.plan.sizes)).toEqual([1024, 1024, 452]);
  });

  it("initial parameters follow the workload's scheme with zero biases", () => {
    const w2 = workloadById("W2");
    const p = initialParameters(w2);
    expect(p.length).toBe(2 * 4 + 4 + 4 + 1);
    const weights = [...p.subarray(0, 8), ...p.subarray(12, 16)];
    const std = Math.sqrt(weights.reduce((s, v) => s + v * v, 0) / weights.length);
    expect(std).toBeGreaterThan(0.003);
    expect(std).toBeLessThan(0.03);
    expect([...p.subarray(8, 12), p[16]]).toEqual([0, 0, 0, 0, 0]);
    const w4 = workloadById("W4");
    const q = initialParameters(w4);
    const limit = Math.sqrt(6 / (289 + 20));
    expect(Math.max(...q.subarray(0, 289 * 20).map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(initialParameters(w4)).toEqual(q);
  });

  it("the evaluation set is the test set when there is one", () => {
    const d = randomClassData(30, 4, 3, 1);
    expect(evaluationSet(d).count).toBe(30);
    d.test = { count: 5, xs: new Float64Array(20), ys: new Float64Array(15) };
    expect(evaluationSet(d).count).toBe(5);
  });
});
