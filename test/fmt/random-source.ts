// A seeded generator of .nn SOURCE TEXT for formatter properties: mostly-valid specs built statement by
// statement from the grammar, written messily: random option orders, random spacing (none at all where the
// lexer allows it: around `->`, `=`, `,`, `(`, `)`, `<`), tabs, `;` joins, blank-line runs, CRLF line ends,
// indented full-line comments and trailing comments. Deterministic per seed (mulberry32 from src/prng.ts).
import { createRng, type Rng } from "../../src/prng.js";

const PUNCT = new Set(["->", "=", ",", "(", ")", "<", "<=", ">", ">="]);

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng.uniform() * items.length)]!;
}
function chance(rng: Rng, p: number): boolean {
  return rng.uniform() < p;
}
function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng.uniform() * (hi - lo + 1));
}
function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
/** A random subset of `options` (each an array of tokens) in random order, flattened. */
function someOptions(rng: Rng, options: readonly (readonly string[])[]): string[] {
  return shuffled(
    rng,
    options.filter(() => chance(rng, 0.6)),
  ).flat();
}

/** Joins tokens with random whitespace; next to punctuation the whitespace may be empty. */
function spell(rng: Rng, tokens: readonly string[]): string {
  let out = tokens[0]!;
  for (let i = 1; i < tokens.length; i++) {
    const tight = PUNCT.has(tokens[i]!) || PUNCT.has(tokens[i - 1]!);
    out += pick(rng, tight ? ["", "", " ", "  ", "\t"] : [" ", " ", "  ", "\t", " \t "]) + tokens[i];
  }
  return out;
}

const numbers = { lr: ["0.1", "1e-2", ".5", "1", "2.5E-1"], small: ["0.001", "1e-3", "0", "0.01"] };

/** conv [pool] [flatten] fc: kernels ≤ 3 over inputs ≥ 5, so every net has a shape; the fc takes one size. */
function convLayers(rng: Rng, lastAct: string, outputs: number): string[][] {
  const kernel = pick(rng, ["2", "3", "2x3", "3x1"]);
  const settings = shuffled(rng, [
    ["kernel", "=", kernel],
    ...(kernel === "3" && chance(rng, 0.3) ? [["padding", "=", "same"]] : chance(rng, 0.3) ? [["padding", "=", pick(rng, ["1", "0x1"])]] : []),
    ...(chance(rng, 0.2) ? [["stride", "=", pick(rng, ["1", "1x1"])]] : []),
  ]);
  const act = pick(rng, [["relu"], ["tanh"], [], ["leaky_relu", "(", "0.1", ")"]]);
  const before = chance(rng, 0.5);
  const layers = [["layer", "conv", String(int(rng, 1, 3)), ...(before ? act : []), ...settings.flat(), ...(before ? [] : act)]];
  if (chance(rng, 0.5)) layers.push(["layer", pick(rng, ["maxpool", "avgpool"]), "2", ...(chance(rng, 0.3) ? ["stride", "=", "1"] : [])]);
  if (chance(rng, 0.5)) layers.push(["layer", "flatten"]);
  layers.push(["layer", "fc", String(outputs), lastAct]);
  return layers;
}

