// The WebAssembly SIMD kernels of the blocked batch shape (plan.batch.kernel.kind === "wasm"):
// per planned matrix product (plan.matmuls: one per dense layer), functions of the chunk's sample count n,
// every size a literal:
//   f<p>(n)  Z = X·Wᵀ + b   (into Z<p>B, or A<p>B when nothing reads z: the TS activation runs in place), after r
//   w<p>(n)  dW += δᵀ·X     (onto the gradient copy G)
//   x<p>(n)  dX = δ·W       (into GA<p−1>B, or GINB for the first layer)
//   p<p>(n)  Z = X·Wᵀ + b from the transposed weights (the predictor), after t (the transpose)
// Lanes hold INDEPENDENT outputs (2 f64 or 4 f32: z_j … of one sample, dW_ji … of one row, dX_si … of one
// sample), so every scalar sum is the interpreter's, in its order: Σ_i w·x ascending then + b; the running
// gradient then samples ascending; outputs ascending from 0. mul then add, never fused (base SIMD has no
// FMA). f64 modules compute in f64x2: bit-identical to the TS blocked path and the interpreter's arithmetic.
// `precision f32` modules compute in f32x4 (f32 storage AND f32 arithmetic, as TF.js and PyTorch do): each
// product and each partial sum is rounded to f32, so their results differ from the f64 interpreter (and from
// the f32 module's TS fallback, which computes in f64 and rounds on store) by f32 rounding only; the bound is
// stated in docs/module.md and tested in test/codegen/wasm.test.ts. Widths that are not a multiple of the
// lane count compute a last vector whose extra lanes read the next elements (garbage, never stored) and store
// the valid lanes only; memory has slack at the end for that read.
// The forward reads its weight vector {W[j][i], W[j+1][i], …} with one contiguous load from PT, the weights
// transposed by the r kernel after each copy of the parameters into P (a blocked 4 × 4 / 2 × 2 transpose;
// gathering from 2 or 4 rows instead measured 57–66 % of the SIMD128 ceiling against 88–94 %:
// docs/performance.md, "Kernels near the ceiling"). Everything lives in the kernel's own memory at literal
// byte offsets (layout below): P parameters, PT their transpose, G gradient, XB the chunk's input rows, the
// chunk buffers of plan.batchBuffers, GINB the chunk's input gradient, LR the SGD step's rate (u).
import type { PlannedLayerBase } from "../../layers/types.js";
import type { PlanOf } from "../../plan/types.js";
import type { PlannedMatmul } from "../../plan/base.js";
import type { KernelMemory } from "../../plan/kernels.js";
import { encodeModule, op, V128, I32, type Bytes, type WasmFunction } from "./encoder.js";
import { Builder, JOIN_DEMOTED, literalTiled, promotedHalf, resetCounters, advance, runtimeTiled } from "./builder.js";

/** The kernels read the plan's products, kernel plan and sizes, never a layer's own planned form. */
type Plan = PlanOf<PlannedLayerBase>;
import { elementwiseKernels } from "./elementwise.js";

/**
 * The vector arithmetic of one precision: f64x2 for f64 modules, f32x4 for f32 modules. Loads take the
 * address on the stack; stores the address and the v128 value above it.
 */
interface Element {
  bytes: number;
  /** Numbers per v128. */
  lanes: number;
  /** Elements a … a+lanes−1. */
  vector(offset: number): Bytes;
  /** Element a in every lane. */
  splat(offset: number): Bytes;
  /** Stores the first `count` lanes (all of them: one v128 store; fewer: lane by lane). */
  store(offset: number, count: number): Bytes;
  /** {row0[a], row1[a], …} from `lanes` rows at offsets o0, o1, …: `address` is emitted once per lane. */
  gather(address: Bytes, offsets: number[]): Bytes;
  add: Bytes;
  mul: Bytes;
  div: Bytes;
  /** The i32 on the stack converted to this precision, in every lane. */
  splatInt: Bytes;
  /** One number (the transpose's copy). */
  load(offset: number): Bytes;
  storeOne(offset: number): Bytes;
}

const F64_ELEMENT: Element = {
  bytes: 8,
  lanes: 2,
  vector: (o) => op.v128Load(o),
  splat: (o) => op.v128Load64Splat(o),
  store: (o, count) => (count === 2 ? op.v128Store(o) : [...op.f64x2ExtractLane(0), ...op.f64Store(o)]),
  gather: (a, [o0, o1]) => [...a, ...a, ...op.v128Load64Splat(o0!), ...op.v128Load64Lane(o1!, 1)],
  add: op.f64x2Add,
  mul: op.f64x2Mul,
  div: op.f64x2Div,
  splatInt: [...op.f64ConvertI32S, ...op.f64x2Splat],
  load: (o) => op.f64Load(o),
  storeOne: (o) => op.f64Store(o),
};

