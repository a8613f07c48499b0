// nnc's own nncExp, nncTanh and nncLog1p (src/elementary.ts), σ(z) = 1 / (1 + nncExp(−z)) and binary
// cross-entropy's nncLog1p(nncExp(−|z|)) built on them, in
// WebAssembly f64x2: for f64 modules' batch-wide activation passes, which must give the reference
// interpreter's bits (it runs the scalar source text). Each emitter mirrors the scalar source op for op, lane
// for lane: the same +, −, ×, ÷ on the same operands in the same order (no FMA: wasm has none in f64x2),
// abs and neg as sign-bit operations, and each branch computed for every lane and chosen by v128.bitselect
// on a comparison mask (a lane that does not take a branch may compute NaN or Infinity in it, and discards
// it). Two steps are equivalent rather than literal: the clamp of x to [−746, 710] is min then max (the
// bounds are non-zero, so ±0 is kept, and NaN stays NaN through both as through the scalar's comparisons),
// and 2^k is built in the exponent bits instead of read from the scalar's table (both exact powers of two).
// The reasoning says why to expect identical bits; the evidence is test/maths/elementary-f64x2.test.ts, which
// compares every lane with Object.is against the scalar functions on over 360 000 inputs per function, dense
// in the hard regions, ±0, ±Infinity and NaN included (Object.is does not compare NaN payloads, nor does JS
// keep them), and catches a coefficient one ulp off.
import { Builder } from "./builder.js";
import { encodeModule, op, I32, V128, type Bytes, type WasmFunction } from "./encoder.js";

/**
 * The numeric constants of src/elementary.ts's nncExp and nncTanh, copied under names. Copied, not read
 * from there: that file's functions are source text that a module carries and the interpreter evaluates,
 * and splicing names into it would make it harder to read (and to check against fdlibm and Cephes); instead
 * test/maths/elementary-f64x2.test.ts checks that every constant here is written in that text, and every
 * fractional literal there is here. Structural constants (1, 2, −2, 1023, 52) stay inline.
 */
export const ELEMENTARY_CONSTANTS = {
  /** nncExp's clamp: above, e^x overflows; below, it rounds to 0. */
  EXP_MAX: 710,
  EXP_MIN: -746,
  LOG2E: 1.4426950408889634,
  /** 1.5·2^52: v·log₂e + this − this rounds to an integer. */
  ROUND: 6755399441055744,
  /** ln2 in two parts; k·LN2_HI is exact. */
  LN2_HI: 0.6931471803691238,
  LN2_LO: 1.9082149292705877e-10,
  /** c = r − t·(P1 + t·(P2 + t·(P3 + t·(P4 + t·P5)))), t = r². */
  EXP_P: [0.16666666666666602, -0.0027777777777015593, 0.00006613756321437934, -0.0000016533902205465252, 4.1381367970572385e-8],
  /** 2^−28: below it, tanh x rounds to x. */
  TANH_TINY: 3.725290298461914e-9,
  /** Below it, the odd rational; above, 1 − 2t/(1 + t). */
  TANH_SPLIT: 0.625,
  /** p = (P0·s − P1)·s − P2 (P1, P2 subtracted, as the source writes them). */
  TANH_P: [-0.9643991794250523, 99.28772310019185, 1614.6876844170845],
  /** q = ((s + Q0)·s + Q1)·s + Q2. */
  TANH_Q: [112.81167849163293, 2235.4883906010045, 4844.063053251255],
  /** nncLog1p's split √2 − 1: above it, 1 + t = 2·(1 + f) with f = (t − 1)/2. */
  LOG1P_SPLIT: 0.41421356237309503,
  /** r = w·(A0 + w·(A1 + w·A2)) + z·(B0 + w·(B1 + w·(B2 + w·B3))). */
  LOG1P_A: [0.3999999999940942, 0.22222198432149784, 0.15313837699209373],
  LOG1P_B: [0.6666666666666735, 0.2857142874366239, 0.1818357216161805, 0.14798198605116586],
} as const;

/** The constants the emitters use: ELEMENTARY_CONSTANTS, or (tests only) a perturbed copy. */
export type ElementaryConstants = {
  readonly [K in keyof typeof ELEMENTARY_CONSTANTS]: (typeof ELEMENTARY_CONSTANTS)[K] extends number ? number : readonly number[];
};

const get = op.localGet;
const set = op.localSet;

