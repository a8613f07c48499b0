// The element-wise kernels of `precision f32` modules (plan.batch.kernel.kind === "wasm"): what used to run
// in TS between the matrix products, calling Math.exp and Math.log1p per element, now runs in f32x4:
//   s<p>(n)  a = σ(z) over the chunk's n rows of a sigmoid layer (Z<p>B → A<p>B, or in place)
//   h<p>(n)  a = tanh z likewise for a tanh layer
//   o(n)     the sigmoid output layer with binary cross-entropy: a = σ(z), dL/dz = a − y into DZ<p>B, and the
//            loss Σ max(z, 0) − y·z + log1p(e^−|z|) added, row by row, to the f64 running loss in LOSS
// f64 modules never use them (their element-wise work stays TS, bit-identical to the interpreter).
//
// exp is Cephes expf (S. L. Moshier): x clamped to [−104, 88.8] (below, e^x < 2^−150 rounds to 0; above, it
// overflows to +Inf; NaN stays NaN through the clamp), k = nearest(x·log₂e), r = x − k·ln2 in two parts
// (k·0.693359375 is exact and so is x minus it; k·(−2.12194440e−4) carries the rest of ln2), e^r by Cephes'
// degree-7 polynomial 1 + r + r²·P(r) on |r| ≤ ln2/2, then e^r·2^k with 2^k built in the exponent bits as
// two factors 2^⌊k/2⌋·2^(k−⌊k/2⌋) (each a normal f32 for k in [−150, 128]), so a result that overflows,
// or underflows into the subnormals, is rounded once, as Math.fround(Math.exp(x)) is.
// σ(z) = 1/(1 + t) for z ≥ 0 and t/(1 + t) for z < 0, with t = e^−|z| (no overflow for any z; the subnormal
// results of very negative z survive). log1p(t) for t = e^−|z| in [0, 1] is Cephes logf's polynomial on
// f = t (t ≤ √2 − 1) or f = (t − 1)/2 plus ln2 (t > √2 − 1), f in [−0.293, 0.415]. tanh is Cephes tanhf's
// odd polynomial for |z| < 0.625 and (1 − t)/(1 + t), t = e^−2|z|, above, with z's sign.
// Measured error against Math.fround of the f64 Math.* result (scripts/perf-exp-f32.ts: every f32 input
// with |x| in [2^−26, 105], every 97th elsewhere; tested in test/codegen/wasm.test.ts): exp ≤ 1 ulp, σ ≤ 2
// ulps, tanh ≤ 2 ulps, log1p(e^−|z|) ≤ 2 ulps; see docs/module.md.
import type { ChunkActivation } from "../../plan/base.js";
import type { ActivationKernel, KernelPlan } from "../../plan/kernels.js";
import { Builder, literalTiled, promotedHalf, runtimeTiled } from "./builder.js";
import { encodeModule, op, F64, I32, V128, type Bytes, type WasmFunction } from "./encoder.js";

/** Cephes expf: e^r ≈ 1 + r + r²·(((((P0 r + P1) r + P2) r + P3) r + P4) r + P5) on |r| ≤ ln2/2. */
export const EXP_COEFFICIENTS = [1.98756915e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1];
/** Cephes logf: log(1 + f) ≈ f − f²/2 + f³·(((((((Q0 f + Q1) f + Q2) …) f + Q8) on f in [√½ − 1, √2 − 1]. */
export const LOG_COEFFICIENTS = [
  7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
];
const LOG2E = 1.4426950408889634;
/** ln2 = LN2_HI + LN2_LO: LN2_HI has 9 significant bits, so k·LN2_HI is exact for |k| ≤ 2^15. */
const LN2_HI = 0.693359375;
const LN2_LO = -2.1219444e-4;
const EXP_MIN = -104;
const EXP_MAX = 88.8;
/** Cephes tanhf: tanh x ≈ x + x·x²·((((T0 x² + T1) x² + T2) x² + T3) x² + T4) for |x| < 0.625. */
export const TANH_COEFFICIENTS = [-5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1];
const TANH_SPLIT = 0.625;
/** √2 − 1: log1p's argument above it is halved around 1 (f = (t − 1)/2, plus ln2). */
const LOG1P_SPLIT = Math.SQRT2 - 1;

function f32Bytes(v: number): Bytes {
  return [...new Uint8Array(Float32Array.of(v).buffer)];
}

/** An f32x4 constant with v in every lane. */
export function splatF32(v: number): Bytes {
  const x = f32Bytes(v);
  return op.v128Const([...x, ...x, ...x, ...x]);
}

function splatI32(v: number): Bytes {
  const x = [...new Uint8Array(Int32Array.of(v).buffer)];
  return op.v128Const([...x, ...x, ...x, ...x]);
}