const F32_ELEMENT: Element = {
  bytes: 4,
  lanes: 4,
  vector: (o) => op.v128Load32x4(o),
  splat: (o) => op.v128Load32Splat(o),
  store: (o, count) => (count === 4 ? op.v128Store32x4(o) : []), // partial: see store() below
  gather: (a, offsets) => [...offsets.flatMap(() => a), ...op.v128Load32Splat(offsets[0]!), ...offsets.slice(1).flatMap((o, k) => op.v128Load32Lane(o, k + 1))],
  add: op.f32x4Add,
  mul: op.f32x4Mul,
  div: op.f32x4Div,
  splatInt: [...op.f32ConvertI32S, ...op.f32x4Splat],
  load: (o) => op.f32Load(o),
  storeOne: (o) => op.f32Store(o),
};

function elementOf(plan: Plan): Element {
  return plan.precision === "f32" ? F32_ELEMENT : F64_ELEMENT;
}

/** Register tile of w<p> and x<p> in f64 modules: `rows` samples (dX) or outputs (dW) × `vectors` f64x2 columns. */
export const WASM_TILE = { rows: 4, vectors: 2 };

/**
 * The same in f32 modules (f32x4 columns): 2 × 4 measured w1 +6–8 % at kernel level and lossAndGradient
 * +2–4 % against 4 × 2 on the letters and Fashion nets (docs/performance.md 11); f64 showed no difference.
 */
export const WASM_TILE_F32 = { rows: 2, vectors: 4 };

function tileOf(plan: Plan): { rows: number; vectors: number } {
  return plan.precision === "f32" ? WASM_TILE_F32 : WASM_TILE;
}

/** The kernel memory layout the plan decided (src/plan/kernels.ts). */
export type KernelLayout = KernelMemory;

/** The plan's kernel memory layout; an Error for a plan without kernels (not user input). */
export function kernelLayout(plan: Plan): KernelLayout {
  if (plan.kernels === null) throw new Error(`emit: plan ${plan.name} has no WebAssembly kernels`);
  return plan.kernels.memory;
}

function sumOf(b: Builder, a: number, c: number): void {
  b.emit(op.localGet(a), op.localGet(c), op.i32Add);
}

/**
 * Stores the first `count` lanes of the v128 `value` (pushed by `push`) at address + offset: one v128 store
 * for a full vector, else lane by lane (f64: lane 0; f32: lanes 0 … count−1, each extracted and stored).
 */
function store(b: Builder, el: Element, address: () => void, offset: number, count: number, push: () => void): void {
  if (count === el.lanes || el.lanes === 2) {
    address();
    push();
    b.emit(el.store(offset, count));
    return;
  }
  for (let k = 0; k < count; k++) {
    address();
    push();
    b.emit(op.f32x4ExtractLane(k), op.f32Store(offset + 4 * k));
  }
}

function vectorsOf(el: Element, width: number): number[] {
  return Array.from({ length: Math.ceil(width / el.lanes) }, (_, v) => v);
}

function lanes(el: Element, width: number, v: number): number {
  return Math.min(el.lanes, width - el.lanes * v);
}

function zeroVector(b: Builder, local: number): void {
  b.emit(op.f64Const0, op.f64x2Splat, op.localSet(local));
}

/** Kernel memory regions of a product's input rows and input gradient: the chunk's XB / GINB for the sample, else the chunk buffer. */
function inputRegion(m: PlannedMatmul): string {
  return m.input.kind === "sample" ? "XB" : m.input.name;
}

function inputGradientRegion(m: PlannedMatmul): string {
  return m.inputGradient.kind === "sample" ? "GINB" : m.inputGradient.name;
}

/**
 * Register tile and loop order of the forward f<p> (chosen by measurement: docs/performance.md, "Kernels near
 * the ceiling"): `rows` samples × `vectors` v128 columns of outputs; outputsOuter: the loop over output
 * columns outside the loop over sample tiles (a column strip of the packed weights reused by every tile).
 */
export const FORWARD_TILE = { rows: 4, vectors: 2, outputsOuter: false };

/**
 * f<p>(n): Z = X·Wᵀ + b. With plan.kernels.packedForward (f32) the weights are read from their transposed
 * copy in PT (the r kernel writes it per call: W[j][i] at PT + weightOffset + i·Out + j), so {W[j][i] …
 * W[j+L−1][i]} is one contiguous vector load; f64 gathers it from 2 rows (a splat load and a lane load).
 * Same sums, same order either way.
 */
