// Generators of hostile .nn text for the front-end fuzz (test/hardening/fuzz.test.ts runs a few thousand
// cases in `npm test`, scripts/fuzz.ts runs 100,000 in `npm run fuzz`), and the per-case check: parse →
// validate → limits → plan ends in a Spec whose plan is consistent, or in positioned diagnostics with
// stable codes — never an exception, never the internal-error code NN099.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { formatDiagnostics, parseSpec } from "../../src/front/index.js";
import { lineAndColumn } from "../../src/front/ranges.js";
import { planSpec } from "../../src/plan.js";

const specDir = join(import.meta.dirname, "../../specs");
export const seeds: string[] = readdirSync(specDir)
  .filter((f) => f.endsWith(".nn"))
  .sort()
  .map((f) => readFileSync(join(specDir, f), "utf8"));
seeds.push(
  "layer fc 289->20 sigmoid; loss crossentropy; sgd lr=1 epochs=20",
  'model m\nlet H = 3\nlayer fc 2->H relu\nlayer dropout p=0.3\nlayer fc H->3 softmax\nloss crossentropy\nadam lr=0.01 epochs=5 batch=2 l2=0.001\nschedule step factor=0.5 every=2\ndata npy "x.npy" labels="y.npy"\nsplit 0.25\nnormalize z-score\nstop early patience=2\n',
  "model tiny\nlayer fc 2->1 sigmoid\nloss mse\nrow 0, 0 -> 0\nrow 1, 1 -> 1\n",
);

/** Tokens and fragments of the language, plus the characters that break lexers. */
export const pieces = [
  "model",
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
  "momentum",
  "rmsprop",
  "lr",
  "epochs",
  "batch",
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
  "sigmoid",
  "tanh",
  "relu",
  "leaky_relu",
  "linear",
  "data",
  "test",
  "inline",
  "planar",
  "square",
  "npy",
  "csv",
  "idx",
  "split",
  "normalize",
  "zero-mean",
  "init",
  "xavier",
  "he",
  "normal",
  "schedule",
  "cosine",
  "precision",
  "f32",
  "f64",
  "input",
  "early",
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
  "1e308",
  "4294967296",
  "9007199254740993",
  "100000",
  "\r\n",
  "\r",
  "\t",
  "\u0000",
  "\u0007",
  "\u001b[31m",
  "\u007f",
  "\u0085",
  "\u00a0",
  "\u2028",
  "\u2029",
  "\u200b",
  "\u202e",
  "\u2066",
  "\ufeff",
  "\ud800",
  "\udfff",
  "é",
  "😀",
  "\u0430",
  "\\",
  "`",
  "${x}",
  "*/",
  "/*",
  "__proto__",
  "constructor",
  "prototype",
];

const seed = fc.constantFrom(...seeds);
const piece = fc.oneof(fc.constantFrom(...pieces), fc.string({ unit: "binary", maxLength: 4 }));
const words = (s: string) => s.split(/(\s+)/);

/** Mutations of real specs. */
export const mutated: fc.Arbitrary<string> = fc.oneof(
  // token shuffle (a seeded Fisher–Yates over whitespace-separated tokens)
  fc.tuple(seed, fc.integer()).map(([s, k]) => {
    const w = words(s);
    let x = k | 1;
    for (let i = w.length - 1; i > 0; i--) {
      x = (Math.imul(x, 1103515245) + 12345) | 0;
      const j = (x >>> 8) % (i + 1);
      [w[i], w[j]] = [w[j]!, w[i]!];
    }
    return w.join("");
  }),
  // swap two statements (lines)
  fc.tuple(seed, fc.nat(), fc.nat()).map(([s, a, b]) => {
    const l = s.split("\n");
    const i = a % l.length;
    const j = b % l.length;
    [l[i], l[j]] = [l[j]!, l[i]!];
    return l.join("\n");
  }),
  // truncate anywhere (also inside a multi-unit character)
  fc.tuple(seed, fc.nat()).map(([s, n]) => s.slice(0, n % (s.length + 1))),
  // delete a slice
  fc.tuple(seed, fc.nat(), fc.nat({ max: 60 })).map(([s, at, len]) => {
    const i = at % (s.length + 1);
    return s.slice(0, i) + s.slice(i + len);
  }),
  // insert pieces
  fc.tuple(seed, fc.array(fc.tuple(fc.nat(), piece), { minLength: 1, maxLength: 8 })).map(([s, inserts]) =>
    inserts.reduce((acc, [at, p]) => {
      const i = at % (acc.length + 1);
      return acc.slice(0, i) + p + acc.slice(i);
    }, s),
  ),
  // replace a token by a piece
  fc.tuple(seed, fc.nat(), piece).map(([s, at, p]) => {
    const w = words(s);
    w[at % w.length] = p;
    return w.join("");
  }),
  // huge, tiny, negative and odd numbers in place of the spec's numbers
  fc
    .tuple(
      seed,
      fc.constantFrom(
        "1e999",
        "-0",
        "0",
        "-1",
        "1e-400",
        "99999999999999999999",
        "2.5",
        "1.7976931348623157e308",
        "4294967297",
        "1e15",
        "100000",
        "0x10",
        "1_000",
      ),
      fc.nat({ max: 4 }),
    )
    .map(([s, n, every]) => s.replace(/-?\d+(\.\d+)?(e-?\d+)?/g, (m, _a, _b, offset: number) => (offset % (every + 2) === 0 ? n : m))),
  // sizes blown up (memory limits)
  fc
    .tuple(seed, fc.constantFrom("100000", "65536", "1000000", "3000", "1e6"))
    .map(([s, n]) => s.replace(/(\d+)->(\d+)/, `$1->${n}`).replace(/(\d+)->(\w+)(\s+\w+)?\s*$/m, `${n}->$2$3`)),
  // a statement repeated many times (deeply repeated statements)
  fc.tuple(seed, fc.nat(), fc.integer({ min: 2, max: 400 })).map(([s, at, times]) => {
    const lines = s.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
    const line = lines[at % Math.max(1, lines.length)] ?? "layer fc 2->2 tanh";
    return s + "\n" + Array.from({ length: times }, () => line).join(times % 2 === 0 ? "\n" : ";");
  }),
  // a very long line: one statement with thousands of settings, a huge name, or a long comment
  fc
    .tuple(seed, fc.integer({ min: 100, max: 5000 }), fc.constantFrom("lr=0.1 ", "x", "# ", "1,", "->", " ", "é"))
    .map(([s, n, unit]) => s.replace("\n", `\n${unit.repeat(n)}\n`)),
  // two specs spliced
  fc.tuple(seed, seed, fc.nat(), fc.nat()).map(([a, b, i, j]) => a.slice(0, i % (a.length + 1)) + b.slice(j % (b.length + 1))),
  // line endings changed / BOM / control characters sprinkled
  fc.tuple(seed, fc.constantFrom("\r\n", "\r", "\u2028", "\u0085", "\n\n\n", "\u0000\n")).map(([s, eol]) => "\ufeff" + s.replace(/\n/g, eol)),
);

