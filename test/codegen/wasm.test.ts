// The WebAssembly SIMD kernel path of the blocked batch shape (src/emit/wasm/): the encoder's bytes validate,
// random f64 and f32 specs forced through the kernels agree with the reference interpreter (1e-12 relative
// for f64, compareModules' f32 tolerances) and, for f64, bit for bit (tolerance 0) with the TS blocked path;
// f32 modules' f32x4 kernels compute in f32, so they are held to the f32 rounding bound of each sum instead
// (with a planted bug it catches; and the gradient checker, as nnc check runs it on f32 specs, catches
// another); a module loaded where WebAssembly is missing falls back to
// the TS path and still matches, and the gradient checker passes on the kernel path. That the kernel path
// really runs (not the fallback) is shown by a planted byte bug that the checker catches with WebAssembly
// and that makes no difference without it.
import { describe, expect, it } from "vitest";
import { compileSpecUnformatted } from "../../src/compile.js";
import { loadModule } from "../../src/harness/load.js";
import { interpret } from "../../src/interpreter/index.js";
import { checkGradients } from "../../src/check/index.js";
import { planSpec } from "../../src/plan.js";
import { sleb, uleb } from "../../src/emit/wasm/encoder.js";
import { buildKernels, kernelLayout } from "../../src/emit/wasm/kernels.js";
import { buildMathKernels, EXP_COEFFICIENTS, TANH_COEFFICIENTS } from "../../src/emit/wasm/elementwise.js";
import { compareModules, formatMismatches } from "../support/differential.js";
import { randomSpec } from "../support/random-spec.js";
import { kernelBytesOf, mutateKernelBytes } from "../support/kernel-bytes.js";
import { dense, lettersSpec, makeSpec } from "./specs.js";
import type { GeneratedModule } from "../../src/module-api.js";

const fashionSpec = makeSpec("fashion", [dense(784, 128, "relu"), dense(128, 10, "softmax")], "categorical_crossentropy", { kind: "sgd" }, { batchSize: 64 });
const wasm = { batchShape: "blocked", kernel: "wasm" } as const;

let distinct = 0;

/** Loads a module while globalThis.WebAssembly is missing (its loader then finds none and keeps the TS path). */
async function loadWithoutWebAssembly(text: string): Promise<GeneratedModule> {
  const g = globalThis as { WebAssembly?: unknown };
  const saved = g.WebAssembly;
  g.WebAssembly = undefined;
  try {
    // a distinct program (a comment would be stripped by the transpiler), so the data: URL import cannot
    // return a module instance loaded earlier with WebAssembly
    return await loadModule(`${text}\nexport const loadedWithoutWebAssembly = ${++distinct};\n`);
  } finally {
    g.WebAssembly = saved;
  }
}

describe("encoder", () => {
  it("writes LEB128 as the spec's examples", () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });
  it("kernels validate for letters, Fashion and random specs; memory holds every region", () => {
    const specs = [lettersSpec(), fashionSpec, ...Array.from({ length: 12 }, (_, k) => randomSpec(100 + k, { dropout: false }))];
    for (const spec of specs) {
      for (const precision of ["f64", "f32"] as const) {
        const plan = planSpec(spec, { ...wasm, precision });
        const { bytes, layout } = buildKernels(plan);
        expect(WebAssembly.validate(bytes)).toBe(true);
        const end = Math.max(...[...layout.offsets].map(([name, at]) => at + layout.elementBytes.get(name)! * layout.sizes.get(name)!));
        expect(layout.pages * 65536).toBeGreaterThanOrEqual(end + 16);
      }
    }
  });
});

describe("plan: the kernel decision", () => {
  it("blocked nets (f64 and f32) get the wasm kernels, per-sample keeps TS; the option forces each", () => {
    expect(planSpec(lettersSpec()).batch.kernel.kind).toBe("wasm");
    expect(planSpec(lettersSpec(), { precision: "f32" }).batch.kernel.kind).toBe("wasm");
    expect(planSpec(lettersSpec(), { kernel: "ts" }).batch.kernel).toEqual({
      kind: "ts",
      reason: "forced by the kernel option",
    });
    expect(planSpec(lettersSpec(), { batchShape: "per-sample" }).batch.kernel.kind).toBe("ts");
    expect(compileSpecUnformatted(lettersSpec(), { kernel: "ts" }).text).not.toContain("KERNEL_BYTES");
  });
  it("kernel layout: regions do not overlap (f64 and f32)", () => {
    for (const precision of ["f64", "f32"] as const) {
      const layout = kernelLayout(planSpec(fashionSpec, { precision }));
      const regions = [...layout.offsets]
        .map(([name, at]) => [at, at + layout.elementBytes.get(name)! * layout.sizes.get(name)!] as const)
        .sort((a, b) => a[0] - b[0]);
      for (let k = 1; k < regions.length; k++) expect(regions[k]![0]).toBeGreaterThanOrEqual(regions[k - 1]![1]);
    }
  });
});

