// The WebAssembly SIMD kernels of the blocked batch shape (plan.batch.kernel.kind === "wasm"):
// per dense layer, three functions of the chunk's sample count n, every size a literal:
//   f<p>(n)  Z = X·Wᵀ + b   (into Z<p>B, or A<p>B when nothing reads z: the TS activation runs in place)
//   w<p>(n)  dW += δᵀ·X     (onto the gradient copy G)
//   x<p>(n)  dX = δ·W       (into GA<p−1>B, or GINB for the first layer)
// f64x2 lanes hold two INDEPENDENT outputs (two z_j of one sample, two dW_ji of one row, two dX_si of one
// sample), so every scalar sum is the interpreter's, in its order: Σ_i w·x ascending then + b; the running
// gradient then samples ascending; outputs ascending from 0. mul then add, never fused: f64 results are
// bit-identical to the TS blocked path. Odd widths compute a last vector whose second lane reads the next
// element (garbage, never stored) and store lane 0 only; memory has slack at the end for that read.
// The forward's weight vector {W[j][i], W[j+1][i]} is gathered from two rows (an 8-byte splat load and an
// 8-byte lane load). Everything lives in the kernel's own memory at literal byte offsets (layout below): P
// parameters, G gradient, XB the chunk's input rows, the chunk buffers of plan.batchBuffers, GINB the
// chunk's input gradient. `precision f32` modules store f32 and compute in f64x2 (promote on load, round on
// store), as their TS code computes in JS numbers: the same results as the TS blocked path there too.
import { batchName, type Plan, type PlannedDense } from "../../plan.js";
import { encodeModule, op, V128, I32, type Bytes, type WasmFunction } from "./encoder.js";

/**
 * Loads and stores of one storage precision, all computing in f64x2 (f32 values are promoted on load and
 * rounded on store, exactly as the TS code reads a Float32Array into JS numbers and writes back).
 * Each takes the address on the stack; the store ones also the v128 value above it.
 */
interface Element {
  bytes: number;
  /** Elements a, a+1 → f64x2. */
  pair(offset: number): Bytes;
  /** Element a in both lanes. */
  splat(offset: number): Bytes;
  storePair(offset: number): Bytes;
  storeLane0(offset: number): Bytes;
  /** {row0[a], row1[a]} from two addresses: `address` is emitted twice. */
  gather(address: Bytes, offset0: number, offset1: number): Bytes;
}

const F64_ELEMENT: Element = {
  bytes: 8,
  pair: (o) => op.v128Load(o),
  splat: (o) => op.v128Load64Splat(o),
  storePair: (o) => op.v128Store(o),
  storeLane0: (o) => [...op.f64x2ExtractLane(0), ...op.f64Store(o)],
  gather: (a, o0, o1) => [...a, ...a, ...op.v128Load64Splat(o0), ...op.v128Load64Lane(o1, 1)],
};

const F32_ELEMENT: Element = {
  bytes: 4,
  pair: (o) => [...op.v128Load64Zero(o), ...op.f64x2PromoteLowF32x4],
  splat: (o) => [...op.f32Load(o), ...op.f64PromoteF32, ...op.f64x2Splat],
  storePair: (o) => [...op.f32x4DemoteF64x2Zero, ...op.v128Store64Lane0(o)],
  storeLane0: (o) => [...op.f64x2ExtractLane(0), ...op.f32DemoteF64, ...op.f32Store(o)],
  gather: (a, o0, o1) => [...a, ...op.f32Load(o0), ...op.f64PromoteF32, ...op.f64x2Splat, ...a, ...op.f32Load(o1), ...op.f64PromoteF32, ...op.f64x2ReplaceLane(1)],
};

function elementOf(plan: Plan): Element {
  return plan.precision === "f32" ? F32_ELEMENT : F64_ELEMENT;
}

/** The forward kernel's output region: Z<p>B (or A<p>B) for f64; for f32 the f64 staging buffer ZS<p>, from which TS rounds z into Z and computes the activation from the unrounded z, as the TS blocked code does. */
export function forwardOutputRegion(plan: Plan, l: PlannedDense): string {
  return plan.precision === "f32" ? `ZS${l.position}` : batchName(l.z ?? l.a);
}

/** Register tile of the kernels: `rows` samples (forward, dX) or outputs (dW) × `vectors` f64x2 columns. */
export const WASM_TILE = { rows: 4, vectors: 2 };