/** An f64x2 constant with v in both lanes. */
function splat(v: number): Bytes {
  const b = [...new Uint8Array(Float64Array.of(v).buffer)];
  return op.v128Const([...b, ...b]);
}

function splatI64(v: number): Bytes {
  const b = [...new Uint8Array(BigInt64Array.of(BigInt(v)).buffer)];
  return op.v128Const([...b, ...b]);
}

function locals(b: Builder, count: number): number[] {
  return Array.from({ length: count }, () => b.local(V128));
}

/** c[0] + t·(c[1] + t·(… + t·c[last])) with t a local, left on the stack, folded from the innermost as the source nests it. */
function nested(b: Builder, t: number, c: readonly number[]): void {
  for (const x of c.slice(0, -1)) b.emit(splat(x), get(t));
  b.emit(splat(c[c.length - 1]!));
  for (let i = 1; i < c.length; i++) b.emit(op.f64x2Mul, op.f64x2Add);
}

/** 2^e for the i32 lanes 0, 1 of local e (each in [−538, 512], so a normal double): (e + 1023) << 52. */
function pow2(b: Builder, e: number): void {
  b.emit(get(e), op.i64x2ExtendLowI32x4S, splatI64(1023), op.i64x2Add, op.i32Const(52), op.i64x2Shl);
}

/** out = nncExp(x), lane-wise (out may be x). */
export function expF64x2(b: Builder, x: number, out: number, c: ElementaryConstants = ELEMENTARY_CONSTANTS): void {
  const [v, k, hi, lo, r, t, cc, y, n, half] = locals(b, 10) as [number, number, number, number, number, number, number, number, number, number];
  // v = x > 710 ? 710 : x < −746 ? −746 : x, as min then max (see the header).
  b.emit(get(x), splat(c.EXP_MAX), op.f64x2Min, splat(c.EXP_MIN), op.f64x2Max, set(v));
  // k = v·log₂e + 1.5·2^52 − 1.5·2^52
  b.emit(get(v), splat(c.LOG2E), op.f64x2Mul, splat(c.ROUND), op.f64x2Add, splat(c.ROUND), op.f64x2Sub, set(k));
  // hi = v − k·LN2_HI, lo = k·LN2_LO, r = hi − lo, t = r·r
  b.emit(get(v), get(k), splat(c.LN2_HI), op.f64x2Mul, op.f64x2Sub, set(hi));
  b.emit(get(k), splat(c.LN2_LO), op.f64x2Mul, set(lo));
  b.emit(get(hi), get(lo), op.f64x2Sub, set(r));
  b.emit(get(r), get(r), op.f64x2Mul, set(t));
  // c = r − t·(P1 + t·(P2 + …))
  b.emit(get(r), get(t));
  nested(b, t, c.EXP_P);
  b.emit(op.f64x2Mul, op.f64x2Sub, set(cc));
  // y = 1 − ((lo − (r·c)/(2 − c)) − hi)
  b.emit(splat(1), get(lo), get(r), get(cc), op.f64x2Mul, splat(2), get(cc), op.f64x2Sub, op.f64x2Div, op.f64x2Sub, get(hi), op.f64x2Sub, op.f64x2Sub, set(y));
  // n = k | 0 (NaN → 0 in both), half = n >> 1; n becomes n − half
  b.emit(get(k), op.i32x4TruncSatF64x2SZero, set(n), get(n), op.i32Const(1), op.i32x4ShrS, set(half));
  b.emit(get(n), get(half), op.i32x4Sub, set(n));
  // (y · 2^half) · 2^(n − half)
  b.emit(get(y));
  pow2(b, half);
  b.emit(op.f64x2Mul);
  pow2(b, n);
  b.emit(op.f64x2Mul, set(out));
}