function forwardKernel(plan: Plan, layout: KernelLayout, m: PlannedMatmul): WasmFunction {
  const { rows: RS, vectors: V, outputsOuter } = FORWARD_TILE;
  const In = m.inputs;
  const Out = m.outputs;
  const el = elementOf(plan);
  const E = el.bytes;
  const L = el.lanes;
  const X = layout.offsets.get(inputRegion(m))!;
  const Z = layout.offsets.get(m.output)!;
  const bias = layout.offsets.get("P")! + m.biasOffset * E;
  const WT = (layout.offsets.get("PT") ?? 0) + m.weightOffset * E;
  const W = layout.offsets.get("P")! + m.weightOffset * E;
  const b = new Builder(`f${m.id}`);
  const [s, sIn, sOut, jE, iE, iOut, jIn] = [0, 0, 0, 0, 0, 0, 0].map(() => b.local(I32)) as [number, number, number, number, number, number, number];
  const acc = Array.from({ length: RS }, () => Array.from({ length: V }, () => b.local(V128)));
  const w = Array.from({ length: V }, () => b.local(V128));
  const x = Array.from({ length: RS }, () => b.local(V128));
  // one register tile: `rows` samples from s × the output columns from jE, summed over the inputs ascending
  const tile = (rows: number, width: number): void => {
    const vs = vectorsOf(el, width);
    for (let r = 0; r < rows; r++) for (const v of vs) zeroVector(b, acc[r]![v]!);
    literalTiled(
      b,
      In,
      1,
      [
        [iE, E],
        [iOut, Out * E],
      ],
      () => {
        // WT[i][j + Lv …]: lanes past the layer's outputs in a tail vector read the next row (never stored)
        if (plan.kernels!.packedForward) for (const v of vs) b.emit(sumOfBytes(iOut, jE), el.vector(WT + L * v * E), op.localSet(w[v]!));
        else
          for (const v of vs) {
            const rowsOfLanes = Array.from({ length: L }, (_, k) => W + (L * v + k) * In * E);
            b.emit(el.gather([...sumOfBytes(jIn, iE)], rowsOfLanes), op.localSet(w[v]!));
          }
        for (let r = 0; r < rows; r++) b.emit(sumOfBytes(sIn, iE), el.splat(X + r * In * E), op.localSet(x[r]!));
        for (let r = 0; r < rows; r++) {
          for (const v of vs) b.emit(op.localGet(acc[r]![v]!), op.localGet(w[v]!), op.localGet(x[r]!), el.mul, el.add, op.localSet(acc[r]![v]!));
        }
      },
    );
    for (let r = 0; r < rows; r++) {
      for (const v of vs) {
        store(
          b,
          el,
          () => sumOf(b, sOut, jE),
          Z + (r * Out + L * v) * E,
          lanes(el, width, v),
          () => b.emit(op.localGet(acc[r]![v]!), op.localGet(jE), el.vector(bias + L * v * E), el.add),
        );
      }
    }
  };
  const samples = (body: (rows: number) => void): void =>
    runtimeTiled(
      b,
      RS,
      [
        [s, 1],
        [sIn, In * E],
        [sOut, Out * E],
      ],
      body,
    );
  const outputs = (body: (width: number) => void): void =>
    literalTiled(
      b,
      Out,
      L * V,
      [
        [jE, E],
        [jIn, In * E],
      ],
      body,
    );
  if (outputsOuter) outputs((width) => samples((rows) => tile(rows, width)));
  else samples((rows) => outputs((width) => tile(rows, width)));
  return b.finish();
}

function sumOfBytes(a: number, c: number): Bytes {
  return [...op.localGet(a), ...op.localGet(c), ...op.i32Add];
}

function weightGradientKernel(plan: Plan, layout: KernelLayout, m: PlannedMatmul): WasmFunction {
  const { rows: RJ, vectors: V } = tileOf(plan);
  const In = m.inputs;
  const Out = m.outputs;
  const el = elementOf(plan);
  const E = el.bytes;
  const L = el.lanes;
  const X = layout.offsets.get(inputRegion(m))!;
  const DZ = layout.offsets.get(m.delta)!;
  const G = layout.offsets.get("G")! + m.weightOffset * E;
  const b = new Builder(`w${m.id}`);
  const [ib, jIn, jE, s, sIn, sOut] = [0, 0, 0, 0, 0, 0].map(() => b.local(I32)) as [number, number, number, number, number, number];
  const acc = Array.from({ length: RJ }, () => Array.from({ length: V }, () => b.local(V128)));
  const u = Array.from({ length: V }, () => b.local(V128));
  const d = Array.from({ length: RJ }, () => b.local(V128));
  literalTiled(b, In, L * V, [[ib, E]], (width) => {
    const vs = vectorsOf(el, width);
    literalTiled(
      b,
      Out,
      RJ,
      [
        [jE, E],
        [jIn, In * E],
      ],
      (rows) => {
        for (let r = 0; r < rows; r++) for (const v of vs) b.emit(sumOfBytes(jIn, ib), el.vector(G + (r * In + L * v) * E), op.localSet(acc[r]![v]!));
        // samples ascending onto the running gradient (n may be 0 only for an empty chunk, which never happens)
        resetCounters(b, [
          [s, 1],
          [sIn, In * E],
          [sOut, Out * E],
        ]);
        b.emit(op.block, op.loop, op.localGet(s), op.localGet(0), op.i32GeS, op.brIf(1));
        for (const v of vs) b.emit(sumOfBytes(sIn, ib), el.vector(X + L * v * E), op.localSet(u[v]!));
        for (let r = 0; r < rows; r++) b.emit(sumOfBytes(sOut, jE), el.splat(DZ + r * E), op.localSet(d[r]!));
        for (let r = 0; r < rows; r++) {
          for (const v of vs) b.emit(op.localGet(acc[r]![v]!), op.localGet(d[r]!), op.localGet(u[v]!), el.mul, el.add, op.localSet(acc[r]![v]!));
        }
        advance(
          b,
          [
            [s, 1],
            [sIn, In * E],
            [sOut, Out * E],
          ],
          1,
        );
        b.emit(op.br(0), op.end, op.end);
        for (let r = 0; r < rows; r++) {
          for (const v of vs)
            store(
              b,
              el,
              () => sumOf(b, jIn, ib),
              G + (r * In + L * v) * E,
              lanes(el, width, v),
              () => b.emit(op.localGet(acc[r]![v]!)),
            );
        }
      },
    );
  });
  return b.finish();
}

