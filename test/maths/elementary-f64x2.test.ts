// src/elementary.ts says its exp and tanh are written so that an f64x2 form of the same operation sequence
// gives the same bits (no FMA, no Math.*; branches become lane selects, the clamp min/max, 2^k built in the
// exponent bits). src/emit/wasm/elementary.ts is that form; this compares it lane for lane, with Object.is,
// against the scalar functions evaluated from the source text, on inputs dense in the hard regions and the
// special values; and shows that the comparison can fail (one coefficient off by one ulp is caught).
import { describe, expect, it } from "vitest";
import { ELEMENTARY, nncExp, nncLog1p, nncTanh } from "../../src/elementary.js";
import { encodeModule } from "../../src/emit/wasm/encoder.js";
import { ELEMENTARY_CONSTANTS, elementaryPassModule, expF64x2, inPlacePass, log1pF64x2, type ElementaryConstants } from "../../src/emit/wasm/elementary.js";

type Pass = (at: number, n: number) => void;
interface Passes {
  memory: WebAssembly.Memory;
  [name: string]: Pass | WebAssembly.Memory;
}

const sigmoid = (z: number): number => 1 / (1 + nncExp(-z));
/** Binary cross-entropy's term, as the maths table (src/maths.ts) writes it. */
const softplus = (z: number): number => nncLog1p(nncExp(-Math.abs(z)));
/** Doubles per call: 1023 pairs, so each call runs the pass's 4-pair main loop and its 1-pair tail. */
const BLOCK = 2046;

function instantiate(bytes: Uint8Array<ArrayBuffer>): Passes {
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as Passes;
}

/** The next double after x towards +Infinity (k steps; negative k: towards −Infinity), by stepping its bits. */
function nextAfter(x: number, k: number): number {
  if (x === 0) x = k > 0 ? 0 : -0;
  const f = Float64Array.of(x);
  const bits = new BigInt64Array(f.buffer);
  // Positive doubles order as their bits, negative ones in reverse; crossing zero goes through ±0.
  bits[0] = bits[0]! + BigInt(x > 0 || Object.is(x, 0) ? k : -k);
  return f[0]!;
}

/** x and its `count` neighbours on each side. */
function around(x: number, count: number): number[] {
  const out = [x];
  for (let k = 1; k <= count; k++) out.push(nextAfter(x, k), nextAfter(x, -k));
  return out;
}

/** Appends all of `more` (push(...more) overflows the stack for arrays this long). */
function append(inputs: number[], more: readonly number[]): void {
  for (const x of more) inputs.push(x);
}

function linspace(from: number, to: number, count: number): number[] {
  return Array.from({ length: count }, (_, j) => from + ((to - from) * j) / (count - 1));
}

/** Lanes where the wasm pass `name` differs from `scalar`, over all inputs in blocks at address 16. */
function differing(passes: Passes, name: string, scalar: (x: number) => number, inputs: readonly number[]): number {
  const pass = passes[name] as Pass;
  const lanes = new Float64Array(passes.memory.buffer, 16, BLOCK);
  let count = 0;
  for (let at = 0; at < inputs.length; at += BLOCK) {
    const block = inputs.slice(at, at + BLOCK);
    lanes.set(block);
    pass(16, block.length);
    for (let j = 0; j < block.length; j++) if (!Object.is(lanes[j], scalar(block[j]!))) count++;
  }
  return count;
}

const SPECIAL = [NaN, -NaN, Infinity, -Infinity, 0, -0, 2 ** -1074, -(2 ** -1074), Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE * 2 ** 52];

function expInputs(): number[] {
  const inputs: number[] = [...SPECIAL, 710, -746, 709.782712893384, -745.1332191019411];
  append(inputs, linspace(-750, 715, 200_000));
  for (let j = 0; j < 40_000; j++) inputs.push(-1 + j / 20_000, -745.2 + (37.2 * j) / 40_000, 709 + j / 40_000, 2 ** (-1074 + (1074 * j) / 40_000));
  return inputs;
}

function tanhInputs(): number[] {
  const inputs: number[] = [...SPECIAL];
  const tiny = ELEMENTARY_CONSTANTS.TANH_TINY;
  const split = ELEMENTARY_CONSTANTS.TANH_SPLIT;
  for (const x of [0, tiny, -tiny, split, -split]) append(inputs, around(x, 2000));
  // around 0 on a log scale, subnormals to 1, both signs
  for (const x of linspace(-1074, 0, 40_000)) inputs.push(2 ** x, -(2 ** x));
  append(inputs, linspace(-25, 25, 240_000));
  for (const x of linspace(19, 40, 20_000)) inputs.push(x, -x);
  append(inputs, linspace(-1000, 1000, 2_000));
  return inputs;
}

function sigmoidInputs(): number[] {
  const inputs: number[] = [...SPECIAL];
  append(inputs, around(0, 2000));
  append(inputs, linspace(-750, 750, 300_000));
  for (const x of linspace(-1074, 0, 30_000)) inputs.push(2 ** x, -(2 ** x));
  return inputs;
}

/** nncLog1p's arguments: e^−|z| lies in [0, 1]; dense around the split √2 − 1 and near 0 and 1. */
function log1pInputs(): number[] {
  const inputs: number[] = [0, -0, 1, NaN, 2 ** -1074];
  append(inputs, around(ELEMENTARY_CONSTANTS.LOG1P_SPLIT, 4000));
  append(inputs, linspace(0, 1, 300_000));
  for (const x of linspace(-1074, 0, 60_000)) inputs.push(2 ** x);
  return inputs;
}

