// Resource limits (src/limits.ts): sizes that would exhaust memory, modules too large to emit, built-in data
// sets too large to generate, and model names too long for a file name are refused by parseSpec with a
// positioned diagnostic giving the estimate and the limit — before anything is allocated.
import { describe, expect, it } from "vitest";
import { parseSpec } from "../../src/front/index.js";
import { compileSpecUnformatted } from "../../src/compile.js";
import { checkLimits, estimateModuleBytes, estimateModuleBytesOfSpec, formatBytes, LIMITS, limitCodes } from "../../src/limits.js";
import { parseSyntax } from "../../src/front/syntax.js";
import { lower } from "../../src/front/lower.js";
import { planSpec } from "../../src/plan.js";
import { readFileSync } from "node:fs";

function only(source: string, code: string) {
  const { spec, diagnostics } = parseSpec(source, "big.nn");
  expect(spec).toBeNull();
  const errors = diagnostics.filter((d) => d.severity === "error");
  expect(errors.map((d) => d.code)).toEqual([code]);
  return errors[0]!;
}

describe("memory limit (NN050)", () => {
  it("refuses fc 100000->100000 (10^10 parameters), pointing at the layer, with estimate and limit", () => {
    const source = "model huge\nlayer fc 2->100000 tanh\nlayer fc 100000->100000 sigmoid\nloss mse\n";
    const d = only(source, "NN050");
    expect([d.range.startLine, d.range.startColumn]).toEqual([3, 1]);
    expect(d.message).toContain("10,000,400,000 parameters"); // 2·10^5 + 10^5 (layer 1) + 10^10 + 10^5 (layer 2)
    expect(d.message).toContain("limit of 4.00 GiB");
    // The estimate is the plan's total, and at least values + gradient + 2 training snapshots (4 × 8 bytes each).
    const gib = Number(/about ([\d.]+) GiB/.exec(d.message)![1]);
    expect(gib * 1024 ** 3).toBeGreaterThanOrEqual(0.995 * 10_000_400_000 * 8 * 4);
  });

  it("counts optimiser slots: Adam adds exactly two parameter-sized slots to SGD's estimate", () => {
    const net = "layer fc 10000->5000 sigmoid\n";
    const sgd = planSpec(parseSpec(`${net}sgd lr=0.1\n`, "a.nn").spec!).memory;
    const adamSpec = parseSpec(`${net}adam lr=0.1\nprecision f32\n`, "a.nn").spec!;
    const adam = planSpec({ ...adamSpec, precision: "f64" }).memory;
    expect(adam.total - sgd.total).toBe(2 * 50_005_000 * 8);
    // and a spec is refused exactly when its estimate is over the limit
    for (const [source, total] of [
      [`${net}sgd lr=0.1\n`, sgd.total],
      [`${net}adam lr=0.1\n`, adam.total],
    ] as const) {
      const codes = parseSpec(source, "a.nn").diagnostics.map((x) => x.code);
      expect(codes.includes("NN050")).toBe(total > LIMITS.moduleMemoryBytes);
    }
  });

  it("refuses a batch whose buffers alone exceed the limit, pointing at the training statement", () => {
    const d = only("layer fc 2->3 tanh\nlayer fc 3->1 sigmoid\nsgd lr=0.1 batch=1000000000\n", "NN050");
    expect(d.range.startLine).toBe(3);
    expect(d.hint).toMatch(/batch/);
  });

  it("refuses sizes beyond 2^53 instead of planning with imprecise numbers", () => {
    only("layer fc 99999999999999999999->1 sigmoid\n", "NN050");
  });

  it("accepts the largest shipped spec and reports nothing for it", () => {
    const source = readFileSync("specs/fashion.nn", "utf8");
    const { spec } = parseSpec(source, "specs/fashion.nn");
    expect(spec).not.toBeNull();
    expect(checkLimits(spec!, source)).toEqual([]);
  });
});

describe("module size limit (NN051)", () => {
  const chain = (n: number) => "model chain\n" + Array.from({ length: n }, () => "layer fc 4->4 tanh").join("\n") + "\nloss mse\nsgd lr=0.1\n";

  it("refuses 2,000 layers (an estimated 7.9 MB module) at the last layer", () => {
    const d = only(chain(2000), "NN051");
    expect(d.range.startLine).toBe(2001);
    expect(d.message).toMatch(/about 7\.\d+ MB of source \(2000 layers\).*limit of 4\.00 MB/);
  });

  it("the estimate is within 30% of the real unformatted size (chains of 1–50 layers, widths 4–300, and specs/)", () => {
    const wide = (n: number, w: number) => "model wide\n" + Array.from({ length: n }, () => `layer fc ${w}->${w} tanh`).join("\n") + "\nloss mse\nsgd lr=0.1\n";
    const sources = [
      chain(1),
      chain(10),
      chain(50),
      wide(10, 22),
      wide(10, 100),
      wide(3, 300),
      readFileSync("specs/square.nn", "utf8"),
      readFileSync("specs/letters.nn", "utf8"),
      readFileSync("specs/fashion.nn", "utf8"),
    ];
    sources.push(
      "model w\n" + Array.from({ length: 5 }, () => "layer fc 22->22 tanh").join("\n") + "\nlayer dropout p=0.5\nlayer fc 22->3 softmax\nloss crossentropy\n",
    );
    for (const source of sources) {
      const { spec } = parseSpec(source, "x.nn");
      const compiled = compileSpecUnformatted(spec!);
      const estimate = estimateModuleBytes(compiled.plan);
      const ratio = estimate / compiled.text.length;
      expect(ratio, `estimate ${estimate} vs real ${compiled.text.length}`).toBeGreaterThan(0.7);
      expect(ratio, `estimate ${estimate} vs real ${compiled.text.length}`).toBeLessThan(1.3);
    }
  });
});

