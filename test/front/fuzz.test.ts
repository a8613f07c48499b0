// Property test: parseSpec is total. Random text, random unicode and control characters, and mutations of
// the real specs (token shuffles, truncations, deletions, insertions, huge numbers, repeated statements)
// never make it throw, never hit the internal-error code, and every diagnostic's range lies inside the
// source with line/column matching its offset. 10,000+ cases in all.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDiagnostics, parseSpec } from "../../src/front/index.js";
import { lineAndColumn } from "../../src/front/ranges.js";

const specDir = join(import.meta.dirname, "../../specs");
const seeds = readdirSync(specDir)
  .filter((f) => f.endsWith(".nn"))
  .map((f) => readFileSync(join(specDir, f), "utf8"));
seeds.push("layer fc 289->20 sigmoid; loss crossentropy; sgd lr=1 epochs=20");
// Image layers: dims, lone sizes, the activation before or after the settings.
seeds.push(
  "input 1x17x17\nlayer conv 6 kernel=5 relu\nlayer maxpool 2\nlayer flatten\nlayer fc 216->26 softmax\nloss crossentropy\n",
  "input 3x8x8\nlayer conv 4 relu kernel=3x3 stride=1x1 padding=same\nlayer avgpool 2 stride=1\nlayer dropout p=0.1\nlayer conv 2 kernel=2 padding=1x0 tanh\nlayer fc 5 sigmoid\n",
);

const pieces = [
  "layer",
  "fc",
  "dropout",
  "->",
  "=",
  ",",
  ";",
  "\n",
  "(",
  ")",
  "<",
  "<=",
  ">",
  ">=",
  '"',
  '"x.npy"',
  "#",
  "sgd",
  "adam",
  "lr",
  "epochs",
  "shuffle",
  "let",
  "H",
  "sweep",
  "row",
  "stop",
  "loss",
  "mse",
  "crossentropy",
  "softmax",
  "leaky_relu",
  "data",
  "test",
  "inline",
  "planar",
  "npy",
  "split",
  "normalize",
  "zero-mean",
  "-3",
  "0",
  "1",
  "2",
  "1e999",
  "-1e999",
  "9".repeat(400),
  "0.5",
  ".5",
  "1e-3",
  "NaN",
  "Infinity",
  "\r\n",
  "\t",
  "\u0000",
  "\u202e",
  "é",
  "😀",
  "\\",
  "input",
  "conv",
  "maxpool",
  "avgpool",
  "flatten",
  "kernel=",
  "stride=",
  "padding=",
  "same",
  "1x17x17",
  "3x5",
  "0x0",
  "2x2x2",
  "1x" + "9".repeat(400),
];

/** Throws (failing the property) unless every diagnostic points inside the source with matching line/column. */
function assertWellFormed(source: string): void {
  const fail = (why: string, d?: unknown) => {
    throw new Error(`${why}: ${JSON.stringify(d)} for ${JSON.stringify(source)}`);
  };
  const { spec, diagnostics } = parseSpec(source, "fuzz.nn");
  const hasError = diagnostics.some((d) => d.severity === "error");
  if ((spec === null) !== hasError) fail("spec must be null exactly when there is an error");
  const last = Math.max(0, source.length - 1);
  for (const d of diagnostics) {
    if (!/^NN0\d\d$/.test(d.code) || d.code === "NN099") fail("bad or internal code", d);
    const r = d.range;
    if (!(r.startOffset >= 0 && r.endOffset >= r.startOffset && r.endOffset <= last)) fail("range out of bounds", d);
    const start = lineAndColumn(source, r.startOffset);
    const end = lineAndColumn(source, r.endOffset);
    if (start.line !== r.startLine || start.column !== r.startColumn) fail("start line/column disagree with offset", d);
    if (end.line !== r.endLine || end.column !== r.endColumn) fail("end line/column disagree with offset", d);
  }
  // Formatting must not throw either.
  formatDiagnostics(diagnostics, source, { color: true });
}

const seed = fc.constantFrom(...seeds);
const words = (s: string) => s.split(/(\s+)/);

const mutation: fc.Arbitrary<string> = fc.oneof(
  // shuffle tokens of a real spec
  fc.tuple(seed, fc.integer()).map(([s, k]) => {
    const w = words(s);
    for (let i = w.length - 1; i > 0; i--) {
      const j = Math.abs((k * (i + 7)) ^ (i * 2654435761)) % (i + 1);
      [w[i], w[j]] = [w[j]!, w[i]!];
    }
    return w.join("");
  }),
  // truncate anywhere
  fc.tuple(seed, fc.nat()).map(([s, n]) => s.slice(0, n % (s.length + 1))),
  // delete a slice
  fc.tuple(seed, fc.nat(), fc.nat({ max: 40 })).map(([s, at, len]) => {
    const i = at % (s.length + 1);
    return s.slice(0, i) + s.slice(i + len);
  }),
  // insert pieces or random unicode at random places
  fc
    .tuple(
      seed,
      fc.array(fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...pieces), fc.string({ unit: "binary", maxLength: 4 }))), { minLength: 1, maxLength: 6 }),
    )
    .map(([s, inserts]) =>
      inserts.reduce((acc, [at, piece]) => {
        const i = at % (acc.length + 1);
        return acc.slice(0, i) + piece + acc.slice(i);
      }, s),
    ),
  // replace numbers with huge / odd ones
  fc
    .tuple(seed, fc.constantFrom("1e999", "-0", "0", "-1", "1e-400", "99999999999999999999", "2.5", "1.7976931348623157e308"))
    .map(([s, n]) => s.replace(/-?\d+(\.\d+)?/g, (m, _g, offset: number) => (offset % 3 === 0 ? n : m))),
  // repeat statements
  fc.tuple(seed, fc.nat({ max: 5 })).map(([s, times]) => {
    const lines = s.split("\n");
    return [...lines, ...lines.filter((l) => !l.startsWith("#")).slice(0, times + 1), ...lines.slice(-times)].join("\n");
  }),
);

const randomText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((p) => p.join(" ")),
  fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((p) => p.join("")),
);

describe("parseSpec is total", () => {
  it("on mutated specs (7,000 cases)", () => {
    fc.assert(
      fc.property(mutation, (s) => assertWellFormed(s)),
      { numRuns: 7000, seed: 20240601 },
    );
  });

  it("on random text and token soup (3,500 cases)", () => {
    fc.assert(
      fc.property(randomText, (s) => assertWellFormed(s)),
      { numRuns: 3500, seed: 7 },
    );
  });

  it("with variable overrides of any value", () => {
    const planar = seeds.find((s) => s.includes("sweep H"))!;
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer()), fc.string({ maxLength: 3 }), (value, name) => {
        const { diagnostics } = parseSpec(planar, "planar.nn", { variables: { H: value, [name]: value } });
        for (const d of diagnostics) expect(d.code).not.toBe("NN099");
      }),
      { numRuns: 500, seed: 11 },
    );
  });
});