function inputGradientKernel(plan: Plan, layout: KernelLayout, m: PlannedMatmul): WasmFunction {
  const { rows: RS, vectors: V } = tileOf(plan);
  const In = m.inputs;
  const Out = m.outputs;
  const T = layout.offsets.get(inputGradientRegion(m))!;
  const el = elementOf(plan);
  const E = el.bytes;
  const L = el.lanes;
  const DZ = layout.offsets.get(m.delta)!;
  const W = layout.offsets.get("P")! + m.weightOffset * E;
  const b = new Builder(`x${m.id}`);
  const [s, sIn, sOut, ib, jIn, jE] = [0, 0, 0, 0, 0, 0].map(() => b.local(I32)) as [number, number, number, number, number, number];
  const acc = Array.from({ length: RS }, () => Array.from({ length: V }, () => b.local(V128)));
  const w = Array.from({ length: V }, () => b.local(V128));
  const d = Array.from({ length: RS }, () => b.local(V128));
  runtimeTiled(
    b,
    RS,
    [
      [s, 1],
      [sIn, In * E],
      [sOut, Out * E],
    ],
    (rows) =>
      literalTiled(b, In, L * V, [[ib, E]], (width) => {
        const vs = vectorsOf(el, width);
        for (let r = 0; r < rows; r++) for (const v of vs) zeroVector(b, acc[r]![v]!);
        literalTiled(
          b,
          Out,
          1,
          [
            [jE, E],
            [jIn, In * E],
          ],
          () => {
            for (const v of vs) b.emit(sumOfBytes(jIn, ib), el.vector(W + L * v * E), op.localSet(w[v]!));
            for (let r = 0; r < rows; r++) b.emit(sumOfBytes(sOut, jE), el.splat(DZ + r * Out * E), op.localSet(d[r]!));
            for (let r = 0; r < rows; r++) {
              for (const v of vs) b.emit(op.localGet(acc[r]![v]!), op.localGet(w[v]!), op.localGet(d[r]!), el.mul, el.add, op.localSet(acc[r]![v]!));
            }
          },
        );
        for (let r = 0; r < rows; r++) {
          for (const v of vs)
            store(
              b,
              el,
              () => sumOf(b, sIn, ib),
              T + (r * In + L * v) * E,
              lanes(el, width, v),
              () => b.emit(op.localGet(acc[r]![v]!)),
            );
        }
      }),
  );
  return b.finish();
}

/** i8x16.shuffle of the lanes (0 … 2L−1 over the two operands) of an L-lane vector of E-byte numbers. */
function laneShuffle(E: number, picks: number[]): Bytes {
  return op.i8x16Shuffle(picks.flatMap((l) => Array.from({ length: E }, (_, k) => l * E + k)));
}

/**
 * t(_) and r(_): the weights of P transposed (layer p's W[j][i] at region + weightOffset + i·Out + j), in
 * blocks of L × L (4 × 4 f32, 2 × 2 f64: L row loads, an in-register transpose by shuffles, L column
 * stores), the edges one number at a time. t writes the gradient region G, for the predictor's p<p>
 * kernels: a snapshot is transposed once, when it is copied into kernel memory; G is free then (only
 * lossAndGradient uses it, and it marks the snapshot gone, KP_SNAPSHOT = null, so the next predictor call
 * copies and transposes again). r writes PT, for f<p>, after every copy of the parameters into P.
 * (Scalar, one number at a time, W5's 100 352 weights took ~135 µs, as much as the packed forward saved;
 * blocked: docs/performance.md, "Kernels near the ceiling".)
 */
