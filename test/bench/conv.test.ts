// The conv workloads (W7, W8; issue 14) compare nnc with TF.js and PyTorch, which store images, filters and
// the flattened map in other orders (TF.js: NHWC, filters [kh][kw][C][F]; the shared layout and nnc's:
// NCHW, [F][C][kh][kw], C-major flattening). A conversion bug would make the peers train a different net
// and the throughput ratios meaningless. Checked here on small data:
// - every contestant's first forward equals an oracle written in this file (direct convolution and
//   pooling loops over the shared layout, float64), and the oracle is shown to tell the layouts apart;
// - after two SGD steps every contestant's parameters (read back into the shared layout) and loss equal
//   the float64 reference interpreter's (nnc's independent oracle for conv nets).
import { afterAll, describe, expect, it } from "vitest";
import type { Contestant } from "../../bench/contestant.js";
import { randomClassData } from "../../bench/data.js";
import { InterpreterContestant, NncContestant } from "../../bench/contestants/module.js";
import { denseColumnsForNhwc, filterToTf, rowsToNhwc, TfjsContestant } from "../../bench/contestants/tfjs.js";
import { findTorchPython, TorchContestant } from "../../bench/contestants/torch.js";
import { type BenchActivation, imageOffsets, imageSteps, layerOffsets, type NetShape } from "../../bench/net.js";
import { type BenchCase, benchCase, workloadById } from "../../bench/workloads.js";

// ---- the oracle: direct loops over the shared layout ---------------------------------------------------

interface Layouts {
  /** Read filter taps as [F][C][kw][kh] (a transposed kernel), to show the check catches it. */
  transposedKernel?: boolean;
  /** Flatten the last map H·W·C (NHWC's order) instead of C-major. */
  hwcFlatten?: boolean;
}

function act(kind: BenchActivation, z: number[]): number[] {
  if (kind === "relu") return z.map((v) => Math.max(0, v));
  if (kind === "softmax") {
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  }
  if (kind === "linear") return z;
  throw new Error(`oracle: no ${kind}`);
}

function oracleForward(net: NetShape, p: Float64Array, x: Float64Array, layouts: Layouts = {}): number[] {
  let map = Array.from(x);
  const image = imageOffsets(net);
  const steps = imageSteps(net);
  steps.forEach((s, li) => {
    const { channels: C, height: H, width: W } = s.input;
    const { channels: F, height: OH, width: OW } = s.output;
    const out = new Array<number>(F * OH * OW).fill(0);
    const l = s.layer;
    if (l.kind === "conv") {
      const { weights, bias } = image[li]!;
      const k = l.kernel;
      for (let f = 0; f < F; f++)
        for (let oy = 0; oy < OH; oy++)
          for (let ox = 0; ox < OW; ox++) {
            let z = p[bias + f]!;
            for (let c = 0; c < C; c++)
              for (let i = 0; i < k; i++)
                for (let j = 0; j < k; j++) {
                  const y = oy + i - l.padding;
                  const xx = ox + j - l.padding;
                  if (y < 0 || y >= H || xx < 0 || xx >= W) continue;
                  const tap = layouts.transposedKernel ? ((f * C + c) * k + j) * k + i : ((f * C + c) * k + i) * k + j;
                  z += p[weights + tap]! * map[(c * H + y) * W + xx]!;
                }
            out[(f * OH + oy) * OW + ox] = z;
          }
      map = act(l.activation, out);
    } else {
      for (let c = 0; c < F; c++)
        for (let oy = 0; oy < OH; oy++)
          for (let ox = 0; ox < OW; ox++) {
            let m = -Infinity;
            for (let i = 0; i < l.size; i++) for (let j = 0; j < l.size; j++) m = Math.max(m, map[(c * H + oy * l.size + i) * W + ox * l.size + j]!);
            out[(c * OH + oy) * OW + ox] = m;
          }
      map = out;
    }
  });
  if (layouts.hwcFlatten && steps.length) {
    const { channels: C, height: H, width: W } = steps[steps.length - 1]!.output;
    const hwc: number[] = [];
    for (let i = 0; i < H * W; i++) for (let c = 0; c < C; c++) hwc.push(map[c * H * W + i]!);
    map = hwc;
  }
  const offsets = layerOffsets(net);
  net.layers.forEach((l, k) => {
    const z: number[] = [];
    for (let o = 0; o < l.outputs; o++) {
      let v = p[offsets[k]!.bias + o]!;
      for (let i = 0; i < l.inputs; i++) v += p[offsets[k]!.weights + o * l.inputs + i]! * map[i]!;
      z.push(v);
    }
    map = act(l.activation, z);
  });
  return map;
}

// ---- the cases: W7 and W8's nets, two batches of random images ----------------------------------------

const SAMPLES = 4;
const makers: Record<string, () => BenchCase> = {
  W7: () => benchCase(workloadById("W7"), randomClassData(300, 289, 26, 2), "quick", 2 * 128),
  W8: () => benchCase(workloadById("W8"), randomClassData(160, 784, 10, 3), "quick", 2 * 64),
};
const memo = new Map<string, { c: BenchCase; forward: number[]; trained: { params: Float64Array; loss: number } | null }>();
function caseOf(id: string) {
  let m = memo.get(id);
  if (!m) {
    const c = makers[id]!();
    const ni = c.data.inputs;
    const forward: number[] = [];
    for (let s = 0; s < SAMPLES; s++) forward.push(...oracleForward(c.workload.net, c.params, c.evaluation.xs.subarray(s * ni, (s + 1) * ni)));
    m = { c, forward, trained: null };
    memo.set(id, m);
  }
  return m;
}