/** Text from nothing. */
export const randomText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.string({ unit: fc.constantFrom(...'\u0000\u0001\u0008\t\n\u000b\f\r\u001b\u007f\u0085\u2028\u2029\u202e\ud800\udc00 ;#=->"a1'), maxLength: 200 }),
  fc.array(fc.constantFrom(...pieces), { maxLength: 80 }).map((p) => p.join(" ")),
  fc.array(fc.constantFrom(...pieces), { maxLength: 80 }).map((p) => p.join("")),
);

export const anySpecText: fc.Arbitrary<string> = fc.oneof({ arbitrary: mutated, weight: 3 }, { arbitrary: randomText, weight: 1 });

export interface CaseOutcome {
  valid: boolean;
  diagnostics: number;
}

/** Throws (failing the property) unless the case ends in a consistent plan or in well-formed diagnostics. */
export function checkCase(source: string): CaseOutcome {
  const fail = (why: string, detail?: unknown): never => {
    throw new Error(`${why}: ${JSON.stringify(detail)} for ${JSON.stringify(source.length > 2000 ? source.slice(0, 2000) + "…" : source)}`);
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
    if (start.line !== r.startLine || start.column !== r.startColumn) fail("start line/column disagree with offset", d);
    if (typeof d.message !== "string" || d.message.length === 0) fail("empty message", d);
  }
  formatDiagnostics(diagnostics, source, { color: true });
  if (spec !== null) {
    // A valid spec plans; the plan's layout is contiguous and its sizes are finite and within the limits.
    const plan = planSpec(spec);
    let offset = 0;
    for (const t of plan.layout) {
      if (t.offset !== offset || t.size !== t.shape.reduce((a, b) => a * b, 1)) fail("layout not contiguous", t);
      offset += t.size;
    }
    if (offset !== plan.parameters || !Number.isSafeInteger(plan.parameters)) fail("parameter count", plan.parameters);
    if (!(plan.memory.total <= 4 * 1024 ** 3)) fail("a plan over the memory limit was accepted", plan.memory);
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(spec.name)) fail("unsafe model name accepted", spec.name);
  }
  return { valid: spec !== null, diagnostics: diagnostics.length };
}

/**
 * Big specs for the size guarantee (a 1 MB spec parses and validates in under a second): about `bytes` of
 * each kind. Besides the ordinary big specs (rows, comments), each kind is a way one statement or one
 * diagnostic per line once cost far more than its size: a million parser steps for blank lines, a diagnostic
 * per option or per line, a "did you mean" over a 1 MB word, a statement repeated 100,000 times (quadratic
 * once). Names end in "(valid)" when the spec is valid, else in the code every case must report.
 */
export function bigSpecs(bytes: number): Record<string, string> {
  const head = "model big\nlayer fc 2->8 tanh\nlayer fc 8->1 sigmoid\nloss crossentropy\nsgd lr=0.1 epochs=1\ndata inline\n";
  const small = "model big\nlayer fc 2->1 sigmoid\nloss mse\ndata planar\n";
  const repeat = (unit: string) => unit.repeat(Math.ceil(bytes / unit.length));
  return {
    "inline rows (valid)": head + repeat("row 0.125, -3.5 -> 1\n"),
    "comments (valid)": head + "row 1, 2 -> 1\n" + repeat("# a comment line that says nothing at all, again and again\n"),
    "one long line of garbage": repeat("lr=0.1 -> ; ( ) é "),
    "layers beyond the module-size limit": "model big\n" + repeat("layer fc 4->4 tanh\n") + "loss mse\n",
    "blank lines and semicolons (valid)": small + repeat(";\n\n"),
    "one statement's options, each repeated (NN013)": small + "sgd " + repeat("lr=0.1 "),
    "unknown statements (NN004)": repeat("lyer fc 2->2 tanh\n"),
    "one 1 MB unknown word (NN004)": "x".repeat(bytes),
    "one row of 300,000 inputs (NN027)": head + "row " + repeat("1, ") + "1 -> 1\n",
    "one variable declared 100,000 times (NN014)": repeat("let H = 2\n") + "layer fc 2->H tanh\nloss mse\ndata planar\n",
    "a syntax error on every line (NN003)": repeat("layer fc 2-> ->\n"),
    "one 1 MB broken statement (NN003)": "sgd " + repeat("lr=( "),
    "unterminated strings (NN002)": repeat('"abc\n'),
  };
}