/** out = nncTanh(x), lane-wise (out must not be x): all three branches, then two selects. */
export function tanhF64x2(b: Builder, x: number, out: number, c: ElementaryConstants = ELEMENTARY_CONSTANTS): void {
  const [a, s, mid, t, u] = locals(b, 5) as [number, number, number, number, number];
  const [P0, P1, P2] = c.TANH_P as [number, number, number];
  const [Q0, Q1, Q2] = c.TANH_Q as [number, number, number];
  b.emit(get(x), op.f64x2Abs, set(a));
  // |x| < 0.625: s = x·x, p = (P0·s − P1)·s − P2, q = ((s + Q0)·s + Q1)·s + Q2, x + (x·s)·(p/q)
  b.emit(get(x), get(x), op.f64x2Mul, set(s));
  b.emit(get(x), get(x), get(s), op.f64x2Mul);
  b.emit(splat(P0), get(s), op.f64x2Mul, splat(P1), op.f64x2Sub, get(s), op.f64x2Mul, splat(P2), op.f64x2Sub);
  b.emit(get(s), splat(Q0), op.f64x2Add, get(s), op.f64x2Mul, splat(Q1), op.f64x2Add, get(s), op.f64x2Mul, splat(Q2), op.f64x2Add);
  b.emit(op.f64x2Div, op.f64x2Mul, op.f64x2Add, set(mid));
  // else: t = nncExp(−2·|x|), u = 1 − (2·t)/(1 + t), x < 0 ? −u : u (NaN: not < 0, so u, itself NaN)
  b.emit(splat(-2), get(a), op.f64x2Mul, set(t));
  expF64x2(b, t, t, c);
  b.emit(splat(1), splat(2), get(t), op.f64x2Mul, splat(1), get(t), op.f64x2Add, op.f64x2Div, op.f64x2Sub, set(u));
  b.emit(get(u), op.f64x2Neg, get(u), get(x), splat(0), op.f64x2Lt, op.v128Bitselect, set(u));
  // |x| < 2^−28 ? x : |x| < 0.625 ? mid : u (NaN fails both tests, as in the scalar, and takes u)
  b.emit(get(x), get(mid), get(u), get(a), splat(c.TANH_SPLIT), op.f64x2Lt, op.v128Bitselect);
  b.emit(get(a), splat(c.TANH_TINY), op.f64x2Lt, op.v128Bitselect, set(out));
}

/** out = 1 / (1 + nncExp(−z)), lane-wise (out may be z): neg, exp, + 1, reciprocal, as the scalar text. */
export function sigmoidF64x2(b: Builder, z: number, out: number, c: ElementaryConstants = ELEMENTARY_CONSTANTS): void {
  const [e] = locals(b, 1) as [number];
  b.emit(get(z), op.f64x2Neg, set(e));
  expF64x2(b, e, e, c);
  b.emit(splat(1), splat(1), get(e), op.f64x2Add, op.f64x2Div, set(out));
}

/**
 * out = nncLog1p(t), lane-wise (out may be t), for t in [0, 1] as the loss calls it: k = t > √2 − 1 as 1 or
 * 0 (a select of the constants, so k·LN2_HI and k·LN2_LO are the scalar's 0·c and 1·c), f chosen the same
 * way, then the scalar's expression tree op for op.
 */
export function log1pF64x2(b: Builder, t: number, out: number, c: ElementaryConstants = ELEMENTARY_CONSTANTS): void {
  const [k, f, s, z, w, r, hfsq] = locals(b, 7) as [number, number, number, number, number, number, number];
  const mask = (): void => void b.emit(get(t), splat(c.LOG1P_SPLIT), op.f64x2Gt);
  b.emit(splat(1), splat(0));
  mask();
  b.emit(op.v128Bitselect, set(k));
  // f = k === 1 ? (t − 1)/2 : t
  b.emit(get(t), splat(1), op.f64x2Sub, splat(2), op.f64x2Div, get(t));
  mask();
  b.emit(op.v128Bitselect, set(f));
  // s = f/(2 + f), z = s·s, w = z·z
  b.emit(get(f), splat(2), get(f), op.f64x2Add, op.f64x2Div, set(s));
  b.emit(get(s), get(s), op.f64x2Mul, set(z), get(z), get(z), op.f64x2Mul, set(w));
  // r = w·(A…) + z·(B…)
  b.emit(get(w));
  nested(b, w, c.LOG1P_A);
  b.emit(op.f64x2Mul, get(z));
  nested(b, w, c.LOG1P_B);
  b.emit(op.f64x2Mul, op.f64x2Add, set(r));
  // hfsq = 0.5·f·f
  b.emit(splat(0.5), get(f), op.f64x2Mul, get(f), op.f64x2Mul, set(hfsq));
  // k·LN2_HI − (hfsq − (s·(hfsq + r) + k·LN2_LO) − f)
  b.emit(get(k), splat(c.LN2_HI), op.f64x2Mul);
  b.emit(get(hfsq), get(s), get(hfsq), get(r), op.f64x2Add, op.f64x2Mul, get(k), splat(c.LN2_LO), op.f64x2Mul, op.f64x2Add, op.f64x2Sub);
  b.emit(get(f), op.f64x2Sub, op.f64x2Sub, set(out));
}