export interface KernelLayout {
  /** Byte offset of each region (P, G, XB, chunk buffers by name, GINB). */
  offsets: Map<string, number>;
  /** Numbers in each region (of the module's precision, except the f64 staging buffers ZS<p>). */
  sizes: Map<string, number>;
  /** Bytes per number in each region. */
  elementBytes: Map<string, number>;
  pages: number;
}

const SLACK = 64;

export function kernelLayout(plan: Plan): KernelLayout {
  const E = elementOf(plan).bytes;
  const regions: [string, number, number][] = [
    ["P", plan.parameters, E],
    ["G", plan.parameters, E],
    ["XB", plan.batch.chunk * plan.inputs, E],
    ...plan.batchBuffers.map((b): [string, number, number] => [b.name, b.size, E]),
    ["GINB", plan.batch.chunk * plan.inputs, E],
    ...(plan.precision === "f32" ? denseLayers(plan).map((l): [string, number, number] => [`ZS${l.position}`, plan.batch.chunk * l.outputs, 8]) : []),
  ];
  const offsets = new Map<string, number>();
  const sizes = new Map<string, number>();
  const elementBytes = new Map<string, number>();
  let at = 0;
  for (const [name, size, bytes] of regions) {
    offsets.set(name, at);
    sizes.set(name, size);
    elementBytes.set(name, bytes);
    at += Math.ceil((size * bytes) / 16) * 16;
  }
  return { offsets, sizes, elementBytes, pages: Math.max(1, Math.ceil((at + SLACK) / 65536)) };
}

function denseLayers(plan: Plan): PlannedDense[] {
  return plan.layers.filter((l): l is PlannedDense => l.kind === "dense");
}

/** One function under construction: parameter 0 is n; locals are allocated by type. */
class Builder {
  readonly body: Bytes = [];
  private readonly types: number[] = [];
  constructor(readonly name: string) {}
  local(type: number): number {
    this.types.push(type);
    return this.types.length; // index 0 is the parameter n
  }
  emit(...parts: Bytes[]): void {
    for (const p of parts) this.body.push(...p);
  }
  finish(): WasmFunction {
    return { name: this.name, params: 1, locals: this.types.map((type) => ({ count: 1, type })), body: this.body };
  }
}

type Counter = [local: number, bytesPerItem: number];

function resetCounters(b: Builder, counters: Counter[]): void {
  for (const [local] of counters) b.emit(op.i32Const(0), op.localSet(local));
}

function advance(b: Builder, counters: Counter[], items: number): void {
  for (const [local, per] of counters) b.emit(op.localGet(local), op.i32Const(items * per), op.i32Add, op.localSet(local));
}

/** Items 0 … count−1 (a literal count) in tiles of `size`: a loop over full tiles, then one literal tail tile. */
function literalTiled(b: Builder, count: number, size: number, counters: Counter[], body: (width: number) => void): void {
  resetCounters(b, counters);
  const main = count - (count % size);
  const [first, per] = counters[0]!;
  if (main > 0) {
    b.emit(op.block, op.loop, op.localGet(first), op.i32Const(main * per), op.i32GeS, op.brIf(1));
    body(size);
    advance(b, counters, size);
    b.emit(op.br(0), op.end, op.end);
  }
  if (main < count) body(count - main);
}

/** Samples 0 … n−1 (n = parameter 0) in tiles of `size`, then one by one. counters[0] counts samples. */
function runtimeTiled(b: Builder, size: number, counters: Counter[], body: (rows: number) => void): void {
  resetCounters(b, counters);
  const [s] = counters[0]!;
  b.emit(op.block, op.loop, op.localGet(s), op.i32Const(size), op.i32Add, op.localGet(0), op.i32GtS, op.brIf(1));
  body(size);
  advance(b, counters, size);
  b.emit(op.br(0), op.end, op.end);
  if (size > 1) {
    b.emit(op.block, op.loop, op.localGet(s), op.localGet(0), op.i32GeS, op.brIf(1));
    body(1);
    advance(b, counters, 1);
    b.emit(op.br(0), op.end, op.end);
  }
}

function sumOf(b: Builder, a: number, c: number): void {
  b.emit(op.localGet(a), op.localGet(c), op.i32Add);
}

/** Stores the v128 `value` (pushed by `push`) at address local(s) + offset: both lanes, or lane 0 only. */
function store(b: Builder, el: Element, address: () => void, offset: number, lanes: number, push: () => void): void {
  address();
  push();
  b.emit(lanes === 2 ? el.storePair(offset) : el.storeLane0(offset));
}

function vectorsOf(width: number): number[] {
  return Array.from({ length: Math.ceil(width / 2) }, (_, v) => v);
}