/** The polynomial c0·x^(n−1) + … + c(n−1) by Horner's rule in f32x4 (x in a local), left on the stack. */
function horner(b: Builder, x: number, coefficients: number[]): void {
  b.emit(splatF32(coefficients[0]!));
  for (const c of coefficients.slice(1)) b.emit(op.localGet(x), op.f32x4Mul, splatF32(c), op.f32x4Add);
}

/** f32x4 exp, sigmoid and log1p over v128 locals, with the scratch locals they need. */
class VectorMath {
  private readonly c: number;
  private readonly k: number;
  private readonly r: number;
  private readonly z: number;
  private readonly ki: number;
  private readonly k1: number;
  constructor(private readonly b: Builder) {
    [this.c, this.k, this.r, this.z, this.ki, this.k1] = [0, 0, 0, 0, 0, 0].map(() => b.local(V128)) as [number, number, number, number, number, number];
  }

  /** out = e^x (lane-wise; out may be x). */
  exp(x: number, out: number): void {
    const { b, c, k, r, z, ki, k1 } = this;
    b.emit(op.localGet(x), splatF32(EXP_MIN), op.f32x4Max, splatF32(EXP_MAX), op.f32x4Min, op.localSet(c));
    b.emit(op.localGet(c), splatF32(LOG2E), op.f32x4Mul, op.f32x4Nearest, op.localSet(k));
    // r = (x − k·LN2_HI) − k·LN2_LO: the first difference is exact
    b.emit(
      op.localGet(c),
      op.localGet(k),
      splatF32(LN2_HI),
      op.f32x4Mul,
      op.f32x4Sub,
      op.localGet(k),
      splatF32(LN2_LO),
      op.f32x4Mul,
      op.f32x4Sub,
      op.localSet(r),
    );
    b.emit(op.localGet(r), op.localGet(r), op.f32x4Mul, op.localSet(z));
    // e^r = (P(r)·r² + r) + 1
    horner(b, r, EXP_COEFFICIENTS);
    b.emit(op.localGet(z), op.f32x4Mul, op.localGet(r), op.f32x4Add, splatF32(1), op.f32x4Add);
    // · 2^⌊k/2⌋ (exact) · 2^(k − ⌊k/2⌋) (one rounding), each factor's bits (e + 127) << 23; NaN gives k = 0
    b.emit(op.localGet(k), op.i32x4TruncSatF32x4S, op.localSet(ki));
    b.emit(op.localGet(ki), op.i32Const(1), op.i32x4ShrS, op.localTee(k1), splatI32(127), op.i32x4Add, op.i32Const(23), op.i32x4Shl, op.f32x4Mul);
    b.emit(op.localGet(ki), op.localGet(k1), op.i32x4Sub, splatI32(127), op.i32x4Add, op.i32Const(23), op.i32x4Shl, op.f32x4Mul, op.localSet(out));
  }

  /** t = e^−|z| and a = σ(z) = (z ≥ 0 ? 1 : t) / (1 + t). */
  sigmoid(zIn: number, t: number, a: number): void {
    const { b } = this;
    b.emit(op.localGet(zIn), op.f32x4Abs, op.f32x4Neg, op.localSet(t));
    this.exp(t, t);
    b.emit(splatF32(1), op.localGet(t), op.localGet(zIn), splatF32(0), op.f32x4Ge, op.v128Bitselect);
    b.emit(splatF32(1), op.localGet(t), op.f32x4Add, op.f32x4Div, op.localSet(a));
  }

  /**
   * out = tanh x: Cephes' odd polynomial for |x| < 0.625, else (1 − t)/(1 + t) with t = e^−2|x| (no
   * cancellation there: t ≤ 0.29; ±1 for large |x|, no overflow), with x's sign bit; NaN stays NaN.
   */
  tanh(x: number, out: number): void {
    const { b, z } = this;
    const t = out; // out must not be x
    b.emit(op.localGet(x), op.f32x4Abs, splatF32(-2), op.f32x4Mul, op.localSet(t));
    this.exp(t, t);
    b.emit(op.localGet(x), op.localGet(x), op.f32x4Mul, op.localSet(z));
    // small |x|: ((Q(x²)·x²)·x) + x
    horner(b, z, TANH_COEFFICIENTS);
    b.emit(op.localGet(z), op.f32x4Mul, op.localGet(x), op.f32x4Mul, op.localGet(x), op.f32x4Add);
    // large |x|: (1 − t)/(1 + t), then x's sign
    b.emit(splatF32(1), op.localGet(t), op.f32x4Sub, splatF32(1), op.localGet(t), op.f32x4Add, op.f32x4Div);
    b.emit(op.localGet(x), splatF32(-0), op.v128And, op.v128Or);
    b.emit(op.localGet(x), op.f32x4Abs, splatF32(TANH_SPLIT), op.f32x4Lt, op.v128Bitselect, op.localSet(out));
  }

