// src/elementary.ts says its exp is written so that an f64x2 form of the same operation sequence gives the
// same bits (no FMA, no Math.exp; the clamp as min/max, 2^k built in the exponent bits instead of read from
// the table). This builds that form in WebAssembly SIMD, lane for lane the scalar source's steps, and
// compares the two bit for bit, hard regions and special values included. (The constants are the source's,
// copied: this is a second transcription of the algorithm, checked against the first.)
import { describe, expect, it } from "vitest";
import { nncExp } from "../../src/elementary.js";
import { encodeModule, op, uleb, I32, V128, type Bytes } from "../../src/emit/wasm/encoder.js";

const simd = (code: number): Bytes => [0xfd, ...uleb(code)];
const f64x2 = { add: simd(0xf0), sub: simd(0xf1), mul: simd(0xf2), div: simd(0xf3), min: simd(0xf4), max: simd(0xf5) };
const i32x4TruncSatF64x2SZero = simd(0xfc);
const i32x4ShrS = simd(0xac);
const i32x4Sub = simd(0xb1);
const i64x2ExtendLowI32x4S = simd(0xc7);
const i64x2Add = simd(0xce);
const i64x2Shl = simd(0xcb);

/** An f64x2 constant with v in both lanes. */
function splat(v: number): Bytes {
  const b = [...new Uint8Array(Float64Array.of(v).buffer)];
  return op.v128Const([...b, ...b]);
}
function splatI64(v: number): Bytes {
  const b = [...new Uint8Array(BigInt64Array.of(BigInt(v)).buffer)];
  return op.v128Const([...b, ...b]);
}

/** exp(n): e^x in place over n pairs of doubles at address 0, the scalar nncExp's steps in f64x2. */
function expModule(): Uint8Array<ArrayBuffer> {
  // Locals: 0 n (param), 1 i (byte offset), then v128: 2 v, 3 k, 4 hi, 5 lo, 6 r, 7 t, 8 c, 9 y, 10 half, 11 other.
  const [i, v, k, hi, lo, r, t, c, y, half, other] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const get = op.localGet;
  const set = op.localSet;
  const pow2 = (exponent: number): Bytes => [...get(exponent), ...i64x2ExtendLowI32x4S, ...splatI64(1023), ...i64x2Add, ...op.i32Const(52), ...i64x2Shl];
  const body: Bytes = [
    ...op.i32Const(0),
    ...set(i),
    ...op.block,
    ...op.loop,
    ...get(i),
    ...get(0),
    ...op.i32Const(16),
    ...op.i32Mul,
    ...op.i32GeS,
    ...op.brIf(1),
    // v = max(min(x, 710), −746): NaN stays NaN, as through the scalar's two comparisons.
    ...get(i),
    ...op.v128Load(0),
    ...splat(710),
    ...f64x2.min,
    ...splat(-746),
    ...f64x2.max,
    ...set(v),
    // k = v·log₂e + 1.5·2^52 − 1.5·2^52
    ...get(v),
    ...splat(1.4426950408889634),
    ...f64x2.mul,
    ...splat(6755399441055744),
    ...f64x2.add,
    ...splat(6755399441055744),
    ...f64x2.sub,
    ...set(k),
    ...get(v),
    ...get(k),
    ...splat(0.6931471803691238),
    ...f64x2.mul,
    ...f64x2.sub,
    ...set(hi),
    ...get(k),
    ...splat(1.9082149292705877e-10),
    ...f64x2.mul,
    ...set(lo),
    ...get(hi),
    ...get(lo),
    ...f64x2.sub,
    ...set(r),
    ...get(r),
    ...get(r),
    ...f64x2.mul,
    ...set(t),
    // c = r − t·(P1 + t·(P2 + t·(P3 + t·(P4 + t·P5))))
    ...get(r),
    ...get(t),
    ...splat(0.16666666666666602),
    ...get(t),
    ...splat(-0.0027777777777015593),
    ...get(t),
    ...splat(0.00006613756321437934),
    ...get(t),
    ...splat(-0.0000016533902205465252),
    ...get(t),
    ...splat(4.1381367970572385e-8),
    ...f64x2.mul,
    ...f64x2.add,
    ...f64x2.mul,
    ...f64x2.add,
    ...f64x2.mul,
    ...f64x2.add,
    ...f64x2.mul,
    ...f64x2.add,
    ...f64x2.mul,
    ...f64x2.sub,
    ...set(c),
    // y = 1 − ((lo − r·c/(2 − c)) − hi)
    ...splat(1),
    ...get(lo),
    ...get(r),
    ...get(c),
    ...f64x2.mul,
    ...splat(2),
    ...get(c),
    ...f64x2.sub,
    ...f64x2.div,
    ...f64x2.sub,
    ...get(hi),
    ...f64x2.sub,
    ...f64x2.sub,
    ...set(y),
    // n = k as an integer (NaN gives 0, as k | 0 does), half = n >> 1, other = n − half.
    ...get(k),
    ...i32x4TruncSatF64x2SZero,
    ...set(other),
    ...get(other),
    ...op.i32Const(1),
    ...i32x4ShrS,
    ...set(half),
    ...get(other),
    ...get(half),
    ...i32x4Sub,
    ...set(other),
    // e^r · 2^half · 2^other, each power built in the exponent bits.
    ...get(i),
    ...get(y),
    ...pow2(half),
    ...f64x2.mul,
    ...pow2(other),
    ...f64x2.mul,
    ...op.v128Store(0),
    ...get(i),
    ...op.i32Const(16),
    ...op.i32Add,
    ...set(i),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
  return encodeModule(
    [
      {
        name: "exp",
        params: 1,
        locals: [
          { count: 1, type: I32 },
          { count: 10, type: V128 },
        ],
        body,
      },
    ],
    1,
  );
}

describe("nncExp in f64x2", () => {
  it("gives the scalar source's bits on every input", () => {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(expModule()), {});
    const { exp, memory } = instance.exports as { exp: (pairs: number) => void; memory: WebAssembly.Memory };
    const lanes = new Float64Array(memory.buffer, 0, 4096);
    const inputs: number[] = [NaN, Infinity, -Infinity, 0, -0, 710, -746, 709.782712893384, -745.1332191019411, 2 ** -1074, -(2 ** -1074)];
    for (let j = 0; j < 200_000; j++) inputs.push(-750 + (1465 * j) / 199_999);
    for (let j = 0; j < 40_000; j++) inputs.push(-1 + j / 20_000, -745.2 + (37.2 * j) / 40_000, 709 + j / 40_000, 2 ** (-1074 + (1074 * j) / 40_000));
    let differing = 0;
    for (let at = 0; at < inputs.length; at += 4096) {
      const block = inputs.slice(at, at + 4096);
      while (block.length % 2 !== 0) block.push(1);
      lanes.set(block);
      exp(block.length / 2);
      for (let j = 0; j < block.length; j++) if (!Object.is(lanes[j], nncExp(block[j]!))) differing++;
    }
    expect(inputs.length).toBeGreaterThan(360_000);
    expect(differing).toBe(0);
  });
});