function transposeKernel(plan: Plan, layout: KernelLayout, name: "t" | "r", region: "G" | "PT"): WasmFunction {
  const el = elementOf(plan);
  const E = el.bytes;
  const L = el.lanes;
  const b = new Builder(name);
  const [jIn, jE, iE, iOut] = [0, 0, 0, 0].map(() => b.local(I32)) as [number, number, number, number];
  const rows = Array.from({ length: L }, () => b.local(V128));
  const pairs = Array.from({ length: L }, () => b.local(V128));
  for (const m of plan.matmuls) {
    const In = m.inputs;
    const Out = m.outputs;
    const W = layout.offsets.get("P")! + m.weightOffset * E;
    const T = layout.offsets.get(region)! + m.weightOffset * E;
    // alignment hint 2⁰ (the kernels' bytes keep the products' loads apart from these: the tests plant bugs in
    // the products by byte pattern, test/support/kernel-bytes.ts)
    const load = (r: number): Bytes => [...sumOfBytes(jIn, iE), ...op.v128LoadUnaligned(W + r * In * E)];
    // column c of the block ({W[j][i+c] … W[j+L−1][i+c]}) on the stack, stored at T[i+c][j …]
    const storeColumn = (c: number, value: Bytes): void => b.emit(sumOfBytes(iOut, jE), value, v128StoreOf(el, T + c * Out * E));
    literalTiled(
      b,
      Out,
      L,
      [
        [jE, E],
        [jIn, In * E],
      ],
      (jw) =>
        literalTiled(
          b,
          In,
          L,
          [
            [iE, E],
            [iOut, Out * E],
          ],
          (iw) => {
            if (jw < L || iw < L) {
              for (let r = 0; r < jw; r++)
                for (let c = 0; c < iw; c++)
                  b.emit(sumOfBytes(iOut, jE), sumOfBytes(jIn, iE), el.load(W + (r * In + c) * E), el.storeOne(T + (c * Out + r) * E));
              return;
            }
            for (let r = 0; r < L; r++) b.emit(load(r), op.localSet(rows[r]!));
            const get = (v: number): Bytes => op.localGet(v);
            if (L === 2) {
              for (let c = 0; c < 2; c++) storeColumn(c, [...get(rows[0]!), ...get(rows[1]!), ...laneShuffle(E, [c, 2 + c])]);
              return;
            }
            // rows a0 … a3 → pairs {a0[0], a1[0], a0[1], a1[1]}, {a0[2], a1[2], a0[3], a1[3]}, the same of a2, a3
            for (let h = 0; h < 2; h++)
              for (let q = 0; q < 2; q++)
                b.emit(get(rows[2 * h]!), get(rows[2 * h + 1]!), laneShuffle(E, [2 * q, 4 + 2 * q, 2 * q + 1, 5 + 2 * q]), op.localSet(pairs[2 * h + q]!));
            // column c = 2q + d: {a0[c], a1[c]} from the first pair, {a2[c], a3[c]} from the second
            for (let q = 0; q < 2; q++)
              for (let d = 0; d < 2; d++)
                storeColumn(2 * q + d, [...get(pairs[q]!), ...get(pairs[2 + q]!), ...laneShuffle(E, [2 * d, 2 * d + 1, 4 + 2 * d, 5 + 2 * d])]);
          },
        ),
    );
  }
  return b.finish();
}

/** A full v128 store at address + offset (f64: 8-byte, f32: 4-byte alignment hint, as the loads). */
function v128StoreOf(el: Element, offset: number): Bytes {
  return el.lanes === 2 ? op.v128Store(offset) : op.v128Store32x4(offset);
}

/**
 * Vectors per pass (of 2 f64 or 4 f32 outputs each) of the p<p> kernels: 8, i.e. 16 f64 / 32 f32 outputs
 * per pass over the input (measured on Fashion: f32 19.5 µs vs 20.4 with 4 and 31.7 with 2; f64 36.7 µs vs
 * 40.9 with 4 and 51.2 with 16).
 */
export const PREDICTOR_VECTORS = 8;

/**
 * p<p>(n): Z = X·Wᵀ + b from the transposed weights in G (contiguous vector loads of {W[j][i] … W[j+L−1][i]}
 * instead of the forward's gather), the same sums in the same order as f<p>, one sample at a time (the
 * predictor calls it with n = 1). (f32 f<p> now reads the same layout from PT, transposed per call by the
 * blocked r kernel; with a scalar transpose that measured no faster, since the transpose cost what the
 * contiguous loads saved: docs/performance.md, "Kernels near the ceiling".)
 */
function transposedForwardKernel(plan: Plan, layout: KernelLayout, m: PlannedMatmul): WasmFunction {
  const V = PREDICTOR_VECTORS;
  const In = m.inputs;
  const Out = m.outputs;
  const el = elementOf(plan);
  const E = el.bytes;
  const L = el.lanes;
  const X = layout.offsets.get(inputRegion(m))!;
  const Z = layout.offsets.get(m.output)!;
  const bias = layout.offsets.get("P")! + m.biasOffset * E;
  const WT = layout.offsets.get("G")! + m.weightOffset * E;
  const b = new Builder(`p${m.id}`);
  const [s, sIn, sOut, jE, iE, iOut] = [0, 0, 0, 0, 0, 0].map(() => b.local(I32)) as [number, number, number, number, number, number];
  const acc = Array.from({ length: V }, () => b.local(V128));
  const w = Array.from({ length: V }, () => b.local(V128));
  const x = b.local(V128);
  runtimeTiled(
    b,
    1,
    [
      [s, 1],
      [sIn, In * E],
      [sOut, Out * E],
    ],
    () => {
      literalTiled(b, Out, L * V, [[jE, E]], (width) => {
        const vs = vectorsOf(el, width);
        for (const v of vs) zeroVector(b, acc[v]!);
        literalTiled(
          b,
          In,
          1,
          [
            [iE, E],
            [iOut, Out * E],
          ],
          () => {
            // WT[i][j + Lv …]: lanes past the layer's outputs in a tail vector read the next row (never stored)
            for (const v of vs) b.emit(sumOfBytes(iOut, jE), el.vector(WT + L * v * E), op.localSet(w[v]!));
            b.emit(sumOfBytes(sIn, iE), el.splat(X), op.localSet(x));
            for (const v of vs) b.emit(op.localGet(acc[v]!), op.localGet(w[v]!), op.localGet(x), el.mul, el.add, op.localSet(acc[v]!));
          },
        );
        for (const v of vs) {
          store(
            b,
            el,
            () => sumOf(b, sOut, jE),
            Z + L * v * E,
            lanes(el, width, v),
            () => b.emit(op.localGet(acc[v]!), op.localGet(jE), el.vector(bias + L * v * E), el.add),
          );
        }
      });
    },
  );
  return b.finish();
}