  /** out = log(1 + t) for t in [0, 1] (and NaN). */
  log1p(t: number, out: number): void {
    const { b, c: m, r: f, z } = this;
    b.emit(op.localGet(t), splatF32(LOG1P_SPLIT), op.f32x4Gt, op.localSet(m));
    // f = t − 1 halved (exact for t ≥ ½; one rounding on (√2 − 1, ½)) above the split, else t
    b.emit(op.localGet(t), splatF32(1), op.f32x4Sub, splatF32(0.5), op.f32x4Mul, op.localGet(t), op.localGet(m), op.v128Bitselect, op.localSet(f));
    b.emit(op.localGet(f), op.localGet(f), op.f32x4Mul, op.localSet(z));
    horner(b, f, LOG_COEFFICIENTS);
    // ((((Q(f)·f)·f² + LN2_LO·e) − f²/2) + f) + LN2_HI·e, e = 1 above the split (Cephes' order)
    b.emit(op.localGet(f), op.f32x4Mul, op.localGet(z), op.f32x4Mul, splatF32(LN2_LO), op.localGet(m), op.v128And, op.f32x4Add);
    b.emit(
      op.localGet(z),
      splatF32(-0.5),
      op.f32x4Mul,
      op.f32x4Add,
      op.localGet(f),
      op.f32x4Add,
      splatF32(LN2_HI),
      op.localGet(m),
      op.v128And,
      op.f32x4Add,
      op.localSet(out),
    );
  }
}

/** Over bytes 0 … end−1 (end in a local) in 16-byte steps: out = f(in) for one v128 of f32 at a time. */
function vectorLoop(b: Builder, end: number, at: number, body: () => void): void {
  b.emit(op.i32Const(0), op.localSet(at));
  b.emit(op.block, op.loop, op.localGet(at), op.localGet(end), op.i32GeS, op.brIf(1));
  body();
  b.emit(op.localGet(at), op.i32Const(16), op.i32Add, op.localSet(at), op.br(0), op.end, op.end);
}

/**
 * s<p>(n) / h<p>(n): A = σ(Z) / tanh(Z) over the chunk's n rows of layer p, one v128 at a time; the last
 * vector may run past n·outputs into the rest of the region or its padding to 16 bytes (the region holds
 * the chunk's CH rows: never another region), values nothing reads.
 */
function activationKernelOf(kernel: ActivationKernel, offsets: Map<string, number>): WasmFunction {
  const Z = offsets.get(kernel.input)!;
  const A = offsets.get(kernel.output)!;
  const b = new Builder(kernel.name);
  const [end, at] = [b.local(I32), b.local(I32)];
  const [z, t, a] = [b.local(V128), b.local(V128), b.local(V128)];
  const math = new VectorMath(b);
  b.emit(op.localGet(0), op.i32Const(kernel.width * 4), op.i32Mul, op.localSet(end));
  vectorLoop(b, end, at, () => {
    b.emit(op.localGet(at), op.v128Load32x4(Z), op.localSet(z));
    if (kernel.kind === "tanh") math.tanh(z, a);
    else math.sigmoid(z, t, a);
    b.emit(op.localGet(at), op.localGet(a), op.v128Store32x4(A));
  });
  return b.finish();
}

/**
 * o(n): the output layer's a = σ(z), dL/dz = a − y (f32) and the loss, row by row over the chunk's n rows
 * with the targets in YB: per row, loss = 0 + Σ_k (max(z_k, 0) − y_k·z_k + log1p(e^−|z_k|)) in f64, k
 * ascending, added to the f64 at LOSS. That is sampleLoss's arithmetic in its order (z and y are f32, so
 * y·z is exact in f64) except log1p(e^−|z|), computed in f32.
 */