/** out = nncLog1p(nncExp(−|z|)), lane-wise (out may be z): binary cross-entropy's log(1 + e^−|z|) term, as the maths table writes it. */
export function softplusNegAbsF64x2(b: Builder, z: number, out: number, c: ElementaryConstants = ELEMENTARY_CONSTANTS): void {
  const [e] = locals(b, 1) as [number];
  b.emit(get(z), op.f64x2Abs, op.f64x2Neg, set(e));
  expF64x2(b, e, e, c);
  log1pF64x2(b, e, out, c);
}

/** An emitter of out = f(x) over f64x2 locals. */
export type F64x2Emitter = (b: Builder, x: number, out: number, c?: ElementaryConstants) => void;

/**
 * Pairs per iteration of the main loop. One pair's operations are one long dependency chain, so a loop of one
 * pair waits on latency; four independent chains overlap (tanh over 16 000 values, by hand on a busy
 * machine: about 22 ns a value with one pair, 18 with two, 15.6 with four, 20 with eight). Holding the
 * constants in locals instead of v128.const at each use made no difference there, so they stay inline.
 */
const UNROLL = 4;

/**
 * name(at, n): doubles at byte address at … at + 8n − 1 replaced by f of themselves, in place, a pair (one
 * v128) at a time: ⌈n/2⌉ pairs, so for odd n the double after the last is also read, computed and written
 * (the caller keeps a spare one there). at must be a multiple of 16 (the loads promise that alignment).
 * UNROLL pairs per iteration while that many are left, then one pair per iteration.
 */
export function inPlacePass(name: string, f: F64x2Emitter, c: ElementaryConstants = ELEMENTARY_CONSTANTS): WasmFunction {
  const b = new Builder(name, 2);
  const [at, n] = [0, 1];
  const [i, end] = [b.local(I32), b.local(I32)];
  // end = at + ⌈n/2⌉·16
  b.emit(get(at), get(n), op.i32Const(1), op.i32Add, op.i32Const(1), op.i32ShrU, op.i32Const(16), op.i32Mul, op.i32Add, set(end));
  b.emit(get(at), set(i));
  pairsLoop(b, f, c, i, end, UNROLL);
  pairsLoop(b, f, c, i, end, 1);
  return b.finish();
}

/** While `pairs` pairs are left before end: load them, compute f of each, store them; i advances. */
function pairsLoop(b: Builder, f: F64x2Emitter, c: ElementaryConstants, i: number, end: number, pairs: number): void {
  const xy = Array.from({ length: pairs }, () => locals(b, 2) as [number, number]);
  b.emit(op.block, op.loop, get(i), op.i32Const(16 * pairs), op.i32Add, get(end), op.i32GtU, op.brIf(1));
  xy.forEach(([x], j) => b.emit(get(i), op.v128LoadAligned(16 * j), set(x)));
  for (const [x, y] of xy) f(b, x, y, c);
  xy.forEach(([, y], j) => b.emit(get(i), get(y), op.v128StoreAligned(16 * j)));
  b.emit(get(i), op.i32Const(16 * pairs), op.i32Add, set(i), op.br(0), op.end, op.end);
}

/**
 * A module exporting `memory` (`pages` 64 KiB pages) and tanh(at, n), sigmoid(at, n): nncTanh and
 * 1 / (1 + nncExp(−z)) in place over the n doubles at byte address at (a multiple of 16), ⌈n/2⌉ pairs: for
 * odd n the caller keeps one spare double after the n, which is overwritten with f of itself; with `lossTerm`
 * also softplus(at, n): nncLog1p(nncExp(−|z|)), binary cross-entropy's term. `constants` is for tests only
 * (a perturbed copy shows that the bit-for-bit comparison can fail).
 */
export function elementaryPassModule(pages: number, constants: ElementaryConstants = ELEMENTARY_CONSTANTS, lossTerm = false): Uint8Array<ArrayBuffer> {
  return encodeModule(
    [
      inPlacePass("tanh", tanhF64x2, constants),
      inPlacePass("sigmoid", sigmoidF64x2, constants),
      ...(lossTerm ? [inPlacePass("softplus", softplusNegAbsF64x2, constants)] : []),
    ],
    pages,
  );
}