function lanes(width: number, v: number): number {
  return Math.min(2, width - 2 * v);
}

function zeroVector(b: Builder, local: number): void {
  b.emit(op.f64Const0, op.f64x2Splat, op.localSet(local));
}

function inputRegion(l: PlannedDense): string {
  return l.input.kind === "sample" ? "XB" : batchName(l.input.name);
}

function forwardKernel(plan: Plan, layout: KernelLayout, l: PlannedDense): WasmFunction {
  const { rows: RS, vectors: V } = WASM_TILE;
  const In = l.inputs;
  const Out = l.outputs;
  const el = elementOf(plan);
  const E = el.bytes;
  const X = layout.offsets.get(inputRegion(l))!;
  const Z = layout.offsets.get(forwardOutputRegion(plan, l))!; // always f64
  const bias = layout.offsets.get("P")! + l.biasOffset * E;
  const b = new Builder(`f${l.position}`);
  const [s, sIn, sOut, jb, i8, jIn] = [0, 0, 0, 0, 0, 0].map(() => b.local(I32)) as [number, number, number, number, number, number];
  const acc = Array.from({ length: RS }, () => Array.from({ length: V }, () => b.local(V128)));
  const w = Array.from({ length: V }, () => b.local(V128));
  const x = Array.from({ length: RS }, () => b.local(V128));
  const W = layout.offsets.get("P")! + l.weightOffset * E;
  // jb counts outputs in bytes of the f64 output row, jE in bytes of the bias
  const jE = b.local(I32);
  runtimeTiled(b, RS, [[s, 1], [sIn, In * E], [sOut, Out * 8]], (rows) =>
    literalTiled(b, Out, 2 * V, [[jb, 8], [jIn, In * E], [jE, E]], (width) => {
      const vs = vectorsOf(width);
      for (let r = 0; r < rows; r++) for (const v of vs) zeroVector(b, acc[r]![v]!);
      literalTiled(b, In, 1, [[i8, E]], () => {
        // lane 0: W[j+2v][i]; lane 1: W[j+2v+1][i] (the next tensor for an odd tail: read, never stored). Measured
        // faster than loading from a transposed copy, whose per-call transpose cost more than it saved.
        for (const v of vs) {
          b.emit(el.gather(sumOfBytes(jIn, i8), W + 2 * v * In * E, W + (2 * v + 1) * In * E), op.localSet(w[v]!));
        }
        for (let r = 0; r < rows; r++) b.emit(sumOfBytes(sIn, i8), el.splat(X + r * In * E), op.localSet(x[r]!));
        for (let r = 0; r < rows; r++) {
          for (const v of vs) b.emit(op.localGet(acc[r]![v]!), op.localGet(w[v]!), op.localGet(x[r]!), op.f64x2Mul, op.f64x2Add, op.localSet(acc[r]![v]!));
        }
      });
      for (let r = 0; r < rows; r++) {
        for (const v of vs) {
          store(b, F64_ELEMENT, () => sumOf(b, sOut, jb), Z + (r * Out + 2 * v) * 8, lanes(width, v), () =>
            b.emit(op.localGet(acc[r]![v]!), op.localGet(jE), el.pair(bias + 2 * v * E), op.f64x2Add),
          );
        }
      }
    }),
  );
  return b.finish();
}

function sumOfBytes(a: number, c: number): Bytes {
  return [...op.localGet(a), ...op.localGet(c), ...op.i32Add];
}