function outputLossKernelOf(output: ChunkActivation, offsets: Map<string, number>): WasmFunction {
  const K = output.width;
  const Z = offsets.get(output.input)!;
  const A = offsets.get(output.output)!;
  const DZ = offsets.get(output.delta)!;
  const Y = offsets.get("YB")!;
  const LOSS = offsets.get("LOSS")!;
  const b = new Builder("o");
  const [s, sK, j] = [b.local(I32), b.local(I32), b.local(I32)];
  const [z, y, t, a, L, d] = [0, 0, 0, 0, 0, 0].map(() => b.local(V128)) as [number, number, number, number, number, number];
  const [total, row] = [b.local(F64), b.local(F64)];
  const math = new VectorMath(b);
  const address = (): void => b.emit(op.localGet(sK), op.localGet(j), op.i32Add);
  b.emit(op.i32Const(0), op.f64Load(LOSS), op.localSet(total));
  runtimeTiled(
    b,
    1,
    [
      [s, 1],
      [sK, K * 4],
    ],
    () => {
      b.emit(op.f64Const0, op.localSet(row));
      literalTiled(b, K, 4, [[j, 4]], (width) => {
        address();
        b.emit(op.v128Load32x4(Z), op.localSet(z));
        address();
        b.emit(op.v128Load32x4(Y), op.localSet(y));
        math.sigmoid(z, t, a);
        math.log1p(t, L);
        b.emit(op.localGet(a), op.localGet(y), op.f32x4Sub, op.localSet(d));
        storeLanes(b, address, A, width, a);
        storeLanes(b, address, DZ, width, d);
        // lanes 0, 1 then 2, 3 in f64: (max(z, 0) − y·z) + log1p(e^−|z|), added to the row's loss in order
        for (const half of [0, 1]) {
          const count = Math.min(2, width - 2 * half);
          if (count <= 0) break;
          const promote = (v: number): Bytes => promotedHalf(v, half === 1);
          b.emit(
            promote(z),
            op.f64Const0,
            op.f64x2Splat,
            op.f64x2Max,
            promote(y),
            promote(z),
            op.f64x2Mul,
            op.f64x2Sub,
            promote(L),
            op.f64x2Add,
            op.localSet(d),
          );
          for (let lane = 0; lane < count; lane++) b.emit(op.localGet(row), op.localGet(d), op.f64x2ExtractLane(lane), op.f64Add, op.localSet(row));
        }
      });
      b.emit(op.localGet(total), op.localGet(row), op.f64Add, op.localSet(total));
    },
  );
  b.emit(op.i32Const(0), op.localGet(total), op.f64Store(LOSS));
  return b.finish();
}

/** Stores the first `count` f32 lanes of local v at address + offset (all four: one v128 store). */
function storeLanes(b: Builder, address: () => void, offset: number, count: number, v: number): void {
  if (count === 4) {
    address();
    b.emit(op.localGet(v), op.v128Store32x4(offset));
    return;
  }
  for (let k = 0; k < count; k++) {
    address();
    b.emit(op.localGet(v), op.f32x4ExtractLane(k), op.f32Store(offset + 4 * k));
  }
}

/** The element-wise kernels a plan uses (empty for f64 modules). */
export function elementwiseKernels(kernels: KernelPlan): WasmFunction[] {
  const { offsets } = kernels.memory;
  const fns = kernels.activations.map((a) => activationKernelOf(a, offsets));
  if (kernels.outputLoss !== null) fns.push(outputLossKernelOf(kernels.outputLoss, offsets));
  return fns;
}

/**
 * A module for testing the vector functions on their own: exp(n), log1p(n), sigmoid(n), tanh(n), softplus(n) (log1p(e^−|x|)) map the n f32 at
 * byte 0 (n a multiple of 4) to the n f32 at byte 4·capacity. Built by the same code as the kernels'.
 */
export function buildMathKernels(capacity: number): Uint8Array<ArrayBuffer> {
  const out = capacity * 4;
  const fn = (name: string, f: (math: VectorMath, b: Builder, x: number, y: number) => void): WasmFunction => {
    const b = new Builder(name);
    const [end, at] = [b.local(I32), b.local(I32)];
    const [x, y] = [b.local(V128), b.local(V128)];
    const math = new VectorMath(b);
    b.emit(op.localGet(0), op.i32Const(4), op.i32Mul, op.localSet(end));
    vectorLoop(b, end, at, () => {
      b.emit(op.localGet(at), op.v128Load32x4(0), op.localSet(x));
      f(math, b, x, y);
      b.emit(op.localGet(at), op.localGet(y), op.v128Store32x4(out));
    });
    return b.finish();
  };
  const functions = [
    fn("exp", (m, _b, x, y) => m.exp(x, y)),
    fn("log1p", (m, _b, x, y) => m.log1p(x, y)),
    fn("sigmoid", (m, b, x, y) => m.sigmoid(x, b.local(V128), y)),
    fn("tanh", (m, _b, x, y) => m.tanh(x, y)),
    // log1p(e^−|x|), as the o kernel computes the loss term from σ's t
    fn("softplus", (m, b, x, y) => {
      const t = b.local(V128);
      m.sigmoid(x, t, y);
      m.log1p(t, y);
    }),
  ];
  return encodeModule(functions, Math.ceil((2 * out + 64) / 65536));
}
