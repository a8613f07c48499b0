// The WebAssembly SIMD128 ceiling of this machine (issue 16): the peak multiply-add throughput one core
// reaches through V8's wasm code, in GFLOP/s, for f32x4 and f64x2. The bench reports every workload's
// arithmetic rate as a percentage of it (bench/results.ts); `npx tsx scripts/simd-ceiling.ts` prints it alone.
//
// The kernel, emitted with the project's own encoder (src/emit/wasm/encoder.ts): K independent chains
// acc_k = acc_k · m + c, `unroll` chain steps of every chain per loop iteration, for n iterations. Each step
// is one vector multiply and one vector add (base SIMD128 has no fused multiply-add, so this is the same
// instruction pair as the kernels' acc += w · x), i.e. 2 · lanes flops. The chains depend on their own
// previous value only, so nothing can be hoisted or merged, and K chains hide the mul + add latency; the
// fixed point of x · m + c (m < 1) keeps the values normal. Several K are tried: too few chains measure
// latency, too many spill registers (x64 V8 has 16 xmm registers). Second form, the kernels' own inner loop
// (tileModule): an R × V register tile fed by loads from L1, whose multiplies are off the accumulators'
// dependency chains. The ceiling is the best of both forms.
import { encodeModule, op, I32, V128, type Bytes } from "../src/emit/wasm/encoder.js";
import { Builder } from "../src/emit/wasm/builder.js";

export interface CeilingPoint {
  chains: number;
  gflops: number;
}

/** The tile form: R rows × V vectors of accumulators, V vector loads and R splat loads per step (L1-resident). */
export interface TilePoint {
  rows: number;
  vectors: number;
  gflops: number;
}

export interface SimdCeiling {
  /** Best over the chain counts and tiles tried, GFLOP/s of one core (2 flops per multiply-add). */
  f32x4: number;
  f64x2: number;
  /** Every chain count's best run. */
  points: { f32x4: CeilingPoint[]; f64x2: CeilingPoint[] };
  /** The kernels' inner loop with its loads from L1, per register tile: what a tile reaches at best. */
  tiles: { f32x4: TilePoint[]; f64x2: TilePoint[] };
  /** Wall milliseconds per timed run. */
  runMilliseconds: number;
  method: string;
}

const UNROLL = 4;
const CHAINS = [4, 8, 10, 12];

interface Lanes {
  lanes: number;
  /** One element at the address + offset in every lane. */
  splatLoad: (offset: number) => Bytes;
  splat: (x: number) => Bytes;
  mul: Bytes;
  add: Bytes;
}

function f32Bytes(x: number): Bytes {
  const b = new Uint8Array(new Float32Array([x]).buffer);
  return [...b, ...b, ...b, ...b];
}

function f64Bytes(x: number): Bytes {
  const b = new Uint8Array(new Float64Array([x]).buffer);
  return [...b, ...b];
}

const F32: Lanes = { lanes: 4, splatLoad: (o) => op.v128Load32Splat(o), splat: (x) => op.v128Const(f32Bytes(x)), mul: op.f32x4Mul, add: op.f32x4Add };
const F64: Lanes = { lanes: 2, splatLoad: (o) => op.v128Load64Splat(o), splat: (x) => op.v128Const(f64Bytes(x)), mul: op.f64x2Mul, add: op.f64x2Add };

/** chains(n): n iterations of `UNROLL` steps of `chains` chains; returns nothing, stores the sums at 0 (so they are live). */
function chainModule(el: Lanes, chains: number): WebAssembly.Module {
  const b = new Builder("chains");
  const acc = Array.from({ length: chains }, () => b.local(V128));
  const m = b.local(V128);
  const c = b.local(V128);
  b.emit(el.splat(0.999), op.localSet(m), el.splat(0.001), op.localSet(c));
  acc.forEach((a, k) => b.emit(el.splat(1 + k / 64), op.localSet(a)));
  b.emit(op.block, op.loop, op.localGet(0), op.i32Const(1), op.i32LtS, op.brIf(1));
  for (let u = 0; u < UNROLL; u++) for (const a of acc) b.emit(op.localGet(a), op.localGet(m), el.mul, op.localGet(c), el.add, op.localSet(a));
  b.emit(op.localGet(0), op.i32Const(1), op.i32Sub, op.localSet(0), op.br(0), op.end, op.end);
  // the sum of the chains, stored, so no chain is dead code
  b.emit(op.i32Const(0), op.localGet(acc[0]!));
  for (const a of acc.slice(1)) b.emit(op.localGet(a), el.add);
  b.emit(op.v128Store(0));
  return new WebAssembly.Module(encodeModule([b.finish()], 1));
}

/** Steps of the tile kernel's inner loop (its buffers, TILE_STEPS · (V + R) numbers, stay in L1). */
const TILE_STEPS = 128;

/**
 * tile(n): the shape of the kernels' inner loop, n passes of TILE_STEPS steps: per step V vector loads of w
 * (contiguous, as from packed weights) and R splat loads of x, then acc[r][v] += w[v] · x[r] (R · V
 * multiply-adds); the loads hit L1. What a register tile of R rows × V vectors reaches at best.
 */