/** Statements (as token lists) of one random spec; layers and rows keep their relative order. */
function statements(rng: Rng): string[][] {
  const inputs = int(rng, 1, 4);
  const useVar = chance(rng, 0.3);
  const depth = int(rng, 1, 3);
  const sizes = [String(inputs)];
  for (let i = 1; i < depth; i++) sizes.push(useVar && i === 1 ? "H" : String(int(rng, 1, 6)));
  const lastAct = pick(rng, ["sigmoid", "linear", "softmax", "tanh"]);
  const outputs = lastAct === "softmax" ? int(rng, 2, 4) : int(rng, 1, 3);
  sizes.push(String(outputs));
  const ordered: string[][] = [];
  // One spec in ten is a small convolutional net: dims, lone sizes, the activation before or after settings.
  const conv = chance(rng, 0.1);
  if (conv) ordered.push(...convLayers(rng, lastAct, outputs));
  for (let i = 0; i < (conv ? 0 : depth); i++) {
    const last = i === depth - 1;
    const act = last ? [lastAct] : pick(rng, [["relu"], ["tanh"], ["sigmoid"], [], ["leaky_relu"], ["leaky_relu", "(", "0.2", ")"], ["linear"]]);
    ordered.push(["layer", "fc", sizes[i]!, "->", sizes[i + 1]!, ...act]);
    if (!last && chance(rng, 0.2)) ordered.push(["layer", "dropout", ...(chance(rng, 0.7) ? ["p", "=", pick(rng, ["0.2", "0.5", ".1"])] : [])]);
  }
  const loose: string[][] = [];
  if (useVar) {
    loose.push(["let", "H", "=", String(int(rng, 1, 5))]);
    if (chance(rng, 0.5)) loose.push(["sweep", "H", "=", "1", ",", "2", ",", "3"]);
  }
  if (chance(rng, 0.7)) loose.push(["model", pick(rng, ["net", "my-net", "x_1"])]);
  if (conv) loose.push(["input", `${int(rng, 1, 2)}x${int(rng, 5, 8)}x${int(rng, 5, 8)}`]);
  else if (chance(rng, 0.2)) loose.push(["input", String(inputs)]);
  const crossentropyOk = lastAct === "sigmoid" || lastAct === "softmax";
  if (chance(rng, 0.8)) loose.push(["loss", crossentropyOk && chance(rng, 0.6) ? "crossentropy" : "mse"]);
  const training = [
    ["lr", "=", pick(rng, numbers.lr)],
    ["epochs", "=", String(int(rng, 1, 9))],
    ["batch", "=", String(int(rng, 1, 64))],
    pick(rng, [["shuffle"], ["shuffle", "=", "true"], ["shuffle", "=", "false"]]),
    ["l2", "=", pick(rng, numbers.small)],
    ["seed", "=", String(int(rng, 0, 9))],
  ];
  const optimizer = pick(rng, ["sgd", "momentum", "rmsprop", "adam"]);
  const own: Record<string, string[][]> = {
    sgd: [],
    momentum: [["beta", "=", "0.8"], ["nesterov"]],
    rmsprop: [
      ["rho", "=", "0.95"],
      ["eps", "=", "1e-7"],
    ],
    adam: [
      ["beta1", "=", "0.85"],
      ["beta2", "=", "0.995"],
      ["eps", "=", "1e-6"],
    ],
  };
  if (chance(rng, 0.9)) loose.push([optimizer, ...someOptions(rng, [...training, ...own[optimizer]!])]);
  if (chance(rng, 0.4)) {
    const schedule = pick(rng, ["constant", "step", "exponential", "cosine"]);
    const opts: Record<string, string[][]> = {
      constant: [],
      step: [
        ["factor", "=", "0.5"],
        ["every", "=", "3"],
        ["min", "=", "0.001"],
      ],
      exponential: [
        ["gamma", "=", "0.9"],
        ["min", "=", "1e-4"],
      ],
      cosine: [
        ["min", "=", "0"],
        ["period", "=", "4"],
      ],
    };
    loose.push(["schedule", schedule, ...someOptions(rng, opts[schedule]!)]);
  }
  if (chance(rng, 0.5)) {
    const init = pick(rng, ["normal", "uniform", "xavier", "he", "zeros"]);
    const opts: Record<string, string[][]> = { normal: [["std", "=", "0.1"]], uniform: [["limit", "=", "0.2"]], xavier: [], he: [], zeros: [] };
    loose.push(["init", init, ...someOptions(rng, [...opts[init]!, ["seed", "=", "4"]])]);
  }
  const rows: string[][] = [];
  const dataKind = pick(rng, ["none", "planar", "square", "rows", "npy"]);
  if (dataKind === "planar" || dataKind === "square") {
    const opts =
      dataKind === "planar"
        ? [
            ["n", "=", "40"],
            ["noise", "=", "0.1"],
            ["petals", "=", "3"],
            ["seed", "=", "2"],
            ["scale", "=", "2"],
          ]
        : [
            ["n", "=", "30"],
            ["min", "=", "-1"],
            ["max", "=", "1.5"],
            ["seed", "=", "5"],
            ["scale", "=", "0.5"],
          ];
    loose.push(["data", dataKind, ...someOptions(rng, opts)]);
    if (chance(rng, 0.4)) loose.push(["split", pick(rng, ["0.2", ".25"]), ...(chance(rng, 0.5) ? ["seed", "=", "7"] : [])]);
  } else if (dataKind === "npy") {
    loose.push([
      "data",
      "npy",
      '"x.npy"',
      ...shuffled(rng, [
        ["labels", "=", '"y \\"q\\".npy"'],
        ["scale", "=", "0.00392156862745098"],
      ]).flat(),
    ]);
  } else if (dataKind === "rows") {
    for (let r = int(rng, 1, 3); r > 0; r--) {
      const xs = Array.from({ length: inputs }, () => pick(rng, ["1", "-2.5", "0.5", "3e1"]));
      const ys = Array.from({ length: outputs }, () => pick(rng, ["0", "1"]));
      rows.push(["row", ...xs.flatMap((x, i) => (i ? [",", x] : [x])), "->", ...ys.flatMap((y, i) => (i ? [",", y] : [y]))]);
    }
  }
  if (chance(rng, 0.3)) loose.push(["normalize", pick(rng, ["zero-mean", "min-max", "z-score", "none"])]);
  if (chance(rng, 0.3)) loose.push(["stop", "loss", pick(rng, ["<", "<="]), "0.1"]);
  if (chance(rng, 0.2)) loose.push(["precision", pick(rng, ["f64", "f32"])]);
  // Interleave: the ordered statements (layers, then rows) keep their order; the rest go anywhere.
  const fixed = [...ordered, ...rows];
  const out: string[][] = [...fixed];
  for (const s of loose) out.splice(int(rng, 0, out.length), 0, s);
  return out;
}

const commentTexts = ["# note", "#", "#   spaced   ", "# kg, cm -> y; not a statement", "# ünïcode → ✓", "#layer fc 1->1"];

/** One random messy source text for seed `seed`. */
export function randomSource(seed: number): string {
  const rng = createRng(seed);
  const eol = chance(rng, 0.2) ? "\r\n" : "\n";
  let out = "";
  if (chance(rng, 0.3)) out += pick(rng, ["", "  ", "\t"]) + pick(rng, commentTexts) + eol;
  for (const tokens of statements(rng)) {
    out += pick(rng, ["", "", " ", "\t"]) + spell(rng, tokens);
    const r = rng.uniform();
    if (r < 0.2) out += pick(rng, [";", " ; ", ";;", "; "]);
    else {
      if (r < 0.35) out += pick(rng, [" ", "  ", "\t"]) + pick(rng, commentTexts);
      else if (r < 0.4) out += " ;";
      out += eol;
      if (chance(rng, 0.15)) out += eol.repeat(int(rng, 1, 3));
      if (chance(rng, 0.1)) out += pick(rng, ["", "   "]) + pick(rng, commentTexts) + eol;
    }
  }
  if (chance(rng, 0.3)) out += eol.repeat(int(rng, 1, 3));
  return out;
}
