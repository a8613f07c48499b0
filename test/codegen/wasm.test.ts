// The WebAssembly SIMD kernel path of the blocked batch shape (src/emit/wasm/): the encoder's bytes validate,
// random f64 and f32 specs forced through the kernels agree with the reference interpreter (1e-12 relative
// for f64, compareModules' f32 tolerances) and bit for bit (tolerance 0) with the TS blocked path, a module loaded where WebAssembly is missing falls back to
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
import { compareModules, formatMismatches } from "../support/differential.js";
import { randomSpec } from "../support/random-spec.js";
import { kernelBytesOf, mutateKernelBytes } from "../support/kernel-bytes.js";
import { dense, lettersSpec, makeSpec } from "./specs.js";
import type { GeneratedModule } from "../../src/module-api.js";

const fashionSpec = makeSpec(
  "fashion",
  [dense(784, 128, "relu"), dense(128, 10, "softmax")],
  "categorical_crossentropy",
  { kind: "sgd" },
  { batchSize: 64 },
);
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
    return await loadModule(
      `${text}\nexport const loadedWithoutWebAssembly = ${++distinct};\n`,
    );
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
    const specs = [
      lettersSpec(),
      fashionSpec,
      ...Array.from({ length: 12 }, (_, k) =>
        randomSpec(100 + k, { dropout: false }),
      ),
    ];
    for (const spec of specs) {
      for (const precision of ["f64", "f32"] as const) {
        const plan = planSpec(spec, { ...wasm, precision });
        const { bytes, layout } = buildKernels(plan);
        expect(WebAssembly.validate(bytes)).toBe(true);
        const end = Math.max(
          ...[...layout.offsets].map(
            ([name, at]) =>
              at + layout.elementBytes.get(name)! * layout.sizes.get(name)!,
          ),
        );
        expect(layout.pages * 65536).toBeGreaterThanOrEqual(end + 16);
      }
    }
  });
});

describe("plan: the kernel decision", () => {
  it("blocked nets (f64 and f32) get the wasm kernels, per-sample keeps TS; the option forces each", () => {
    expect(planSpec(lettersSpec()).batch.kernel.kind).toBe("wasm");
    expect(
      planSpec(lettersSpec(), { precision: "f32" }).batch.kernel.kind,
    ).toBe("wasm");
    expect(planSpec(lettersSpec(), { kernel: "ts" }).batch.kernel).toEqual({
      kind: "ts",
      reason: "forced by the kernel option",
    });
    expect(
      planSpec(lettersSpec(), { batchShape: "per-sample" }).batch.kernel.kind,
    ).toBe("ts");
    expect(
      compileSpecUnformatted(lettersSpec(), { kernel: "ts" }).text,
    ).not.toContain("KERNEL_BYTES");
  });
  it("kernel layout: regions do not overlap (f64, and f32 with its f64 staging rows)", () => {
    for (const precision of ["f64", "f32"] as const) {
      const layout = kernelLayout(planSpec(fashionSpec, { precision }));
      const regions = [...layout.offsets]
        .map(
          ([name, at]) =>
            [
              at,
              at + layout.elementBytes.get(name)! * layout.sizes.get(name)!,
            ] as const,
        )
        .sort((a, b) => a[0] - b[0]);
      for (let k = 1; k < regions.length; k++)
        expect(regions[k]![0]).toBeGreaterThanOrEqual(regions[k - 1]![1]);
    }
  });
});

describe("wasm kernels = interpreter, and = TS blocked bit for bit", () => {
  // f64 and f32 alternately: an f32 module stores f32 and computes in f64x2 exactly as its TS code does, so
  // it too equals the TS blocked path bit for bit (and the interpreter within compareModules' f32 tolerance).
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
      expect(
        formatMismatches(
          compareModules(kernels, interpret(spec), spec, { seed, samples: 9 }),
        ),
      ).toBe("");
      const ts = await loadModule(
        compileSpecUnformatted(spec, { ...options, kernel: "ts" }).text,
      );
      expect(
        formatMismatches(
          compareModules(kernels, ts, spec, {
            seed,
            samples: 9,
            tolerance: 0,
            trainTolerance: 0,
          }),
        ),
      ).toBe("");
    });
  }

  it("letters (289-20-26) and Fashion (784-128-10) shapes, f64 and f32, the plan's own choice, bit for bit with TS blocked", async () => {
    for (const spec of [
      lettersSpec(),
      fashionSpec,
      { ...lettersSpec(), precision: "f32" as const },
      { ...fashionSpec, precision: "f32" as const },
    ]) {
      const compiled = compileSpecUnformatted(spec);
      expect(compiled.plan.batch.kernel.kind).toBe("wasm");
      const kernels = await loadModule(compiled.text);
      const ts = await loadModule(
        compileSpecUnformatted(spec, { kernel: "ts" }).text,
      );
      expect(
        formatMismatches(
          compareModules(kernels, ts, spec, {
            samples: 9,
            trainSamples: 6,
            epochs: 1,
            tolerance: 0,
            trainTolerance: 0,
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

describe("fallback without WebAssembly", () => {
  const spec = makeSpec(
    "fallback",
    [dense(9, 6, "sigmoid"), dense(6, 3, "softmax")],
    "categorical_crossentropy",
    { kind: "sgd" },
    { batchSize: 8 },
  );
  const text = compileSpecUnformatted(spec, { ...wasm, chunkLimit: 3 }).text;
  // the planted bug: x1 reads W[j][i+1] (its weight loads at offset 0 moved to 8): 4 bodies, (4-sample tile,
  // one-by-one tail) × (full 4-input group, 1-input tail)
  const broken = mutateKernelBytes(
    text,
    [0xfd, 0x00, 0x03, 0x00],
    [0xfd, 0x00, 0x03, 0x08],
    4,
  );

  it("the module still matches the interpreter", async () => {
    const module = await loadWithoutWebAssembly(text);
    expect(
      formatMismatches(
        compareModules(module, interpret(spec), spec, { samples: 7 }),
      ),
    ).toBe("");
  });
  it("the kernels run when WebAssembly exists, and are bypassed when it does not", async () => {
    expect(WebAssembly.validate(kernelBytesOf(broken))).toBe(true);
    const withWasm = checkGradients({ spec, module: await loadModule(broken) });
    expect(
      withWasm.rows.filter((r) => r.status === "fail").map((r) => r.name),
    ).toEqual(["input"]);
    const without = checkGradients({
      spec,
      module: await loadWithoutWebAssembly(broken),
    });
    expect(
      without.rows
        .filter((r) => r.status !== "pass")
        .map((r) => `${r.name} ${r.status}`),
    ).toEqual([]);
    expect(without.passed).toBe(true);
  });
});