const interpreter = new InterpreterContestant();
const interpreterReady = (await interpreter.available()) === null;
const nnc = new NncContestant();
const nncReady = (await nnc.available()) === null;
const torchReady = findTorchPython() !== null;
const torch = new TorchContestant();
const tfWasm = new TfjsContestant("wasm");
const tfCpu = new TfjsContestant("cpu");

afterAll(async () => {
  await torch.close();
  await tfWasm.close();
  await tfCpu.close();
});

/** The reference interpreter's parameters and loss after the case's two batches. */
async function reference(id: string) {
  const m = caseOf(id);
  if (!m.trained) {
    await interpreter.setup(m.c);
    await interpreter.train();
    m.trained = { params: await interpreter.parameters(), loss: (await interpreter.evaluate()).loss };
  }
  return m.trained;
}

describe("the conv oracle", () => {
  it.each(["W7", "W8"])("%s: tells the shared layout from a transposed kernel and from NHWC flattening", (id) => {
    const { c, forward } = caseOf(id);
    const x = c.evaluation.xs.subarray(0, c.data.inputs);
    const n = forward.length / SAMPLES;
    for (const layouts of [{ transposedKernel: true }, { hwcFlatten: true }]) {
      const wrong = oracleForward(c.workload.net, c.params, x, layouts);
      expect(Math.max(...wrong.map((v, k) => Math.abs(v - forward[k]!)))).toBeGreaterThan(1e-3);
    }
    expect(forward.length).toBe(SAMPLES * n);
  });

  it("the TF.js layout conversions are inverse pairs and move values where NHWC puts them", () => {
    // A 2×2×3 map (C = 2): NCHW index c·6 + h·3 + w → NHWC (h·3 + w)·2 + c.
    const nchw = Float64Array.from({ length: 24 }, (_, i) => i);
    const nhwc = rowsToNhwc(nchw, 2, { channels: 2, height: 2, width: 3 });
    expect(nhwc[(1 * 3 + 2) * 2 + 1]).toBe(1 * 6 + 1 * 3 + 2);
    expect(nhwc[12 + (0 * 3 + 1) * 2 + 0]).toBe(12 + 1);
    // Filter [F=3][C=2][k=2][k=2] → [k][k][C][F]: tap (f, c, i, j) lands at ((i·k + j)·C + c)·F + f.
    const w = Float64Array.from({ length: 24 }, (_, i) => i);
    const t = filterToTf(w, 3, 2, 2);
    expect(t[((1 * 2 + 0) * 2 + 1) * 3 + 2]).toBe(((2 * 2 + 1) * 2 + 1) * 2 + 0);
    expect(filterToTf(t, 3, 2, 2, true)).toEqual(w);
    for (const id of ["W7", "W8"]) {
      const { c } = caseOf(id);
      const moved = denseColumnsForNhwc(c.workload.net, c.params);
      expect(moved).not.toEqual(c.params);
      expect(denseColumnsForNhwc(c.workload.net, moved, true)).toEqual(c.params);
    }
  });
});

/** Float32 contestants: outputs to 2e-6 of the float64 oracle, parameters and loss after two steps to 5e-5 relative. */
function check(name: string, k: Contestant, ready: boolean, opts: { forwardTol: number; trainTol: number; train: string[] }) {
  describe.skipIf(!ready || !interpreterReady)(name, () => {
    it.each(["W7", "W8"])("%s: first forward equals the oracle", async (id) => {
      const { c, forward } = caseOf(id);
      await k.setup(c);
      const got = await k.forward(SAMPLES);
      expect(got.length).toBe(forward.length);
      const worst = Math.max(...forward.map((v, i) => Math.abs(got[i]! - v)));
      expect(worst).toBeLessThan(opts.forwardTol);
      await k.dispose();
    });

    it.each(opts.train)("%s: parameters and loss after two SGD steps equal the reference interpreter's", async (id) => {
      const { c } = caseOf(id);
      const want = await reference(id);
      await k.setup(c);
      await k.train();
      const got = await k.parameters();
      expect(got.length).toBe(want.params.length);
      let worst = 0;
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want.params[i]!) / Math.max(1, Math.abs(want.params[i]!)));
      expect(worst).toBeLessThan(opts.trainTol);
      // Every conv filter and the first dense layer moved, so agreement is not "nobody trained".
      const net = c.workload.net;
      for (const at of [...imageOffsets(net).filter((o) => o !== null), layerOffsets(net)[0]!]) {
        let moved = 0;
        for (let i = at!.weights; i < at!.bias; i++) moved = Math.max(moved, Math.abs(want.params[i]! - c.params[i]!));
        expect(moved).toBeGreaterThan(1e-5);
      }
      const e = await k.evaluate();
      expect(Math.abs(e.loss - want.loss) / want.loss).toBeLessThan(opts.trainTol);
      await k.dispose();
    });
  });
}

check("reference interpreter", interpreter, interpreterReady, { forwardTol: 1e-12, trainTol: 1e-12, train: [] });
check("nnc generated module", nnc, nncReady, { forwardTol: 2e-6, trainTol: 5e-5, train: ["W7", "W8"] });
check("TF.js wasm (filter gradient as a conv2d)", tfWasm, true, { forwardTol: 2e-6, trainTol: 5e-5, train: ["W7", "W8"] });
// The cpu backend's conv kernels are slow scalar loops: W7 only (its Conv2DBackpropFilter kernel cross-checks
// the wasm peer's conv2d identity for the filter gradient).
check("TF.js cpu (Conv2DBackpropFilter kernel)", tfCpu, true, { forwardTol: 2e-6, trainTol: 5e-5, train: ["W7"] });
check("PyTorch peer (needs Debian python3-torch)", torch, torchReady, { forwardTol: 2e-6, trainTol: 5e-5, train: ["W7", "W8"] });