function tileModule(el: Lanes, rows: number, vectors: number): WebAssembly.Module {
  const b = new Builder("chains");
  const E = 16 / el.lanes;
  const acc = Array.from({ length: rows * vectors }, () => b.local(V128));
  const w = Array.from({ length: vectors }, () => b.local(V128));
  const x = Array.from({ length: rows }, () => b.local(V128));
  const [i, iw] = [b.local(I32), b.local(I32)];
  const X = 16 + TILE_STEPS * vectors * 16;
  for (const a of acc) b.emit(el.splat(0), op.localSet(a));
  b.emit(op.block, op.loop, op.localGet(0), op.i32Const(1), op.i32LtS, op.brIf(1));
  b.emit(op.i32Const(0), op.localSet(i), op.i32Const(0), op.localSet(iw));
  b.emit(op.block, op.loop, op.localGet(i), op.i32Const(TILE_STEPS * E), op.i32GeS, op.brIf(1));
  for (let v = 0; v < vectors; v++) b.emit(op.localGet(iw), op.v128Load(16 + v * 16), op.localSet(w[v]!));
  for (let r = 0; r < rows; r++) b.emit(op.localGet(i), el.splatLoad(X + r * TILE_STEPS * E), op.localSet(x[r]!));
  for (let r = 0; r < rows; r++)
    for (let v = 0; v < vectors; v++)
      b.emit(op.localGet(acc[r * vectors + v]!), op.localGet(w[v]!), op.localGet(x[r]!), el.mul, el.add, op.localSet(acc[r * vectors + v]!));
  b.emit(op.localGet(i), op.i32Const(E), op.i32Add, op.localSet(i), op.localGet(iw), op.i32Const(vectors * 16), op.i32Add, op.localSet(iw));
  b.emit(op.br(0), op.end, op.end);
  b.emit(op.localGet(0), op.i32Const(1), op.i32Sub, op.localSet(0), op.br(0), op.end, op.end);
  b.emit(op.i32Const(0), op.localGet(acc[0]!));
  for (const a of acc.slice(1)) b.emit(op.localGet(a), el.add);
  b.emit(op.v128Store(0));
  return new WebAssembly.Module(encodeModule([b.finish()], 1));
}

function measure(module: WebAssembly.Module, flopsPerIteration: number, runMilliseconds: number, runs: number): number {
  const run = new WebAssembly.Instance(module).exports.chains as (n: number) => void;
  // calibrate: iterations that take about runMilliseconds
  let n = 1000;
  for (;;) {
    const t0 = performance.now();
    run(n);
    const ms = performance.now() - t0;
    if (ms > runMilliseconds / 4) {
      n = Math.max(1000, Math.round((n * runMilliseconds) / ms));
      break;
    }
    n *= 4;
  }
  let best = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    run(n);
    const s = (performance.now() - t0) / 1000;
    best = Math.max(best, (n * flopsPerIteration) / s / 1e9);
  }
  return best;
}

/** Register tiles tried in the loads form (rows × vectors; 4 × 2 is the kernels' WASM_TILE). */
const TILES: [number, number][] = [
  [4, 2],
  [4, 3],
  [6, 2],
  [3, 3],
  [2, 4],
];

/**
 * Measures the ceiling: every chain count, f32x4 and f64x2, `runs` timed runs of ~`runMilliseconds` wall
 * time each, the best run counting (a peak: on a shared machine the best run is the one least disturbed);
 * then the tile form of the kernels' inner loop for each of TILES.
 */
export function measureSimdCeiling(runMilliseconds = 40, runs = 7): SimdCeiling {
  const points = { f32x4: [] as CeilingPoint[], f64x2: [] as CeilingPoint[] };
  const tiles = { f32x4: [] as TilePoint[], f64x2: [] as TilePoint[] };
  for (const [key, el] of [
    ["f32x4", F32],
    ["f64x2", F64],
  ] as const) {
    for (const chains of CHAINS) points[key].push({ chains, gflops: measure(chainModule(el, chains), UNROLL * chains * 2 * el.lanes, runMilliseconds, runs) });
    for (const [rows, vectors] of TILES)
      tiles[key].push({ rows, vectors, gflops: measure(tileModule(el, rows, vectors), TILE_STEPS * rows * vectors * 2 * el.lanes, runMilliseconds, runs) });
  }
  const best = (ps: { gflops: number }[]): number => Math.max(...ps.map((p) => p.gflops));
  return {
    f32x4: Math.max(best(points.f32x4), best(tiles.f32x4)),
    f64x2: Math.max(best(points.f64x2), best(tiles.f64x2)),
    points,
    tiles,
    runMilliseconds,
    method:
      `wasm SIMD128 in V8, one core: ${CHAINS.join("/")} independent chains acc = acc·m + c (vector mul then add, no FMA), ` +
      `unrolled ${UNROLL}×, and the kernels' inner loop (R×V register tiles ${TILES.map(([r, v]) => `${r}×${v}`).join(", ")}, V vector + R splat loads from L1 per step); ` +
      `the best of either form, best of ${runs} runs of ~${runMilliseconds} ms each; 2 flops per lane per multiply-add`,
  };
}
