// The WebAssembly SIMD kernels of the blocked batch shape (plan.batch.kernel.kind === "wasm"):
// per planned matrix product (plan.matmuls: one per dense layer), functions of the chunk's sample count n,
// every size a literal:
//   f<p>(n)  Z = X·Wᵀ + b   (into Z<p>B, or A<p>B when nothing reads z: the TS activation runs in place)
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
// The forward's weight vector {W[j][i], W[j+1][i], …} is gathered from 2 or 4 rows (a splat load and lane
// loads). Everything lives in the kernel's own memory at literal byte offsets (layout below): P parameters,
// G gradient, XB the chunk's input rows, the chunk buffers of plan.batchBuffers, GINB the chunk's input
// gradient.
import type { PlannedLayerBase } from "../../layers/types.js";
import type { PlanOf } from "../../plan/types.js";
import type { PlannedMatmul } from "../../plan/base.js";
import type { KernelMemory } from "../../plan/kernels.js";
import { encodeModule, op, V128, I32, type Bytes, type WasmFunction } from "./encoder.js";
import { Builder, literalTiled, resetCounters, advance, runtimeTiled } from "./builder.js";

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

/** Register tile of the kernels: `rows` samples (forward, dX) or outputs (dW) × `vectors` v128 columns (f64x2 or f32x4). */
export const WASM_TILE = { rows: 4, vectors: 2 };

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

function forwardKernel(plan: Plan, layout: KernelLayout, m: PlannedMatmul): WasmFunction {
  const { rows: RS, vectors: V } = WASM_TILE;
  const In = m.inputs;
  const Out = m.outputs;
  const el = elementOf(plan);
  const E = el.bytes;
  const L = el.lanes;
  const X = layout.offsets.get(inputRegion(m))!;
  const Z = layout.offsets.get(m.output)!;
  const bias = layout.offsets.get("P")! + m.biasOffset * E;
  const b = new Builder(`f${m.id}`);
  const [s, sIn, sOut, jE, iE, jIn] = [0, 0, 0, 0, 0, 0].map(() => b.local(I32)) as [number, number, number, number, number, number];
  const acc = Array.from({ length: RS }, () => Array.from({ length: V }, () => b.local(V128)));
  const w = Array.from({ length: V }, () => b.local(V128));
  const x = Array.from({ length: RS }, () => b.local(V128));
  const W = layout.offsets.get("P")! + m.weightOffset * E;
  // jE counts outputs in bytes (of the output row and of the bias), jIn in bytes of weight rows
  runtimeTiled(
    b,
    RS,
    [
      [s, 1],
      [sIn, In * E],
      [sOut, Out * E],
    ],
    (rows) =>
      literalTiled(
        b,
        Out,
        L * V,
        [
          [jE, E],
          [jIn, In * E],
        ],
        (width) => {
          const vs = vectorsOf(el, width);
          for (let r = 0; r < rows; r++) for (const v of vs) zeroVector(b, acc[r]![v]!);
          literalTiled(b, In, 1, [[iE, E]], () => {
            // lane k: W[j+Lv+k][i] (rows past the layer's outputs in a tail vector: read, never stored). Measured
            // faster than loading from a transposed copy, whose per-call transpose cost more than it saved.
            for (const v of vs) {
              const rowsOfLanes = Array.from({ length: L }, (_, k) => W + (L * v + k) * In * E);
              b.emit(el.gather(sumOfBytes(jIn, iE), rowsOfLanes), op.localSet(w[v]!));
            }
            for (let r = 0; r < rows; r++) b.emit(sumOfBytes(sIn, iE), el.splat(X + r * In * E), op.localSet(x[r]!));
            for (let r = 0; r < rows; r++) {
              for (const v of vs) b.emit(op.localGet(acc[r]![v]!), op.localGet(w[v]!), op.localGet(x[r]!), el.mul, el.add, op.localSet(acc[r]![v]!));
            }
          });
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
        },
      ),
  );
  return b.finish();
}

function sumOfBytes(a: number, c: number): Bytes {
  return [...op.localGet(a), ...op.localGet(c), ...op.i32Add];
}

function weightGradientKernel(plan: Plan, layout: KernelLayout, m: PlannedMatmul): WasmFunction {
  const { rows: RJ, vectors: V } = WASM_TILE;
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
  const { rows: RS, vectors: V } = WASM_TILE;
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

/**
 * t(_): the weights of P transposed into the gradient region G (layer p's W[j][i] at G + weightOffset +
 * i·Out + j), for the predictor's p<p> kernels: a snapshot is transposed once, when it is copied into kernel
 * memory. G is free then: only lossAndGradient uses it, and it marks the snapshot gone (KP_SNAPSHOT = null),
 * so the next predictor call copies and transposes again.
 */
function transposeKernel(plan: Plan, layout: KernelLayout): WasmFunction {
  const el = elementOf(plan);
  const E = el.bytes;
  const b = new Builder("t");
  const [jIn, jE, iE, iOut] = [0, 0, 0, 0].map(() => b.local(I32)) as [number, number, number, number];
  for (const m of plan.matmuls) {
    const W = layout.offsets.get("P")! + m.weightOffset * E;
    const T = layout.offsets.get("G")! + m.weightOffset * E;
    literalTiled(
      b,
      m.outputs,
      1,
      [
        [jE, E],
        [jIn, m.inputs * E],
      ],
      () =>
        literalTiled(
          b,
          m.inputs,
          1,
          [
            [iE, E],
            [iOut, m.outputs * E],
          ],
          () => {
            b.emit(sumOfBytes(iOut, jE), sumOfBytes(jIn, iE), el.load(W), el.storeOne(T));
          },
        ),
    );
  }
  return b.finish();
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
 * predictor calls it with n = 1). (A transposed forward for lossAndGradient, with a transpose per call into
 * a region of its own, measured no faster: Fashion f32 33.6k vs 32.5k samples/s with the gather, f64 17.5k
 * vs 23.2k, letters equal; 12 interleaved rounds.)
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
 * The kernel module's bytes for a plan, and its memory layout. Functions f<id>, w<id>, x<id>, p<id> per
 * planned matrix product (plan.matmuls), t and g; for f32 modules s<p> / h<p> per sigmoid / tanh layer and o
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
  fns.push(transposeKernel(plan, layout), meanKernel(plan, layout), ...elementwiseKernels(plan.kernels!));
  return { bytes: encodeModule(fns, layout.pages), layout, functions: fns.map((f) => f.name) };
}