describe("wasm kernels = interpreter, and (f64) = TS blocked bit for bit", () => {
  // f64 and f32 alternately. An f32 module's kernels compute in f32x4 while its TS code computes in f64 and
  // rounds on store: both agree with the interpreter within compareModules' f32 tolerances (1e-4 relative,
  // 2e-3 after training), and with each other within the same; f64 kernels equal the TS path bit for bit.
  for (let seed = 1; seed <= 16; seed++) {
    const precision = seed % 2 === 0 ? "f32" : "f64";
    it(`random spec ${seed} (${precision})`, async () => {
      const spec = {
        ...randomSpec(seed, { dropout: false }),
        precision,
      } as const;
      const chunkLimit = 1 + (seed % 6);
      const options = { ...wasm, chunkLimit } as const;
      const compiled = compileSpecUnformatted(spec, options);
      expect(compiled.plan.batch.kernel.kind).toBe("wasm");
      const kernels = await loadModule(compiled.text);
      expect(formatMismatches(compareModules(kernels, interpret(spec), spec, { seed, samples: 9 }))).toBe("");
      const ts = await loadModule(compileSpecUnformatted(spec, { ...options, kernel: "ts" }).text);
      const exact = precision === "f64" ? { tolerance: 0, trainTolerance: 0 } : {};
      expect(formatMismatches(compareModules(kernels, ts, spec, { seed, samples: 9, ...exact }))).toBe("");
    });
  }

  it("letters (289-20-26) and Fashion (784-128-10) shapes, f64 and f32, the plan's own choice: f64 bit for bit with TS blocked, f32 within f32 tolerances", async () => {
    for (const spec of [lettersSpec(), fashionSpec, { ...lettersSpec(), precision: "f32" as const }, { ...fashionSpec, precision: "f32" as const }]) {
      const compiled = compileSpecUnformatted(spec);
      expect(compiled.plan.batch.kernel.kind).toBe("wasm");
      const kernels = await loadModule(compiled.text);
      const ts = await loadModule(compileSpecUnformatted(spec, { kernel: "ts" }).text);
      const exact = spec.precision === "f64" ? { tolerance: 0, trainTolerance: 0 } : {};
      expect(
        formatMismatches(
          compareModules(kernels, ts, spec, {
            samples: 9,
            trainSamples: 6,
            epochs: 1,
            ...exact,
          }),
        ),
      ).toBe("");
      expect(
        formatMismatches(
          compareModules(kernels, interpret(spec), spec, {
            samples: 9,
            trainSamples: 6,
            epochs: 1,
          }),
        ),
      ).toBe("");
    }
  });

  it("passes the gradient check on the kernel path", async () => {
    const spec = makeSpec(
      "medium",
      [dense(41, 23, "tanh"), dense(23, 7, "relu"), dense(7, 5, "softmax")],
      "categorical_crossentropy",
      { kind: "sgd" },
      { batchSize: 16 },
    );
    const compiled = compileSpecUnformatted(spec);
    expect(compiled.plan.batch.kernel.kind).toBe("wasm");
    const report = checkGradients({
      spec,
      module: await loadModule(compiled.text),
    });
    expect(report.rows.filter((r) => r.status === "fail")).toEqual([]);
    expect(report.passed).toBe(true);
  });
});

describe("u kernel: the SGD step in kernel memory", () => {
  // 13 parameters over 16: every vector form runs, including a last vector into the regions' padding
  const spec = makeSpec(
    "sgdstep",
    [dense(3, 3, "sigmoid"), dense(3, 1, "sigmoid")],
    "binary_crossentropy",
    { kind: "sgd" },
    { learningRate: 0.1, batchSize: 8 },
  );
  for (const precision of ["f64", "f32"] as const) {
    it(`${precision}: equals the TS step bit for bit (f64 arithmetic rounded once for f32), and f32 arithmetic would not`, async () => {
      const plan = planSpec(spec, { ...wasm, precision });
      expect(plan.kernels?.step).toEqual({ kind: "sgd" });
      const kernel = (await loadModule(compileSpecUnformatted(spec, { ...wasm, precision }).text)) as GeneratedModule;
      const ts = (await loadModule(compileSpecUnformatted(spec, { kernel: "ts", batchShape: "blocked", precision }).text)) as GeneratedModule;
      const A = precision === "f32" ? Float32Array : Float64Array;
      const n = kernel.meta.parameters;
      // 400 draws of (p, g) across magnitudes, 13 parameters a step
      let f32Differs = 0;
      for (let round = 0; round < 400; round++) {
        const p = new A(n).map((_, i) => Math.sin(round * 31 + i * 1.3) * 10 ** ((i % 7) - 3));
        const g = new A(n).map((_, i) => Math.cos(round * 17 + i * 2.1) * 10 ** ((i % 5) - 2));
        const a = A.from(p);
        const b = A.from(p);
        kernel.step(a, g, kernel.createOptimizer(), 0);
        ts.step(b, g, ts.createOptimizer(), 0);
        for (let i = 0; i < n; i++) {
          expect(Object.is(a[i], b[i])).toBe(true);
          if (precision === "f32" && Math.fround(p[i]! - Math.fround(Math.fround(0.1) * g[i]!)) !== b[i]) f32Differs++;
        }
      }
      if (precision === "f32") expect(f32Differs).toBeGreaterThan(0);
    });
  }
  it("the step in the kernels is the module's (a planted wrong sign is caught), and the parameters past the trainable ones are untouched", async () => {
    const text = compileSpecUnformatted(spec, wasm).text;
    // f64x2.sub → f64x2.add in u (its only f64x2.sub)
    const broken = (await loadModule(mutateKernelBytes(text, [0xfd, 0xf1, 0x01], [0xfd, 0xf0, 0x01]))) as GeneratedModule;
    const good = (await loadModule(text)) as GeneratedModule;
    const n = good.meta.parameters;
    const g = new Float64Array(n).fill(1);
    const a = new Float64Array(n + 3).fill(2);
    const b = new Float64Array(n + 3).fill(2);
    good.step(a, g, good.createOptimizer(), 0);
    broken.step(b, g, broken.createOptimizer(), 0);
    expect([...a.subarray(0, n)].every((x) => x === 2 - 0.1)).toBe(true);
    expect([...a.subarray(n)]).toEqual([2, 2, 2]);
    expect(b[0]).toBe(2 + 0.1);
  });
});

