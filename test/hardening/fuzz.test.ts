// The front end under hostile input, in `npm test`: 4,000 generated cases (mutated specs — token shuffles,
// statement swaps, truncations, splices, huge numbers, blown-up sizes, statements repeated hundreds of
// times, very long lines, odd line endings, control and bidi characters — and random text) each go
// through parse → validate → limits → plan and end in a consistent plan or positioned diagnostics (see
// checkCase). With test/front/fuzz.test.ts (10,500 cases, parseSpec — which now plans every valid spec to
// check its limits) that is 14,500 cases; `npm run fuzz` (scripts/fuzz.ts) runs 100,000 and times each.
// Big specs (1 MB) must parse completely; their timings are printed, and asserted only in `npm run fuzz`.
// Issue 21's other hostile inputs (test/hardening/module-fuzz.ts): bad calls of two generated modules (f64
// and f32/wasm) always throw a TypeError/RangeError naming the function; hostile weights documents are
// refused with a `weights:` Error (or, where still valid, loaded exactly); random escapes in spec strings
// give NN018 at each unknown one's backslash.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { GeneratedModule } from "../../src/module-api.js";
import { parseSpec } from "../../src/front/index.js";
import { anySpecText, bigSpecs, checkCase } from "./spec-fuzz.js";
import { badCalls, checkBadCall, checkEscapes, checkWeights, escapeCases, fuzzModules, hostileWeights } from "./module-fuzz.js";
import { formatSpec } from "../../src/fmt/index.js";

describe("front-end fuzz: parse → validate → limits → plan", () => {
  it("4,000 hostile specs end in a plan or positioned diagnostics", () => {
    let valid = 0;
    let slowest = 0;
    fc.assert(
      fc.property(anySpecText, (source) => {
        const t0 = performance.now();
        if (checkCase(source).valid) valid++;
        slowest = Math.max(slowest, performance.now() - t0);
      }),
      { numRuns: 4000, seed: 8_2026 },
    );
    console.log(`fuzz: 4000 cases, ${valid} valid specs, slowest case ${slowest.toFixed(1)} ms`);
    expect(valid).toBeGreaterThan(100); // the valid path (plan) is really exercised
  });

  it("Object.prototype names in every word position are plain unknown words (`init constructor` was an internal error)", () => {
    const keys = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "prototype", "__defineGetter__", "isPrototypeOf"];
    const templates = [
      "init K",
      "init K seed=1",
      "layer K 2->1",
      "layer fc 2->1 K",
      "loss K",
      "schedule K",
      "data K",
      "data planar K=1",
      "normalize K",
      "precision K",
      "stop K<1",
      "sgd K=1",
      "adam K=1",
      "model K",
      "let K = 2",
      "K",
    ];
    for (const key of keys) {
      for (const t of templates) {
        const source = `layer fc 2->1 sigmoid\nloss crossentropy\ndata planar\n${t.replace("K", key)}\n`;
        const outcome = checkCase(source); // throws on NN099 or a malformed diagnostic
        if (outcome.valid) expect(t.startsWith("model") || t.startsWith("let"), `${t} with ${key} accepted`).toBe(true);
      }
    }
  });

  it("1 MB specs of every kind format completely (nnc fmt); a valid one's output is its own format", () => {
    for (const [kind, source] of Object.entries(bigSpecs(1_000_000))) {
      const result = formatSpec(source, "big.nn");
      if (!result.ok) continue;
      const again = formatSpec(result.text, "big.nn");
      expect(again.ok && again.text === result.text, kind).toBe(true);
    }
  });

  it("1 MB specs of every kind parse completely (times reported, not asserted here)", () => {
    const lines: string[] = [];
    for (const [kind, source] of Object.entries(bigSpecs(1_000_000))) {
      const t0 = performance.now();
      const { spec, diagnostics } = parseSpec(source, "big.nn");
      const ms = performance.now() - t0;
      lines.push(`${kind}: ${(source.length / 1e6).toFixed(2)} MB in ${ms.toFixed(0)} ms`);
      checkCase(source);
      if (kind.endsWith("(valid)")) expect(spec, kind).not.toBeNull();
      else expect(diagnostics.length, kind).toBeGreaterThan(0);
      if (kind.startsWith("layers")) expect(diagnostics.map((d) => d.code)).toContain("NN051");
      const code = /\((NN\d{3})\)$/.exec(kind)?.[1];
      if (code)
        expect(
          diagnostics.map((d) => d.code),
          kind,
        ).toContain(code);
    }
    console.log(lines.join("\n"));
  }, 300_000); // 12 kinds, each parsed twice and its diagnostics formatted: ~15 s idle, several times that under a loaded full run
});

describe("generated-module fuzz: bad calls and hostile weights (issue 21)", () => {
  let modules: { label: string; module: GeneratedModule }[] = [];
  beforeAll(async () => {
    modules = await fuzzModules();
  }, 60_000);

  it("1,500 bad calls per module: each a TypeError or RangeError naming the function, none returns", async () => {
    for (const { label, module } of modules) {
      let calls = 0;
      await fc.assert(
        fc.asyncProperty(badCalls(module), async (call) => {
          calls++;
          await checkBadCall(call);
        }),
        { numRuns: 1500, seed: 21_2026 },
      );
      expect(calls, label).toBe(1500);
    }
  }, 60_000);

  it("800 hostile weights documents per module: refused with a `weights:` Error, or loaded exactly where still valid", () => {
    for (const { label, module } of modules) {
      let refused = 0;
      fc.assert(
        fc.property(hostileWeights(module), (c) => {
          try {
            module.loadWeights(JSON.parse(c.text));
          } catch {
            refused++;
          }
          checkWeights(module, c);
        }),
        { numRuns: 800, seed: 21_2027 },
      );
      // Most changes break the document (the property holds either way; this shows they were tried).
      expect(refused, label).toBeGreaterThan(500);
    }
  }, 60_000);
});

describe("escape fuzz: random escapes in spec strings (issue 21)", () => {
  it("3,000 strings of text, known and unknown escapes: NN018 at each unknown backslash, the rest unescaped", () => {
    let withUnknown = 0;
    fc.assert(
      fc.property(escapeCases, (c) => {
        if (c.unknown.length > 0) withUnknown++;
        checkEscapes(c);
      }),
      { numRuns: 3000, seed: 21_2028 },
    );
    expect(withUnknown).toBeGreaterThan(500);
    expect(withUnknown).toBeLessThan(3000);
  });
});