describe("module size limit without a plan (checkLimits' shortcut for thousands of layers)", () => {
  // A seeded mix of dense and dropout layers of widths around UNROLL_LIMIT's thresholds, f32/f64, batches.
  function randomSpec(seed: number, layers: number, widths = [1, 2, 4, 16, 22, 23, 256, 300, 4000]): string {
    let x = seed;
    const next = (n: number) => ((x = (x * 1103515245 + 12345) % 2 ** 31), x % n);
    let w = widths[next(widths.length)]!;
    const lines = [`model r${seed}`];
    for (let i = 0; i < layers; i++) {
      if (i > 0 && i < layers - 1 && next(5) === 0 && !lines.at(-1)!.includes("dropout")) lines.push("layer dropout p=0.5");
      else {
        const out = widths[next(widths.length)]!;
        lines.push(`layer fc ${w}->${out} tanh`);
        w = out;
      }
    }
    lines.push("loss mse", `${["sgd", "adam", "momentum"][next(3)]} lr=0.1 batch=${[1, 32, 100000, 3000000][next(4)]}`);
    if (next(2) === 0) lines.push("precision f32");
    return lines.join("\n") + "\n";
  }

  it("estimates from the spec exactly what planSpec's plan gives (specs/ and 300 random nets)", () => {
    const sources = ["fashion", "letters", "square", "planar", "gender"].map((n) => readFileSync(`specs/${n}.nn`, "utf8"));
    for (let seed = 1; seed <= 300; seed++) sources.push(randomSpec(seed, 1 + (seed % 12)));
    let checked = 0;
    for (const source of sources) {
      const { spec } = parseSpec(source.replace(/batch=\d+/, "batch=32"), "x.nn");
      if (!spec) continue;
      expect(estimateModuleBytesOfSpec(spec), source).toBe(estimateModuleBytes(planSpec(spec)));
      checked++;
    }
    expect(checked).toBeGreaterThan(250);
  });

  it("reports what planning reports: NN051 with the plan's estimate, or NN050 when the memory is over too", () => {
    const counts = { NN050: 0, NN051: 0 };
    for (let seed = 1; seed <= 12; seed++) {
      const source = randomSpec(seed, 1700 + seed * 10, seed <= 8 ? [1, 2, 4, 16, 22, 23] : undefined);
      const syntax = parseSyntax(source, "x.nn");
      const { spec } = lower({ statements: syntax.statements, fileName: "x.nn", sourceHash: "", overrides: {} });
      // The reference: plan the whole net and apply the two limits in order.
      const plan = planSpec(spec);
      const expected = plan.memory.total > LIMITS.moduleMemoryBytes ? "NN050" : estimateModuleBytes(plan) > LIMITS.moduleTextBytes ? "NN051" : null;
      const got = checkLimits(spec, source);
      expect(
        got.map((d) => d.code),
        source.slice(0, 200),
      ).toEqual(expected ? [expected] : []);
      if (expected === "NN051") expect(got[0]!.message).toContain(`about ${formatBytes(estimateModuleBytes(plan))} of source (${spec.layers.length} layers)`);
      if (expected) counts[expected]++;
    }
    // Both branches are taken by these seeds (huge batches or widths push some over the memory limit).
    expect(counts.NN050).toBeGreaterThan(0);
    expect(counts.NN051).toBeGreaterThan(0);
  });
});

describe("built-in data and name limits (NN052, NN053)", () => {
  it("refuses a built-in generator asked for 10^9 points", () => {
    const d = only("layer fc 2->1 sigmoid\nloss crossentropy\ndata planar n=1000000000\n", "NN052");
    expect(d.range.startLine).toBe(3);
    expect(d.message).toContain("limit of 1.00 GiB");
  });

  it(`refuses a model name longer than ${LIMITS.nameLength} characters, pointing at the name`, () => {
    const d = only(`model ${"a".repeat(LIMITS.nameLength + 1)}\nlayer fc 2->1\n`, "NN053");
    expect([d.range.startLine, d.range.startColumn, d.range.endColumn]).toEqual([1, 7, 7 + LIMITS.nameLength]);
    expect(parseSpec(`model ${"a".repeat(LIMITS.nameLength)}\nlayer fc 2->1\n`, "x.nn").spec).not.toBeNull();
  });

  it("every limit code is documented in docs/language.md", () => {
    const doc = readFileSync("docs/language.md", "utf8");
    expect(limitCodes.map((c) => c.code).filter((c) => !doc.includes(`| ${c} |`))).toEqual([]);
  });
});
