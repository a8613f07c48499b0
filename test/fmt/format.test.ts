// The formatter: exact layouts for hand-written cases, and two properties over the shipped specs, every
// ```nn block of docs/language.md and 2,000 random messy sources (94 % of them valid specs) (test/fmt/random-source.ts):
//   1. meaning is kept: parseSpec(fmt(x)) gives the same IR as parseSpec(x) (ranges and sourceHash aside),
//      or, for a spec with semantic errors, the same diagnostic codes;
//   2. fmt is idempotent: fmt(fmt(x)) === fmt(x).
// Plus: comments survive (every comment text of x is in fmt(x)), and syntax errors are refused.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSpec } from "../../src/front/index.js";
import { formatSpec } from "../../src/fmt/index.js";
import { optionOrder } from "../../src/fmt/layout.js";
import { randomSource } from "./random-source.js";
import { parseSyntax } from "../../src/front/syntax.js";

const root = join(import.meta.dirname, "../..");
const specFiles = readdirSync(join(root, "specs")).filter((f) => f.endsWith(".nn"));
const docBlocks = [...readFileSync(join(root, "docs/language.md"), "utf8").matchAll(/```nn\n([\s\S]*?)```/g)].map((m) => m[1]!);

function fmt(source: string): string {
  const r = formatSpec(source, "t.nn");
  if (!r.ok) throw new Error(`refused: ${r.diagnostics.map((d) => d.message).join("; ")}\n${source}`);
  return r.text;
}

/** The IR without source positions and without the hash of the text (which formatting changes by design). */
function meaning(source: string): unknown {
  const { spec, diagnostics } = parseSpec(source, "t.nn");
  if (spec === null)
    return {
      errors: diagnostics
        .filter((d) => d.severity === "error")
        .map((d) => d.code)
        .sort(),
    };
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => k !== "range" && k !== "sourceHash")
          .map(([k, x]) => [k, strip(x)]),
      );
    }
    return v;
  };
  return { spec: strip(spec), warnings: diagnostics.map((d) => d.code).sort() };
}

