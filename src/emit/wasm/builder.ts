// The function builder and loop helpers the kernels share (src/emit/wasm/kernels.ts: matrix products;
// src/emit/wasm/elementwise.ts: activations and the output loss): one function of the chunk's sample count
// n under construction, and loops over literal or runtime counts with byte counters.
import { op, type Bytes, type WasmFunction } from "./encoder.js";

/** One function under construction: i32 parameters 0 … params−1 (the kernels': one, n); locals are allocated by type. */
export class Builder {
  readonly body: Bytes = [];
  private readonly types: number[] = [];
  constructor(
    readonly name: string,
    readonly params = 1,
  ) {}
  local(type: number): number {
    this.types.push(type);
    return this.params + this.types.length - 1; // the parameters come first
  }
  emit(...parts: Bytes[]): void {
    for (const p of parts) this.body.push(...p);
  }
  finish(): WasmFunction {
    return { name: this.name, params: this.params, locals: this.types.map((type) => ({ count: 1, type })), body: this.body };
  }
}

export type Counter = [local: number, bytesPerItem: number];

export function resetCounters(b: Builder, counters: Counter[]): void {
  for (const [local] of counters) b.emit(op.i32Const(0), op.localSet(local));
}

export function advance(b: Builder, counters: Counter[], items: number): void {
  for (const [local, per] of counters) b.emit(op.localGet(local), op.i32Const(items * per), op.i32Add, op.localSet(local));
}

/** Items 0 … count−1 (a literal count) in tiles of `size`: a loop over full tiles, then one literal tail tile. */
export function literalTiled(b: Builder, count: number, size: number, counters: Counter[], body: (width: number) => void): void {
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
export function runtimeTiled(b: Builder, size: number, counters: Counter[], body: (rows: number) => void): void {
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

/** i8x16.shuffle lanes: an f32x4's lanes 2, 3 into 0, 1 (for f64x2.promote_low). */
const HIGH_TO_LOW: Bytes = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];

/**
 * An f32x4 local's lanes 0, 1 (`upper` false) or 2, 3 (moved to 0, 1 first) as an f64x2, exact: how the f32
 * kernels that compute in f64 (the steps, the data scale, the o kernel's loss) read a vector.
 */
export function promotedHalf(local: number, upper: boolean): Bytes {
  return [...op.localGet(local), ...(upper ? [...op.localGet(local), ...op.i8x16Shuffle(HIGH_TO_LOW)] : []), ...op.f64x2PromoteLowF32x4];
}

/** Two f32x4.demote_f64x2_zero results joined: the first's lanes 0, 1, then the second's as lanes 2, 3 (promotedHalf's way back). */
export const JOIN_DEMOTED: Bytes = op.i8x16Shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]);