/**
 * g(count): the gradient region divided by the batch's sample count in place, G[i] = G[i] / count, one
 * vector at a time (the last one runs into G's padding to the next 16 bytes, never into another region).
 * The same numbers as the TS loop grad[i] = KG[i] / count: for f64 the same division; for f32 an f32
 * division, which equals the f64 quotient rounded to f32 (double rounding is innocuous for division when the
 * wider format has at least 2·24 + 2 bits).
 */
function meanKernel(plan: Plan, layout: KernelLayout): WasmFunction {
  const el = elementOf(plan);
  const G = layout.offsets.get("G")!;
  const b = new Builder("g");
  const a = b.local(I32);
  const d = b.local(V128);
  b.emit(op.localGet(0), el.splatInt, op.localSet(d));
  literalTiled(b, Math.ceil(plan.parameters / el.lanes), 1, [[a, 16]], () => {
    b.emit(op.localGet(a), op.localGet(a), el.vector(G), op.localGet(d), el.div, op.v128Store(G));
  });
  return b.finish();
}

/**
 * u(_): the SGD step over the parameter region, P[i] = P[i] − lr·G[i] with lr the f64 in LR, one vector at a
 * time, 16-byte aligned (the regions start at multiples of 16 bytes; the last vector runs into the padding
 * to the next multiple, never into another region). The TS step's arithmetic exactly:
 * f64 modules multiply then subtract in f64x2; f32 modules promote p and g to f64 (exact), multiply and
 * subtract in f64 and round the difference to f32 once (f32x4.demote, round to nearest even, as the TS
 * loop's Float32Array store), so both give the TS step's bits, and the interpreter's in f64.
 */
function stepKernel(plan: Plan, layout: KernelLayout): WasmFunction {
  const step = plan.kernels!.step!;
  if (step.kind === "adam") return adamStepKernel(plan, layout, step);
  const el = elementOf(plan);
  const P = layout.offsets.get("P")!;
  const G = layout.offsets.get("G")!;
  const b = new Builder("u");
  const a = b.local(I32);
  const lr = b.local(V128);
  b.emit(op.i32Const(0), op.f64Load(layout.offsets.get("LR")!), op.f64x2Splat, op.localSet(lr));
  if (el.lanes === 2) {
    literalTiled(b, Math.ceil(plan.parameters / 2), 1, [[a, 16]], () => {
      b.emit(
        op.localGet(a),
        op.localGet(a),
        op.v128LoadAligned(P),
        op.localGet(lr),
        op.localGet(a),
        op.v128LoadAligned(G),
        op.f64x2Mul,
        op.f64x2Sub,
        op.v128StoreAligned(P),
      );
    });
    return b.finish();
  }
  const [p, g] = [b.local(V128), b.local(V128)];
  // lanes 0, 1 (upper = false) or 2, 3 of p − lr·g in f64, rounded to f32 in lanes 0, 1
  const half = (upper: boolean): Bytes => [
    ...promotedHalf(p, upper),
    ...op.localGet(lr),
    ...promotedHalf(g, upper),
    ...op.f64x2Mul,
    ...op.f64x2Sub,
    ...op.f32x4DemoteF64x2Zero,
  ];
  literalTiled(b, Math.ceil(plan.parameters / 4), 1, [[a, 16]], () => {
    b.emit(op.localGet(a), op.v128LoadAligned(P), op.localSet(p), op.localGet(a), op.v128LoadAligned(G), op.localSet(g));
    b.emit(op.localGet(a), half(false), half(true), JOIN_DEMOTED, op.v128StoreAligned(P));
  });
  return b.finish();
}

/** A v128 constant of two f64 lanes holding x. */
function f64x2Const(x: number): Bytes {
  return op.v128Const([...new Uint8Array(new Float64Array([x, x]).buffer)]);
}