const commentsOf = (source: string) => [...source.matchAll(/#[^\r\n]*/g)].map((m) => m[0].trimEnd());

function checkProperties(source: string): void {
  const once = fmt(source);
  expect(meaning(once)).toEqual(meaning(source));
  expect(fmt(once)).toBe(once);
  for (const c of commentsOf(source)) expect(once).toContain(c);
  expect(once).not.toMatch(/\n\n\n|^\n|\n\n$|\r|[ \t]\n/);
  expect(once.replace(/#[^\n]*/g, "")).not.toContain(";");
}

describe("formatSpec layout", () => {
  it("splits `;` joins, collapses spacing, orders options, keeps comments", () => {
    const source = [
      "  # header comment   ",
      "",
      "",
      "",
      "sgd  shuffle epochs = 3\tlr=1e-2 ;layer fc 2 -> 4 leaky_relu ( 0.1 ) # trailing",
      "let H=4;sweep H=1,2 ,3",
      "row 1,-2.5->0 ;; stop loss<0.1",
      'data npy "x \\"1\\".npy"   scale=0.5 labels="y.npy"',
      "",
    ].join("\r\n");
    expect(fmt(source)).toBe(
      [
        "# header comment",
        "",
        "sgd lr=1e-2 epochs=3 shuffle",
        "layer fc 2->4 leaky_relu(0.1) # trailing",
        "let H = 4",
        "sweep H = 1, 2, 3",
        "row 1, -2.5 -> 0",
        "stop loss < 0.1",
        'data npy "x \\"1\\".npy" labels="y.npy" scale=0.5',
        "",
      ].join("\n"),
    );
  });

  it("prints numbers as written and leaves canonical text unchanged", () => {
    const canonical = "layer fc 2->1 sigmoid\nadam lr=1e-3 epochs=2 batch=8 beta1=.9 eps=1E-8\n";
    const r = formatSpec(canonical, "t.nn");
    expect(r).toEqual({ ok: true, text: canonical, changed: false });
  });

  it("formats an empty or comment-free blank file to nothing, and adds the final newline", () => {
    expect(fmt("")).toBe("");
    expect(fmt("\n\n  \n;;\n")).toBe("");
    expect(fmt("loss mse")).toBe("loss mse\n");
  });

  it("keeps unknown statements and unknown options (errors for nnc parse) instead of dropping them", () => {
    expect(fmt("frobnicate  a ,b\nsgd zap=1 lr=2 bogus")).toBe("frobnicate  a ,b\nsgd lr=2 zap=1 bogus\n");
  });

  it("refuses a spec with a syntax error, returning its diagnostics", () => {
    for (const bad of ["layer fc 2->\n", 'data npy "x.npy\n', "sgd lr=1 @\n", "stop loss < <\n"]) {
      const r = formatSpec(bad, "bad.nn");
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining([expect.stringMatching(/^NN00[123]$/)]));
    }
  });

  it("prints dims as written and a layer's activations right after its sizes, settings after", () => {
    const sketch = [
      "input 1x17x17  # channels × height × width",
      "layer conv 6 kernel=5   relu",
      "layer conv F kernel = 3x5 stride=1x2 leaky_relu(0.1) padding=same",
      "layer maxpool 2",
      "layer avgpool 2x3 stride=1",
      "layer flatten",
      "layer fc 216 -> 26 softmax",
      "layer fc 26 softmax",
      "layer fc 2 kernel=1 relu tanh",
      "",
    ].join("\n");
    const once = fmt(sketch);
    expect(once.split("\n").slice(0, 9)).toEqual([
      "input 1x17x17 # channels × height × width",
      "layer conv 6 relu kernel=5",
      "layer conv F leaky_relu(0.1) kernel=3x5 stride=1x2 padding=same",
      "layer maxpool 2",
      "layer avgpool 2x3 stride=1",
      "layer flatten",
      "layer fc 216->26 softmax",
      "layer fc 26 softmax",
      "layer fc 2 relu tanh kernel=1",
    ]);
    expect(fmt(once)).toBe(once);
  });

  it("keeps an unknown activation after the settings in a layer without sizes, where it would be read as a size", () => {
    // `layer dropout relux p=0.5` would make `relux` the size: that activation stays last; a known word moves.
    const source = "layer dropout p=0.5 relux\nlayer dropout tanh(2) p=0.5 relu\nlayer dropout p=0.5 relu\n";
    expect(fmt(source)).toBe("layer dropout p=0.5 relux\nlayer dropout tanh(2) relu p=0.5\nlayer dropout relu p=0.5\n");
    for (const line of fmt(source).trim().split("\n")) {
      const [statement] = parseSyntax(line, "t.nn").statements;
      expect(statement!.from).toBeNull();
      expect(statement!.activations.length).toBeGreaterThan(0);
    }
  });

  it("orders options as the schema lists them", () => {
    expect(optionOrder("adam", null)).toEqual(["lr", "epochs", "batch", "shuffle", "l2", "seed", "beta1", "beta2", "eps"]);
    expect(optionOrder("data", "npy")).toEqual(["labels", "scale"]);
    expect(optionOrder("test", "npy")).toEqual(["labels"]);
    expect(optionOrder("stop", "early")).toEqual(["monitor", "patience", "min_delta"]);
    expect(optionOrder("loss", "mse")).toEqual([]);
  });
});

describe("formatter properties", () => {
  it.each(specFiles)("specs/%s is already canonical", (file) => {
    const source = readFileSync(join(root, "specs", file), "utf8");
    expect(formatSpec(source, file)).toEqual({ ok: true, text: source, changed: false });
  });

  it.each(docBlocks.map((b, i) => [i, b] as const))("docs/language.md nn block %i keeps its meaning and is idempotent", (_i, block) => {
    checkProperties(block);
  });

  it("2,000 random messy specs keep their meaning, are idempotent and keep every comment", () => {
    let valid = 0;
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        const source = randomSource(seed);
        if (parseSpec(source, "t.nn").spec !== null) valid++;
        checkProperties(source);
      }),
      { numRuns: 2000, seed: 42 },
    );
    // The property is only as strong as its inputs: most of them must be specs with an IR to compare.
    expect(valid).toBeGreaterThan(1600);
  });
});