describe("the f64x2 elementary functions", () => {
  it("nncLog1p on [0, 1] (where the loss calls it): the scalar source's bits on every input", () => {
    const passes = instantiate(encodeModule([inPlacePass("log1p", log1pF64x2)], 1));
    const inputs = log1pInputs();
    expect(inputs.length).toBeGreaterThan(360_000);
    expect(differing(passes, "log1p", nncLog1p, inputs)).toBe(0);
  });

  it("binary cross-entropy's nncLog1p(nncExp(−|z|)): the scalar text's bits on every input", () => {
    const passes = instantiate(elementaryPassModule(1, ELEMENTARY_CONSTANTS, true));
    const inputs = sigmoidInputs();
    expect(differing(passes, "softplus", softplus, inputs)).toBe(0);
  });

  it("catches a planted error: nncLog1p's first coefficient B0 one ulp off", () => {
    // (B3 one ulp off changes no output: its term is below half an ulp of the sum.)
    const [B0, B1, B2, B3] = ELEMENTARY_CONSTANTS.LOG1P_B;
    const perturbed: ElementaryConstants = { ...ELEMENTARY_CONSTANTS, LOG1P_B: [nextAfter(B0, 1), B1, B2, B3] };
    const passes = instantiate(encodeModule([inPlacePass("log1p", log1pF64x2, perturbed)], 1));
    expect(differing(passes, "log1p", nncLog1p, linspace(0, 1, 100_000))).toBeGreaterThan(0);
  });

  it("nncExp: the scalar source's bits on every input", () => {
    const passes = instantiate(encodeModule([inPlacePass("exp", expF64x2)], 1));
    const inputs = expInputs();
    expect(inputs.length).toBeGreaterThan(360_000);
    expect(differing(passes, "exp", nncExp, inputs)).toBe(0);
  });

  it("nncTanh: the scalar source's bits on every input, −0, NaN and ±Infinity included", () => {
    const passes = instantiate(elementaryPassModule(1));
    const inputs = tanhInputs();
    expect(inputs.length).toBeGreaterThan(360_000);
    expect(differing(passes, "tanh", nncTanh, inputs)).toBe(0);
  });

  it("σ: 1 / (1 + nncExp(−z))'s bits on every input", () => {
    const passes = instantiate(elementaryPassModule(1));
    const inputs = sigmoidInputs();
    expect(inputs.length).toBeGreaterThan(360_000);
    expect(differing(passes, "sigmoid", sigmoid, inputs)).toBe(0);
  });

  it("odd n: the n values change, the spare after the last pair is computed, the rest untouched", () => {
    const passes = instantiate(elementaryPassModule(1));
    const at = 48;
    const v = new Float64Array(passes.memory.buffer, at - 16, 20);
    // n = 7: one 4-pair iteration; 5: the 1-pair tail only; 11: both
    for (const n of [7, 5, 11]) {
      const before = Array.from({ length: n }, (_, j) => (j % 2 === 0 ? 1 : -1) * (0.1 + 0.7 * j));
      for (const name of ["tanh", "sigmoid"]) {
        const f = name === "tanh" ? nncTanh : sigmoid;
        v.fill(9);
        v.set([5, 5, ...before, 0.5]);
        (passes[name] as Pass)(at, n);
        expect([...v.subarray(2, 2 + n)]).toEqual(before.map(f));
        expect(v[2 + n]).toBe(f(0.5)); // the caller's spare double
        expect([v[0], v[1], ...v.subarray(3 + n)]).toEqual([5, 5, ...Array<number>(17 - n).fill(9)]);
      }
    }
  });

  it("catches a planted error: the tanh rational's last coefficient Q2 one ulp off", () => {
    // (P0 one ulp off changes no output on these inputs: P0·s's change is lost when P1 is subtracted.)
    const [Q0, Q1, Q2] = ELEMENTARY_CONSTANTS.TANH_Q;
    const perturbed: ElementaryConstants = { ...ELEMENTARY_CONSTANTS, TANH_Q: [Q0, Q1, nextAfter(Q2, 1)] };
    const passes = instantiate(elementaryPassModule(1, perturbed));
    expect(differing(passes, "tanh", nncTanh, linspace(-0.625, 0.625, 100_000))).toBeGreaterThan(0);
  });

  it("its constants are the source text's: each written there, and each fractional literal there copied", () => {
    const source = ELEMENTARY.filter((e) => e.name === "nncExp" || e.name === "nncTanh" || e.name === "nncLog1p")
      .map((e) => e.source)
      .join("\n");
    const copied = Object.values(ELEMENTARY_CONSTANTS).flat();
    for (const c of copied) expect(source).toContain(String(Math.abs(c)));
    const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, ""); // literals in code, not comments
    const literals = (code.match(/\d+\.\d+(e-?\d+)?/g) ?? []).map(Number);
    expect(literals.length).toBeGreaterThan(10);
    // 0.5 (nncLog1p's ½f²) is structural, written inline as 1 and 2 are.
    for (const x of literals.filter((x) => x !== 0.5)) expect(copied.map(Math.abs)).toContain(x);
  });
});