/**
 * u(_) for Adam: per parameter, as the TS step's loop (src/maths.ts, OPTIMIZERS.adam) writes it,
 *   m = β₁·m + (1 − β₁)·g;  v = β₂·v + ((1 − β₂)·g)·g;  p = p − (lr·(m / c1)) / (√(v / c2) + ε)
 * with lr, c1 and c2 the f64s in LR (the step computes c1 = 1 − β₁ᵗ and c2 = 1 − β₂ᵗ, as in TS) and β₁, β₂,
 * 1 − β₁, 1 − β₂ and ε f64 literals (1 − β is computed here in f64, as the generated TS computes it). The same
 * operations on the same operands in the same order, IEEE-rounded, with no fused multiply-add (base SIMD128 has
 * none) and a correctly rounded √: so the TS loop's bits. f32 modules promote p, g, m and v to f64 (exact), and
 * round m and v to f32 when stored and read them back rounded (as the TS loop's Float32Array stores and loads),
 * and p once at the end.
 */
function adamStepKernel(plan: Plan, layout: KernelLayout, adam: { beta1: number; beta2: number; eps: number }): WasmFunction {
  const el = elementOf(plan);
  const [P, G, M, V, LR] = ["P", "G", "M", "V", "LR"].map((r) => layout.offsets.get(r)!) as [number, number, number, number, number];
  const b = new Builder("u");
  const a = b.local(I32);
  const [lr, c1, c2] = [b.local(V128), b.local(V128), b.local(V128)];
  for (const [local, at] of [
    [lr, 0],
    [c1, 8],
    [c2, 16],
  ] as const)
    b.emit(op.i32Const(0), op.f64Load(LR + at), op.f64x2Splat, op.localSet(local));
  const [beta1, oneMinusBeta1, beta2, oneMinusBeta2, eps] = [adam.beta1, 1 - adam.beta1, adam.beta2, 1 - adam.beta2, adam.eps].map(f64x2Const) as [
    Bytes,
    Bytes,
    Bytes,
    Bytes,
    Bytes,
  ];
  // f64x2 locals: the operands of one pair of parameters, and the new m and v (as stored).
  const [p, g, m, v] = [b.local(V128), b.local(V128), b.local(V128), b.local(V128)];
  // m, v, then p of the pair in p, g, m, v: leaves the new p (f64x2) on the stack, m and v updated in place.
  // `round` rounds a stored value as its typed array does (f32: demote then promote back; f64: nothing).
  const update = (round: Bytes): Bytes => [
    ...beta1,
    ...op.localGet(m),
    ...op.f64x2Mul,
    ...oneMinusBeta1,
    ...op.localGet(g),
    ...op.f64x2Mul,
    ...op.f64x2Add,
    ...round,
    ...op.localSet(m),
    ...beta2,
    ...op.localGet(v),
    ...op.f64x2Mul,
    ...oneMinusBeta2,
    ...op.localGet(g),
    ...op.f64x2Mul,
    ...op.localGet(g),
    ...op.f64x2Mul,
    ...op.f64x2Add,
    ...round,
    ...op.localSet(v),
    ...op.localGet(p),
    ...op.localGet(lr),
    ...op.localGet(m),
    ...op.localGet(c1),
    ...op.f64x2Div,
    ...op.f64x2Mul,
    ...op.localGet(v),
    ...op.localGet(c2),
    ...op.f64x2Div,
    ...op.f64x2Sqrt,
    ...eps,
    ...op.f64x2Add,
    ...op.f64x2Div,
    ...op.f64x2Sub,
  ];
  if (el.lanes === 2) {
    literalTiled(b, Math.ceil(plan.parameters / 2), 1, [[a, 16]], () => {
      for (const [local, region] of [
        [p, P],
        [g, G],
        [m, M],
        [v, V],
      ] as const)
        b.emit(op.localGet(a), op.v128LoadAligned(region), op.localSet(local));
      b.emit(op.localGet(a), update([]), op.v128StoreAligned(P));
      b.emit(op.localGet(a), op.localGet(m), op.v128StoreAligned(M), op.localGet(a), op.localGet(v), op.v128StoreAligned(V));
    });
    return b.finish();
  }
  // f32: four parameters a vector, as two f64x2 halves; each half's new p, m and v rounded to f32 (lanes 0, 1).
  const [p4, g4, m4, v4] = [b.local(V128), b.local(V128), b.local(V128), b.local(V128)];
  const [pLow, mLow, vLow] = [b.local(V128), b.local(V128), b.local(V128)];
  const toF32 = [...op.f32x4DemoteF64x2Zero, ...op.f64x2PromoteLowF32x4];
  const demoted = (local: number): Bytes => [...op.localGet(local), ...op.f32x4DemoteF64x2Zero];
  literalTiled(b, Math.ceil(plan.parameters / 4), 1, [[a, 16]], () => {
    for (const [local, region] of [
      [p4, P],
      [g4, G],
      [m4, M],
      [v4, V],
    ] as const)
      b.emit(op.localGet(a), op.v128LoadAligned(region), op.localSet(local));
    for (const upper of [false, true]) {
      for (const [to, from] of [
        [p, p4],
        [g, g4],
        [m, m4],
        [v, v4],
      ] as const)
        b.emit(promotedHalf(from, upper), op.localSet(to));
      b.emit(update(toF32), op.f32x4DemoteF64x2Zero);
      if (!upper) {
        b.emit(op.localSet(pLow), demoted(m), op.localSet(mLow), demoted(v), op.localSet(vLow));
        continue;
      }
      // the new p's high half is on the stack: joined after the low half, stored; then m and v likewise
      b.emit(op.localSet(p), op.localGet(a), op.localGet(pLow), op.localGet(p), JOIN_DEMOTED, op.v128StoreAligned(P));
      b.emit(op.localGet(a), op.localGet(mLow), demoted(m), JOIN_DEMOTED, op.v128StoreAligned(M));
      b.emit(op.localGet(a), op.localGet(vLow), demoted(v), JOIN_DEMOTED, op.v128StoreAligned(V));
    }
  });
  return b.finish();
}