describe("u kernel: the Adam step in kernel memory", () => {
  // 13 parameters over 16, as the SGD case: every vector form, the last into the regions' padding
  const adam = { kind: "adam", beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;
  const spec = makeSpec("adamstep", [dense(3, 3, "sigmoid"), dense(3, 1, "sigmoid")], "binary_crossentropy", adam, { learningRate: 0.01, batchSize: 8 });
  for (const precision of ["f64", "f32"] as const) {
    it(`${precision}: 60 steps from the same state equal the TS step's parameters and moments bit for bit`, async () => {
      const plan = planSpec(spec, { ...wasm, precision });
      expect(plan.kernels?.step).toEqual(adam);
      const kernel = (await loadModule(compileSpecUnformatted(spec, { ...wasm, precision }).text)) as GeneratedModule;
      const ts = (await loadModule(compileSpecUnformatted(spec, { kernel: "ts", batchShape: "blocked", precision }).text)) as GeneratedModule;
      expect(compileSpecUnformatted(spec, { kernel: "ts", batchShape: "blocked", precision }).text).not.toContain("KERNELS.u(0)");
      const A = precision === "f32" ? Float32Array : Float64Array;
      const n = kernel.meta.parameters;
      const a = new A(n).map((_, i) => Math.sin(i * 1.3) * 10 ** ((i % 7) - 3));
      const b = A.from(a);
      const stateA = kernel.createOptimizer();
      const stateB = ts.createOptimizer();
      let moved = 0;
      // gradients across magnitudes and signs, some zero; epoch changes nothing (constant schedule) but t does
      for (let round = 0; round < 60; round++) {
        const g = new A(n).map((_, i) => (i === round % n ? 0 : Math.cos(round * 17 + i * 2.1) * 10 ** ((i % 5) - 4)));
        const before = A.from(a);
        kernel.step(a, g, stateA, 0);
        ts.step(b, g, stateB, 0);
        for (let i = 0; i < n; i++) {
          expect(Object.is(a[i], b[i])).toBe(true);
          if (a[i] !== before[i]) moved++;
        }
        for (const slot of ["m", "v"]) {
          const [x, y] = [stateA.slots[slot]!, stateB.slots[slot]!];
          for (let i = 0; i < n; i++) expect(Object.is(x[i], y[i])).toBe(true);
        }
      }
      expect(stateA.t).toBe(60);
      // the steps did move the parameters (a no-op kernel would pass the equality only if TS did nothing too)
      expect(moved).toBeGreaterThan(50 * n);
    });
  }
  it("a planted change in the kernel's arithmetic is caught (√ → no √)", async () => {
    const text = compileSpecUnformatted(spec, wasm).text;
    // f64x2.sqrt (0xfd 0xef 0x01) → f64x2.abs (0xfd 0xec 0x01): v / c2 is never negative, so only the missing √ differs
    const broken = (await loadModule(mutateKernelBytes(text, [0xfd, 0xef, 0x01], [0xfd, 0xec, 0x01]))) as GeneratedModule;
    const good = (await loadModule(text)) as GeneratedModule;
    const n = good.meta.parameters;
    const g = new Float64Array(n).fill(0.5);
    const [a, b] = [new Float64Array(n).fill(1), new Float64Array(n).fill(1)];
    good.step(a, g, good.createOptimizer(), 0);
    broken.step(b, g, broken.createOptimizer(), 0);
    // first step: m̂ = g, v̂ = g², so p moves by lr·g / (|g| + ε) ≈ lr
    expect(a[0]).toBeCloseTo(1 - 0.01, 6);
    expect(b[0]).not.toBeCloseTo(1 - 0.01, 3);
  });
});

describe("fallback without WebAssembly", () => {
  const spec = makeSpec("fallback", [dense(9, 6, "sigmoid"), dense(6, 3, "softmax")], "categorical_crossentropy", { kind: "sgd" }, { batchSize: 8 });
  const text = compileSpecUnformatted(spec, { ...wasm, chunkLimit: 3 }).text;
  // the planted bug: x1 reads W[j][i+1] (its weight loads at offset 0 moved to 8): 4 bodies, (4-sample tile,
  // one-by-one tail) × (full 4-input group, 1-input tail)
  const broken = mutateKernelBytes(text, [0xfd, 0x00, 0x03, 0x00], [0xfd, 0x00, 0x03, 0x08], 4);

  it("the module still matches the interpreter", async () => {
    const module = await loadWithoutWebAssembly(text);
    expect(formatMismatches(compareModules(module, interpret(spec), spec, { samples: 7 }))).toBe("");
  });
  it("the kernels run when WebAssembly exists, and are bypassed when it does not", async () => {
    expect(WebAssembly.validate(kernelBytesOf(broken))).toBe(true);
    const withWasm = checkGradients({ spec, module: await loadModule(broken) });
    expect(withWasm.rows.filter((r) => r.status === "fail").map((r) => r.name)).toEqual(["input"]);
    const without = checkGradients({
      spec,
      module: await loadWithoutWebAssembly(broken),
    });
    expect(without.rows.filter((r) => r.status !== "pass").map((r) => `${r.name} ${r.status}`)).toEqual([]);
    expect(without.passed).toBe(true);
  });
});

describe("f32x4 kernels (precision f32): within the f32 rounding bound of the f64 interpreter", () => {
  // One linear layer, MSE, so every quantity is a plain sum whose rounding error has a textbook bound
  // (Higham, Accuracy and Stability of Numerical Algorithms, §3.1): a recursive f32 sum of n products
  // differs from the exact one by at most γ_n · Σ|terms|, γ_n = n·u / (1 − n·u), u = 2⁻²⁴ (f32 unit
  // roundoff). Inputs and parameters are f32 values, so the f64 interpreter's own error (γ_n with u = 2⁻⁵³)
  // is ~10⁹ times smaller and is covered by a 1e-12 relative slack.
  //   forward  z_sj = Σ_i w_ji x_si + b_j              |ẑ − z| ≤ e_sj = γ_(In+1) (Σ_i |w_ji x_si| + |b_j|)
  //   delta    δ_sj = 2 (z_sj − y_sj) / K (TS: f64, then stored f32)  |δ̂ − δ| ≤ Δ_sj = (2/K) e_sj + u (|δ_sj| + (2/K) e_sj)
  //   dW       g_ji = (1/N) Σ_s δ_sj x_si (f32 sum over the N samples, across chunks; then /N, rounded)
  //            |ĝ − g| ≤ (1/N) [Σ_s Δ_sj |x_si| + γ_N Σ_s (|δ_sj| + Δ_sj) |x_si|] (1 + u) + u |g|
  //   dX       gin_si = (1/N) Σ_j δ_sj w_ji           (f32 sum over the K outputs, then /N, rounded)
  //            |ĝ − g| ≤ (1/N) [Σ_j Δ_sj |w_ji| + γ_K Σ_j (|δ_sj| + Δ_sj) |w_ji|] (1 + u) + u |g|
  // With In = 785 these bounds are ~5·10⁻⁵ of Σ|terms|; dropping one of the 785 products moves z by ~10⁻³ of
  // it, which the planted bug below does and the check catches.
  const In = 785; // odd: the forward's input loop literal (785 × 4 bytes) occurs only there
  const K = 13; // 3 full f32x4 vectors + 1 lane: the lane-by-lane tail stores run
  const N = 11; // chunks of 5, 5, 1: the kernels' 4-sample tiles and one-by-one tails run
  const u = 2 ** -24;
  const gamma = (n: number): number => (n * u) / (1 - n * u);
  const spec = { ...makeSpec("f32bound", [dense(In, K, "linear")], "mse", { kind: "sgd" }, { batchSize: N }), precision: "f32" as const };
  const options = { ...wasm, chunkLimit: 5 } as const;
  let seed = 7;
  const rand = (): number => Math.fround(((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1);
  const params = Float32Array.from({ length: In * K + K }, rand);
  const xs = Float32Array.from({ length: N * In }, rand);
  const ys = Float32Array.from({ length: N * K }, rand);
  const W = (j: number, i: number): number => params[j * In + i]!;
  const bias = (j: number): number => params[In * K + j]!;

  /** Every violated bound as "what[index]: got, want, bound"; also the largest error ÷ bound seen. */
  function violations(module: GeneratedModule): { list: string[]; worst: number; differs: boolean } {
    const oracle = interpret(spec);
    const p64 = Float64Array.from(params);
    const list: string[] = [];
    let worst = 0;
    let differs = false;
    const check = (what: string, got: number, want: number, bound: number): void => {
      const err = Math.abs(got - want);
      const limit = bound + 1e-12 * Math.abs(want);
      if (err > 0) differs = true;
      worst = Math.max(worst, err / limit);
      if (!(err <= limit)) list.push(`${what}: got ${got}, want ${want}, bound ${limit}`);
    };
    const z: number[][] = [];
    const e: number[][] = [];
    for (let s = 0; s < N; s++) {
      const x = Float64Array.from(xs.subarray(s * In, (s + 1) * In));
      z.push(Array.from(oracle.predict(p64, x)));
      e.push(
        Array.from({ length: K }, (_, j) => {
          let abs = Math.abs(bias(j));
          for (let i = 0; i < In; i++) abs += Math.abs(W(j, i) * x[i]!);
          return gamma(In + 1) * abs;
        }),
      );
    }
    // forward through the predictor (kernel with n = 1)
    const run = module.createPredictor!(params);
    for (let s = 0; s < N; s++) {
      const out = run(xs.subarray(s * In, (s + 1) * In));
      for (let j = 0; j < K; j++) check(`predictor z[${s}][${j}]`, out[j]!, z[s]![j]!, e[s]![j]!);
    }
    // backward through lossAndGradient (forward kernel with n = 5 and 1, then dW and dX kernels)
    const delta = z.map((row, s) => row.map((zj, j) => (2 * (zj - ys[s * K + j]!)) / K));
    const dDelta = delta.map((row, s) => row.map((d, j) => (2 / K) * e[s]![j]! + u * (Math.abs(d) + (2 / K) * e[s]![j]!)));
    const grad = new Float32Array(params.length);
    const gin = new Float32Array(N * In);
    module.lossAndGradient(params, xs, ys, N, grad, { inputGradient: gin });
    const g64 = new Float64Array(params.length);
    const gin64 = new Float64Array(N * In);
    oracle.lossAndGradient(p64, Float64Array.from(xs), Float64Array.from(ys), N, g64, { inputGradient: gin64 });
    for (let j = 0; j < K; j++) {
      for (let i = 0; i < In; i++) {
        let propagated = 0;
        let abs = 0;
        for (let s = 0; s < N; s++) {
          const x = Math.abs(xs[s * In + i]!);
          propagated += dDelta[s]![j]! * x;
          abs += (Math.abs(delta[s]![j]!) + dDelta[s]![j]!) * x;
        }
        const want = g64[j * In + i]!;
        check(`dW[${j}][${i}]`, grad[j * In + i]!, want, ((propagated + gamma(N) * abs) / N) * (1 + u) + u * Math.abs(want));
      }
      let propagated = 0;
      let abs = 0;
      for (let s = 0; s < N; s++) {
        propagated += dDelta[s]![j]!;
        abs += Math.abs(delta[s]![j]!) + dDelta[s]![j]!;
      }
      const want = g64[In * K + j]!;
      check(`db[${j}]`, grad[In * K + j]!, want, ((propagated + gamma(N) * abs) / N) * (1 + u) + u * Math.abs(want));
    }
    for (let s = 0; s < N; s++) {
      for (let i = 0; i < In; i++) {
        let propagated = 0;
        let abs = 0;
        for (let j = 0; j < K; j++) {
          propagated += dDelta[s]![j]! * Math.abs(W(j, i));
          abs += (Math.abs(delta[s]![j]!) + dDelta[s]![j]!) * Math.abs(W(j, i));
        }
        const want = gin64[s * In + i]!;
        check(`dX[${s}][${i}]`, gin[s * In + i]!, want, ((propagated + gamma(K) * abs) / N) * (1 + u) + u * Math.abs(want));
      }
    }
    return { list, worst, differs };
  }

  const text = compileSpecUnformatted(spec, options).text;

  it("forward, dW, db and dX: every element within its bound; the results are not the f64 ones (f32 arithmetic ran)", async () => {
    const result = violations(await loadModule(text));
    expect(result.list.slice(0, 5)).toEqual([]);
    expect(result.differs).toBe(true);
    // the bound is not vacuous: the largest error uses a visible part of it
    expect(result.worst).toBeGreaterThan(0.001);
  });

  it("the TS fallback (f64 arithmetic, rounded on store) is within the same bounds", async () => {
    expect(violations(await loadWithoutWebAssembly(text)).list.slice(0, 5)).toEqual([]);
  });

  it("a planted bug is caught: every loop over the 785 inputs ends one input early (i32.const 785·4; i32.ge_s)", async () => {
    // 5 loops: f1's 4 bodies ((4-sample tile, one-by-one tail) × (8-output group, 5-output tail)) and p1's one
    // (13 outputs: a tail of its 32-output pass); the transposes t and r loop over 784 inputs in blocks of 4,
    // then one literal tail. One dropped product of 785 is
    // ~27 times the bound γ_786 on average: the predictor (p1) and, through δ, the gradients (f1) fall outside.
    const broken = mutateKernelBytes(text, [0x41, ...sleb(In * 4), 0x4e], [0x41, ...sleb((In - 1) * 4), 0x4e], 5);
    expect(WebAssembly.validate(kernelBytesOf(broken))).toBe(true);
    const result = violations(await loadModule(broken));
    expect(result.list.some((v) => v.startsWith("predictor z"))).toBe(true);
    expect(result.list.some((v) => v.startsWith("dX"))).toBe(true);
  });
});

describe("nnc check on an f32 module with f32x4 kernels", () => {
  const spec = {
    ...makeSpec("checkf32", [dense(9, 6, "sigmoid"), dense(6, 3, "softmax")], "categorical_crossentropy", { kind: "sgd" }, { batchSize: 8 }),
    precision: "f32" as const,
  };
  const text = compileSpecUnformatted(spec, { ...wasm, chunkLimit: 3 }).text;
  it("passes unmutated, and fails on the f32 input gradient when x1 reads W[j][i+1]", async () => {
    // as nnc check does: finite differences on a float64 build, the f32 module compared with it
    const float64Module = await loadModule(compileSpecUnformatted({ ...spec, precision: "f64" }, { ...wasm, chunkLimit: 3 }).text);
    const ok = checkGradients({ spec, module: await loadModule(text), float64Module });
    expect(ok.rows.filter((r) => r.status === "fail").map((r) => r.name)).toEqual([]);
    expect(ok.passed).toBe(true);
    // x1's weight vector load (v128.load align 2, offset 0 → 4): 2 bodies, (2-sample tile, one-by-one
    // tail) × (the 9 inputs: a tail of the f32 tile's 16-input group). The checker compares the f32 module
    // with an f64 build.
    const broken = mutateKernelBytes(text, [0xfd, 0x00, 0x02, 0x00], [0xfd, 0x00, 0x02, 0x04], 2);
    expect(WebAssembly.validate(kernelBytesOf(broken))).toBe(true);
    const report = checkGradients({ spec, module: await loadModule(broken), float64Module });
    expect(report.passed).toBe(false);
    expect(report.rows.filter((r) => r.status === "fail").map((r) => r.name)).toEqual(["f32 input"]);
  });
});

describe("f32 element-wise kernels: vectorised exp, σ and log1p(e^−|z|) within their ulp bounds", () => {
  // The functions the s<p> and o kernels run (src/emit/wasm/elementwise.ts), built by the same code into a
  // test module, against Math.fround of the f64 Math.* result (the oracle: V8's fdlibm, ≤ 1 ulp of f64, then
  // rounded to f32). Error in ulps = the distance between the two f32 results counted in representable
  // f32 values (so a subnormal's ulp is 2^−149 and FLT_MAX is 1 ulp from +Inf); NaN must give NaN.
  // Bounds (measured by scripts/perf-exp-f32.ts over every f32 input with |x| in [2^−26, 105] and every
  // 97th elsewhere): exp ≤ 1, σ ≤ 2, tanh ≤ 2, log1p on [0, 1] ≤ 1, log1p(e^−|z|) ≤ 2.
  const BOUNDS = { exp: 1, sigmoid: 2, tanh: 2, log1p: 1, softplus: 2 } as const;
  const reference = {
    exp: Math.exp,
    sigmoid: (z: number) => 1 / (1 + Math.exp(-z)), // the module's own formula (maths.ts), in f64
    tanh: Math.tanh,
    log1p: Math.log1p,
    softplus: (z: number) => Math.log1p(Math.exp(-Math.abs(z))), // BCE's term (maths.ts)
  };
  type Name = keyof typeof reference;
  const CAPACITY = 1 << 20;
  const bitsOf = (x: number): number => new Int32Array(Float32Array.of(x).buffer)[0]!;
  /** The f32 values in order: −Inf … −0, +0 … +Inf map to consecutive integers (−0 and +0 both to 0). */
  const ordinal = (x: number): number => {
    const b = bitsOf(x);
    return b < 0 ? -(b & 0x7fffffff) : b;
  };
  const ulps = (got: number, want: number): number =>
    Number.isNaN(want) || Number.isNaN(got) ? (Number.isNaN(want) && Number.isNaN(got) ? 0 : Infinity) : Math.abs(ordinal(got) - ordinal(want));

  /** The spacing of f32 values at |x| (2^−149 among the subnormals). */
  const ulpOf = (x: number): number => 2 ** Math.max(-149, Math.floor(Math.log2(Math.abs(x) || 2 ** -149)) - 23);

  function instantiate(bytes: Uint8Array<ArrayBuffer>): { run: (name: Name, xs: Float32Array) => Float32Array } {
    expect(WebAssembly.validate(bytes)).toBe(true);
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as Record<Name, (n: number) => void> & { memory: WebAssembly.Memory };
    const memory = new Float32Array(exports.memory.buffer);
    return {
      run(name, xs) {
        const out = new Float32Array(xs.length);
        for (let at = 0; at < xs.length; at += CAPACITY) {
          const part = xs.subarray(at, at + CAPACITY);
          memory.fill(0, 0, CAPACITY);
          memory.set(part);
          exports[name](Math.ceil(part.length / 4) * 4);
          out.set(memory.subarray(CAPACITY, CAPACITY + part.length), at);
        }
        return out;
      },
    };
  }

  /** Inputs: every `stride`-th f32 bit pattern from `from` to `to` (inclusive), plus ±4 096 neighbours of each edge. */
  function inputs(from: number, to: number, stride: number, edges: number[]): Float32Array {
    const count = Math.floor((to - from) / stride) + 2 + edges.length * 8193;
    const bits = new Int32Array(count);
    let n = 0;
    for (let b = from; b <= to; b += stride) bits[n++] = b;
    bits[n++] = to;
    for (const e of edges) {
      const b = bitsOf(e);
      for (let d = -4096; d <= 4096; d++) bits[n++] = b + d;
    }
    return new Float32Array(bits.buffer, 0, n);
  }
  function concat(...parts: ArrayLike<number>[]): Float32Array {
    const out = new Float32Array(parts.reduce((sum, p) => sum + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  const POSITIVE = [0, 0x7f800000] as const; // +0 … +Inf
  const NEGATIVE = [0x80000000 | 0, 0xff800000 | 0] as const; // −0 … −Inf (ascending bit patterns)
  const EDGES = [
    88.72283935546875, // ln FLT_MAX, rounded to f32: e^x crosses FLT_MAX
    88.8, // the clamp
    -87.33654475, // ln FLT_MIN: results become subnormal
    -103.972077, // e^x = 2^−150: results round to 0 below
    -104, // the clamp
    1.17549435e-38, // FLT_MIN, and the subnormals below
    1e-30,
    0.34657359, // ln2/2: k changes
    -0.34657359,
    0.625, // tanh: polynomial below, exp above
  ];
  const SPECIAL = [
    0,
    -0,
    Infinity,
    -Infinity,
    NaN,
    1e-45,
    -1e-45,
    3.4028234663852886e38,
    -3.4028234663852886e38,
    88.7,
    89,
    104,
    -88.7,
    -104.5,
    -150,
    1e-40,
    -1e-40,
  ];

  function worst(run: (name: Name, xs: Float32Array) => Float32Array, name: Name, xs: Float32Array): { ulps: number; at: number; got: number; want: number } {
    const got = run(name, xs);
    let result = { ulps: 0, at: 0, got: 0, want: 0 };
    for (let k = 0; k < xs.length; k++) {
      const want = Math.fround(reference[name](xs[k]!));
      const e = ulps(got[k]!, want);
      if (e > result.ulps) result = { ulps: e, at: xs[k]!, got: got[k]!, want };
    }
    return result;
  }

  const kernels = instantiate(buildMathKernels(CAPACITY));
  /** Every STRIDE-th bit pattern: ~1.05 million of each sign (the exhaustive run is scripts/perf-exp-f32.ts). */
  const STRIDE = 4091;
  const NAN_PATTERNS = new Float32Array(Int32Array.of(0x7fc00000, 0x7f800001, 0xffc00000 | 0, 0x7fffffff).buffer);

  for (const name of ["exp", "sigmoid", "tanh", "softplus"] as const) {
    it(`${name}: every 4 091st f32 of both signs, the edges' neighbourhoods and the special values within ${BOUNDS[name]} ulp(s); NaN gives NaN`, () => {
      const xs = concat(
        inputs(
          POSITIVE[0],
          POSITIVE[1],
          STRIDE,
          EDGES.map((e) => Math.abs(e)),
        ),
        inputs(
          NEGATIVE[0],
          NEGATIVE[1],
          STRIDE,
          EDGES.map((e) => -Math.abs(e)),
        ),
        SPECIAL,
        NAN_PATTERNS,
      );
      const found = worst(kernels.run, name, xs);
      expect(found.ulps, `${name}(${found.at}) = ${found.got}, want ${found.want}`).toBeLessThanOrEqual(BOUNDS[name]);
      // no NaN from large |z|, saturation as Math.exp rounded to f32
      const edge = kernels.run(name, Float32Array.of(-Infinity, Infinity, -1e30, 1e30, NaN));
      const want = [-Infinity, Infinity, -1e30, 1e30, NaN].map((x) => Math.fround(reference[name](x)));
      expect(Array.from(edge)).toEqual(want);
    });
  }

  it("log1p on [0, 1] (the range e^−|z| takes): every 1 021st f32 and around √2 − 1 and ½ within 1 ulp", () => {
    const xs = inputs(0, bitsOf(1), 1021, [Math.SQRT2 - 1, 0.5, 1e-38]).filter((x) => x >= 0 && x <= 1);
    const found = worst(kernels.run, "log1p", xs);
    expect(found.ulps, `log1p(${found.at}) = ${found.got}, want ${found.want}`).toBeLessThanOrEqual(BOUNDS.log1p);
  });

  it("the bounds are not vacuous: 1-ulp errors occur, and a planted wrong polynomial coefficient is caught", () => {
    const xs = inputs(NEGATIVE[0], NEGATIVE[1], 4093, []);
    expect(worst(kernels.run, "exp", xs).ulps).toBe(1);
    // exp's r⁴ coefficient 1/24 (Cephes 4.1665795894e−2) off by 0.1 % (the planted bug): in the kernel bytes
    // as a v128.const of four equal f32
    const constant = (v: number): number[] => {
      const x = [...new Uint8Array(Float32Array.of(v).buffer)];
      return [0xfd, 0x0c, ...x, ...x, ...x, ...x];
    };
    const good = constant(EXP_COEFFICIENTS[3]!);
    const bad = constant(EXP_COEFFICIENTS[3]! * 1.001);
    const bytes = buildMathKernels(CAPACITY);
    const at: number[] = [];
    for (let i = 0; i + good.length <= bytes.length; i++) if (good.every((b, k) => bytes[i + k] === b)) at.push(i);
    expect(at.length).toBe(4); // exp, sigmoid, tanh and softplus each inline one exp
    for (const i of at) bytes.set(bad, i);
    const broken = instantiate(bytes);
    for (const name of ["exp", "sigmoid", "tanh", "softplus"] as const) {
      expect(worst(broken.run, name, inputs(POSITIVE[0], POSITIVE[1], 4093, [])).ulps, name).toBeGreaterThan(BOUNDS[name]);
    }
    // tanh's own polynomial (|x| < 0.625): its x⁵ coefficient 0.1 % off
    const tanhBytes = buildMathKernels(CAPACITY);
    const tanhAt: number[] = [];
    const tanhGood = constant(TANH_COEFFICIENTS[3]!);
    for (let i = 0; i + tanhGood.length <= tanhBytes.length; i++) if (tanhGood.every((b, k) => tanhBytes[i + k] === b)) tanhAt.push(i);
    expect(tanhAt.length).toBe(1);
    tanhBytes.set(constant(TANH_COEFFICIENTS[3]! * 1.001), tanhAt[0]!);
    expect(worst(instantiate(tanhBytes).run, "tanh", inputs(0, bitsOf(0.625), 4093, [])).ulps).toBeGreaterThan(BOUNDS.tanh);
    expect(worst(kernels.run, "tanh", inputs(0, bitsOf(0.625), 4093, [])).ulps).toBeLessThanOrEqual(BOUNDS.tanh);
  });

  it("tanh through a generated module (one 7 → 7 tanh layer, W = I, b = 0, so z = x): the predictor's h1 within 2 ulps of Math.tanh", async () => {
    const K = 7;
    const spec = { ...makeSpec("tanhlayer", [dense(K, K, "tanh")], "mse", { kind: "sgd" }, { batchSize: 4 }), precision: "f32" as const };
    const compiled = compileSpecUnformatted(spec, { ...wasm, chunkLimit: 5 });
    expect(buildKernels(compiled.plan).functions).toContain("h1");
    const module = await loadModule(compiled.text);
    const params = new Float32Array(K * K + K);
    for (let j = 0; j < K; j++) params[j * K + j] = 1;
    const run = module.createPredictor!(params);
    const xs = Float32Array.from({ length: 7 * 3000 }, (_, k) => (k < EDGES.length ? EDGES[k]! : Math.sin(k) * (k % 3 === 0 ? 60 : 1.5)));
    const problems: string[] = [];
    for (let s = 0; s < xs.length / K; s++) {
      const a = run(xs.subarray(s * K, (s + 1) * K));
      for (let k = 0; k < K; k++) {
        const x = xs[s * K + k]!;
        if (ulps(a[k]!, Math.fround(Math.tanh(x))) > BOUNDS.tanh) problems.push(`tanh(${x}) = ${a[k]}`);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  describe("through a generated module: identity weights make z = x exactly, so σ and the loss are checked element by element", () => {
    // One 7 → 7 sigmoid layer, binary cross-entropy, W = I and b = 0: the f32x4 forward computes z_j = x_j
    // exactly (adding exact zeros), so the predictor returns the s1 kernel's σ(x) and lossAndGradient /
    // evaluate return the o kernel's loss: Σ_s Σ_k (max(z, 0) − y·z + log1p(e^−|z|)) / N, where only the
    // log1p(e^−|z|) term is f32 (≤ 2 ulps each; the rest is f64, as in the module's TS). 7 outputs: a full
    // f32x4 vector and a 3-lane tail; chunks of 5 with N = 2 003 samples (a 3-sample last chunk).
    const K = 7;
    const N = 2003;
    const spec = { ...makeSpec("sigmoidbce", [dense(K, K, "sigmoid")], "binary_crossentropy", { kind: "sgd" }, { batchSize: N }), precision: "f32" as const };
    const text = compileSpecUnformatted(spec, { ...wasm, chunkLimit: 5 }).text;
    const params = new Float32Array(K * K + K);
    for (let j = 0; j < K; j++) params[j * K + j] = 1;
    let seed = 3;
    const rand = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    // z across [−110, 110] (both saturations), and the edges; targets in [0, 1]
    const xs = Float32Array.from({ length: N * K }, (_, k) =>
      k < EDGES.length ? EDGES[k]! : k < 2 * EDGES.length ? -EDGES[k - EDGES.length]! : (rand() * 2 - 1) * (k % 3 === 0 ? 110 : 12),
    );
    const ys = Float32Array.from({ length: N * K }, (_, k) => (k % 4 === 0 ? rand() : k % 4 === 1 ? 1 : 0));

    function check(module: GeneratedModule): string[] {
      const problems: string[] = [];
      const run = module.createPredictor!(params);
      for (let s = 0; s < N; s++) {
        const a = run(xs.subarray(s * K, (s + 1) * K));
        for (let k = 0; k < K; k++) {
          const x = xs[s * K + k]!;
          const want = Math.fround(reference.sigmoid(x));
          if (ulps(a[k]!, want) > BOUNDS.sigmoid) problems.push(`σ(${x}) = ${a[k]}, want ${want}`);
        }
      }
      let exact = 0;
      let bound = 0;
      for (let i = 0; i < N * K; i++) {
        const z = xs[i]!;
        const y = ys[i]!;
        const softplus = Math.fround(reference.softplus(z));
        exact += Math.max(z, 0) - y * z + reference.softplus(z);
        // its f32 term: ≤ 2 ulps from the rounded f64 one, which is ½ ulp from the f64 one
        bound += (BOUNDS.softplus + 0.5) * ulpOf(softplus);
      }
      const grad = new Float32Array(params.length);
      const loss = module.lossAndGradient(params, xs, ys, N, grad);
      const evaluated = module.evaluate(params, xs, ys, N).loss;
      const limit = bound / N + 1e-12 * Math.abs(exact / N);
      for (const [what, got] of [
        ["lossAndGradient", loss],
        ["evaluate", evaluated],
      ] as const) {
        if (!(Math.abs(got - exact / N) <= limit)) problems.push(`${what} loss ${got}, want ${exact / N} ± ${limit}`);
      }
      return problems;
    }

    it("σ of every sample within 2 ulps; the loss (lossAndGradient and evaluate) within the sum of its terms' bounds", async () => {
      expect(check(await loadModule(text)).slice(0, 5)).toEqual([]);
    });

    it("a planted coefficient (exp's r⁴ term off: 0.1 % is caught in σ, 1 % also in the loss, a sum of 14 021 bounded terms)", async () => {
      const constant = (v: number): number[] => {
        const x = [...new Uint8Array(Float32Array.of(v).buffer)];
        return [0xfd, 0x0c, ...x, ...x, ...x, ...x];
      };
      // 3: s1 and o's two bodies (a full vector and the 3-lane tail)
      const slightly = check(await loadModule(mutateKernelBytes(text, constant(EXP_COEFFICIENTS[3]!), constant(EXP_COEFFICIENTS[3]! * 1.001), 3)));
      expect(slightly.some((p) => p.startsWith("σ"))).toBe(true);
      const problems = check(await loadModule(mutateKernelBytes(text, constant(EXP_COEFFICIENTS[3]!), constant(EXP_COEFFICIENTS[3]! * 1.01), 3)));
      expect(problems.some((p) => p.startsWith("σ"))).toBe(true);
      expect(problems.some((p) => p.startsWith("lossAndGradient loss"))).toBe(true);
      expect(problems.some((p) => p.startsWith("evaluate loss"))).toBe(true);
    });

    it("f64 modules do not use the element-wise kernels (their σ and loss stay the interpreter's TS)", () => {
      for (const s of [{ ...spec, precision: "f64" as const }, lettersSpec()]) {
        const { functions } = buildKernels(planSpec(s, wasm));
        expect(functions.filter((f) => /^(s\d+|h\d+|o)$/.test(f))).toEqual([]);
      }
      const f32 = buildKernels(planSpec({ ...lettersSpec(), precision: "f32" }, wasm)).functions;
      expect(f32.filter((f) => /^(s\d+|h\d+|o)$/.test(f))).toEqual(["s1", "s2", "o"]);
    });
  });
});