function weightGradientKernel(plan: Plan, layout: KernelLayout, l: PlannedDense): WasmFunction {
  const { rows: RJ, vectors: V } = WASM_TILE;
  const In = l.inputs;
  const Out = l.outputs;
  const el = elementOf(plan);
  const E = el.bytes;
  const X = layout.offsets.get(inputRegion(l))!;
  const DZ = layout.offsets.get(batchName(l.dz))!;
  const G = layout.offsets.get("G")! + l.weightOffset * E;
  const b = new Builder(`w${l.position}`);
  const [ib, jIn, j8, s, sIn, sOut] = [0, 0, 0, 0, 0, 0].map(() => b.local(I32)) as [number, number, number, number, number, number];
  const acc = Array.from({ length: RJ }, () => Array.from({ length: V }, () => b.local(V128)));
  const u = Array.from({ length: V }, () => b.local(V128));
  const d = Array.from({ length: RJ }, () => b.local(V128));
  literalTiled(b, In, 2 * V, [[ib, E]], (width) => {
    const vs = vectorsOf(width);
    literalTiled(b, Out, RJ, [[j8, E], [jIn, In * E]], (rows) => {
      for (let r = 0; r < rows; r++) for (const v of vs) b.emit(sumOfBytes(jIn, ib), el.pair(G + (r * In + 2 * v) * E), op.localSet(acc[r]![v]!));
      // samples ascending onto the running gradient (n may be 0 only for an empty chunk, which never happens)
      resetCounters(b, [[s, 1], [sIn, In * E], [sOut, Out * E]]);
      b.emit(op.block, op.loop, op.localGet(s), op.localGet(0), op.i32GeS, op.brIf(1));
      for (const v of vs) b.emit(sumOfBytes(sIn, ib), el.pair(X + 2 * v * E), op.localSet(u[v]!));
      for (let r = 0; r < rows; r++) b.emit(sumOfBytes(sOut, j8), el.splat(DZ + r * E), op.localSet(d[r]!));
      for (let r = 0; r < rows; r++) {
        for (const v of vs) b.emit(op.localGet(acc[r]![v]!), op.localGet(d[r]!), op.localGet(u[v]!), op.f64x2Mul, op.f64x2Add, op.localSet(acc[r]![v]!));
      }
      advance(b, [[s, 1], [sIn, In * E], [sOut, Out * E]], 1);
      b.emit(op.br(0), op.end, op.end);
      for (let r = 0; r < rows; r++) {
        for (const v of vs) store(b, el, () => sumOf(b, jIn, ib), G + (r * In + 2 * v) * E, lanes(width, v), () => b.emit(op.localGet(acc[r]![v]!)));
      }
    });
  });
  return b.finish();
}

function inputGradientKernel(plan: Plan, layout: KernelLayout, l: PlannedDense): WasmFunction {
  const { rows: RS, vectors: V } = WASM_TILE;
  const In = l.inputs;
  const Out = l.outputs;
  const T = layout.offsets.get(l.gradientTarget.kind === "sample" ? "GINB" : batchName(l.gradientTarget.name))!;
  const el = elementOf(plan);
  const E = el.bytes;
  const DZ = layout.offsets.get(batchName(l.dz))!;
  const W = layout.offsets.get("P")! + l.weightOffset * E;
  const b = new Builder(`x${l.position}`);
  const [s, sIn, sOut, ib, jIn, j8] = [0, 0, 0, 0, 0, 0].map(() => b.local(I32)) as [number, number, number, number, number, number];
  const acc = Array.from({ length: RS }, () => Array.from({ length: V }, () => b.local(V128)));
  const w = Array.from({ length: V }, () => b.local(V128));
  const d = Array.from({ length: RS }, () => b.local(V128));
  runtimeTiled(b, RS, [[s, 1], [sIn, In * E], [sOut, Out * E]], (rows) =>
    literalTiled(b, In, 2 * V, [[ib, E]], (width) => {
      const vs = vectorsOf(width);
      for (let r = 0; r < rows; r++) for (const v of vs) zeroVector(b, acc[r]![v]!);
      literalTiled(b, Out, 1, [[j8, E], [jIn, In * E]], () => {
        for (const v of vs) b.emit(sumOfBytes(jIn, ib), el.pair(W + 2 * v * E), op.localSet(w[v]!));
        for (let r = 0; r < rows; r++) b.emit(sumOfBytes(sOut, j8), el.splat(DZ + r * Out * E), op.localSet(d[r]!));
        for (let r = 0; r < rows; r++) {
          for (const v of vs) b.emit(op.localGet(acc[r]![v]!), op.localGet(w[v]!), op.localGet(d[r]!), op.f64x2Mul, op.f64x2Add, op.localSet(acc[r]![v]!));
        }
      });
      for (let r = 0; r < rows; r++) {
        for (const v of vs) store(b, el, () => sumOf(b, sIn, ib), T + (r * In + 2 * v) * E, lanes(width, v), () => b.emit(op.localGet(acc[r]![v]!)));
      }
    }),
  );
  return b.finish();
}

/** The kernel module's bytes for a plan, and its memory layout. Functions f<p>, w<p>, x<p> per dense layer. */
export function buildKernels(plan: Plan): { bytes: Uint8Array<ArrayBuffer>; layout: KernelLayout; functions: string[] } {
  const layout = kernelLayout(plan);
  const fns: WasmFunction[] = [];
  for (const l of denseLayers(plan)) {
    fns.push(forwardKernel(plan, layout, l), weightGradientKernel(plan, layout, l), inputGradientKernel(plan, layout, l));
  }
  return { bytes: encodeModule(fns, layout.pages), layout, functions: fns.map((f) => f.name) };
}