/**
 * c(n): the spec's data scale over the chunk's n raw rows in XB, in place, XB[i] = XB[i] · scale: what preprocess
 * does for a spec that scales its inputs and normalises nothing, so the raw entries preprocess in the kernels.
 * f32 numbers are promoted to f64 (exact), multiplied by the f64 scale and rounded to f32 once (f32x4.demote, round
 * to nearest even, as the TS loop's Float32Array store); f64 ones are multiplied: the TS preprocess's bits either
 * way. Whole vectors while they fit in the n · inputs numbers, then one number at a time: nothing is stored past
 * them (XB's last row is followed by another region).
 */
function scaleKernel(plan: Plan, layout: KernelLayout, scale: number): WasmFunction {
  const el = elementOf(plan);
  const E = el.bytes;
  const XB = layout.offsets.get("XB")!;
  const b = new Builder("c");
  const [a, end] = [b.local(I32), b.local(I32)];
  const [x, s] = [b.local(V128), b.local(V128)];
  b.emit(f64x2Const(scale), op.localSet(s));
  b.emit(op.localGet(0), op.i32Const(plan.inputs * E), op.i32Mul, op.localSet(end), op.i32Const(0), op.localSet(a));
  b.emit(op.block, op.loop, op.localGet(a), op.i32Const(16), op.i32Add, op.localGet(end), op.i32GtS, op.brIf(1));
  if (el.lanes === 2) b.emit(op.localGet(a), op.localGet(a), op.v128Load(XB), op.localGet(s), op.f64x2Mul, op.v128Store(XB));
  else {
    const half = (upper: boolean): Bytes => [...promotedHalf(x, upper), ...op.localGet(s), ...op.f64x2Mul, ...op.f32x4DemoteF64x2Zero];
    b.emit(op.localGet(a), op.v128Load32x4(XB), op.localSet(x), op.localGet(a), half(false), half(true), JOIN_DEMOTED, op.v128Store32x4(XB));
  }
  b.emit(op.localGet(a), op.i32Const(16), op.i32Add, op.localSet(a), op.br(0), op.end, op.end);
  b.emit(op.block, op.loop, op.localGet(a), op.localGet(end), op.i32GeS, op.brIf(1));
  if (el.lanes === 2) b.emit(op.localGet(a), op.localGet(a), op.f64Load(XB), op.f64Const(scale), op.f64Mul, op.f64Store(XB));
  else b.emit(op.localGet(a), op.localGet(a), op.f32Load(XB), op.f64PromoteF32, op.f64Const(scale), op.f64Mul, op.f32DemoteF64, op.f32Store(XB));
  b.emit(op.localGet(a), op.i32Const(E), op.i32Add, op.localSet(a), op.br(0), op.end, op.end);
  return b.finish();
}

/**
 * The kernel module's bytes for a plan, and its memory layout. Functions f<id>, w<id>, x<id>, p<id> per
 * planned matrix product (plan.matmuls), t and g, u for the SGD or Adam step (plan.kernels.step), c for the data scale (plan.kernels.inputScale); for f32 modules s<p> / h<p> per sigmoid / tanh layer and o
 * for sigmoid + binary cross-entropy (plan.kernels; src/emit/wasm/elementwise.ts).
 */
export function buildKernels(plan: Plan): { bytes: Uint8Array<ArrayBuffer>; layout: KernelLayout; functions: string[] } {
  const layout = kernelLayout(plan);
  const fns: WasmFunction[] = [];
  for (const m of plan.matmuls) {
    fns.push(
      forwardKernel(plan, layout, m),
      weightGradientKernel(plan, layout, m),
      inputGradientKernel(plan, layout, m),
      transposedForwardKernel(plan, layout, m),
    );
  }
  fns.push(
    transposeKernel(plan, layout, "t", "G"),
    ...(plan.kernels!.packedForward ? [transposeKernel(plan, layout, "r", "PT")] : []),
    meanKernel(plan, layout),
    ...(plan.kernels!.step ? [stepKernel(plan, layout)] : []),
    ...(plan.kernels!.inputScale !== null ? [scaleKernel(plan, layout, plan.kernels!.inputScale)] : []),
    ...elementwiseKernels(plan.kernels!),
  );
  return { bytes: encodeModule(fns, layout.pages), layout, functions: fns.map((f) => f.name) };
}
