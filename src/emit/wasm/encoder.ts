// A small WebAssembly binary encoder: just what the SIMD kernels of src/emit/wasm/kernels.ts need (one
// function type (i32) → (), an exported memory, exported functions, LEB128, i32 arithmetic, block/loop/br,
// f64, f32 and v128 loads and stores, f64x2 and f32x4 arithmetic). No toolchain: the bytes are written here and
// embedded in the generated module. Spec: https://webassembly.github.io/spec/core/binary/.

export type Bytes = number[];

/** Unsigned LEB128. */
export function uleb(n: number): Bytes {
  if (!Number.isInteger(n) || n < 0) throw new Error(`wasm: uleb of ${n}`);
  const out: Bytes = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (i32 constants). */
export function sleb(n: number): Bytes {
  if (!Number.isInteger(n)) throw new Error(`wasm: sleb of ${n}`);
  const out: Bytes = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function vec(items: Bytes[]): Bytes {
  return [...uleb(items.length), ...items.flat()];
}

function name(text: string): Bytes {
  const bytes = [...text].map((c) => c.charCodeAt(0));
  return [...uleb(bytes.length), ...bytes];
}

function section(id: number, content: Bytes): Bytes {
  return [id, ...uleb(content.length), ...content];
}

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
export const F32 = 0x7d;

/** Instructions, as byte builders. Memory offsets are byte offsets; `align` is log2 of the alignment hint. */
export const op = {
  localGet: (i: number): Bytes => [0x20, ...uleb(i)],
  localSet: (i: number): Bytes => [0x21, ...uleb(i)],
  localTee: (i: number): Bytes => [0x22, ...uleb(i)],
  i32Const: (n: number): Bytes => [0x41, ...sleb(n)],
  i32Add: [0x6a] as Bytes,
  i32Mul: [0x6c] as Bytes,
  i32GtS: [0x4a] as Bytes,
  i32GeS: [0x4e] as Bytes,
  block: [0x02, 0x40] as Bytes,
  loop: [0x03, 0x40] as Bytes,
  end: [0x0b] as Bytes,
  br: (depth: number): Bytes => [0x0c, ...uleb(depth)],
  brIf: (depth: number): Bytes => [0x0d, ...uleb(depth)],
  f64Load: (offset: number): Bytes => [0x2b, 3, ...uleb(offset)],
  f32Load: (offset: number): Bytes => [0x2a, 2, ...uleb(offset)],
  f32Store: (offset: number): Bytes => [0x38, 2, ...uleb(offset)],
  f64Store: (offset: number): Bytes => [0x39, 3, ...uleb(offset)],
  v128Load: (offset: number): Bytes => [0xfd, ...uleb(0x00), 3, ...uleb(offset)],
  v128Load64Splat: (offset: number): Bytes => [0xfd, ...uleb(0x0a), 3, ...uleb(offset)],
  v128Load64Lane: (offset: number, lane: number): Bytes => [0xfd, ...uleb(0x57), 3, ...uleb(offset), lane],
  v128Store: (offset: number): Bytes => [0xfd, ...uleb(0x0b), 3, ...uleb(offset)],
  /** A v128 with no alignment promise (hint 2⁰): the transposes' row loads, told apart by their bytes from the products' loads. */
  v128LoadUnaligned: (offset: number): Bytes => [0xfd, ...uleb(0x00), 0, ...uleb(offset)],
  /** A v128 at a 16-byte aligned address (alignment hint 2⁴: the regions start at multiples of 16 bytes). */
  v128LoadAligned: (offset: number): Bytes => [0xfd, ...uleb(0x00), 4, ...uleb(offset)],
  v128StoreAligned: (offset: number): Bytes => [0xfd, ...uleb(0x0b), 4, ...uleb(offset)],
  f64x2Splat: [0xfd, ...uleb(0x14)] as Bytes,
  f64x2ExtractLane: (lane: number): Bytes => [0xfd, ...uleb(0x21), lane],
  f64x2Add: [0xfd, ...uleb(0xf0)] as Bytes,
  f64x2Mul: [0xfd, ...uleb(0xf2)] as Bytes,
  f64Const0: [0x44, 0, 0, 0, 0, 0, 0, 0, 0] as Bytes,
  // f32x4 (precision f32 modules): 4 floats per v128
  v128Load32Splat: (offset: number): Bytes => [0xfd, ...uleb(0x09), 2, ...uleb(offset)],
  v128Load32Lane: (offset: number, lane: number): Bytes => [0xfd, ...uleb(0x56), 2, ...uleb(offset), lane],
  /** A v128 of 4 floats: 4-byte alignment hint (rows of f32 start at any multiple of 4 bytes). */
  v128Load32x4: (offset: number): Bytes => [0xfd, ...uleb(0x00), 2, ...uleb(offset)],
  v128Store32x4: (offset: number): Bytes => [0xfd, ...uleb(0x0b), 2, ...uleb(offset)],
  f32x4ExtractLane: (lane: number): Bytes => [0xfd, ...uleb(0x1f), lane],
  f32x4Add: [0xfd, ...uleb(0xe4)] as Bytes,
  f32x4Mul: [0xfd, ...uleb(0xe6)] as Bytes,
  f32x4Div: [0xfd, ...uleb(0xe7)] as Bytes,
  f32x4Splat: [0xfd, ...uleb(0x13)] as Bytes,
  f32ConvertI32S: [0xb2] as Bytes,
  f64ConvertI32S: [0xb7] as Bytes,
  f64x2Div: [0xfd, ...uleb(0xf3)] as Bytes,
  /** Lane-wise square root, correctly rounded (IEEE 754, as Math.sqrt). */
  f64x2Sqrt: [0xfd, ...uleb(0xef)] as Bytes,
  // the element-wise kernels (src/emit/wasm/elementwise.ts): exp, sigmoid, log1p and the BCE loss in f32x4
  /** A v128 constant: 16 bytes, little-endian lanes. */
  v128Const: (bytes: Bytes): Bytes => {
    if (bytes.length !== 16) throw new Error("wasm: v128.const needs 16 bytes");
    return [0xfd, ...uleb(0x0c), ...bytes];
  },
  /** Lanes of the two v128 operands by byte index (0–15: first, 16–31: second). */
  i8x16Shuffle: (lanes: Bytes): Bytes => [0xfd, ...uleb(0x0d), ...lanes],
  v128And: [0xfd, ...uleb(0x4e)] as Bytes,
  v128Or: [0xfd, ...uleb(0x50)] as Bytes,
  /** v1 v2 mask → bits of v1 where the mask is 1, of v2 elsewhere. */
  v128Bitselect: [0xfd, ...uleb(0x52)] as Bytes,
  f32x4Lt: [0xfd, ...uleb(0x43)] as Bytes,
  f32x4Gt: [0xfd, ...uleb(0x44)] as Bytes,
  f32x4Ge: [0xfd, ...uleb(0x46)] as Bytes,
  f32x4Nearest: [0xfd, ...uleb(0x6a)] as Bytes,
  f32x4Abs: [0xfd, ...uleb(0xe0)] as Bytes,
  f32x4Neg: [0xfd, ...uleb(0xe1)] as Bytes,
  f32x4Sub: [0xfd, ...uleb(0xe5)] as Bytes,
  f32x4Min: [0xfd, ...uleb(0xe8)] as Bytes,
  f32x4Max: [0xfd, ...uleb(0xe9)] as Bytes,
  i32x4Shl: [0xfd, ...uleb(0xab)] as Bytes,
  i32x4ShrS: [0xfd, ...uleb(0xac)] as Bytes,
  i32x4Add: [0xfd, ...uleb(0xae)] as Bytes,
  i32x4Sub: [0xfd, ...uleb(0xb1)] as Bytes,
  i32x4TruncSatF32x4S: [0xfd, ...uleb(0xf8)] as Bytes,
  f64x2PromoteLowF32x4: [0xfd, ...uleb(0x5f)] as Bytes,
  /** Lanes 0, 1 of an f64x2 rounded to f32 (round to nearest even, as a Float32Array store), lanes 2, 3 zero. */
  f32x4DemoteF64x2Zero: [0xfd, ...uleb(0x5e)] as Bytes,
  f64x2Sub: [0xfd, ...uleb(0xf1)] as Bytes,
  f64x2Max: [0xfd, ...uleb(0xf5)] as Bytes,
  f64Add: [0xa0] as Bytes,
  f64Mul: [0xa2] as Bytes,
  /** An f64 constant (8 bytes, little-endian). */
  f64Const: (x: number): Bytes => [0x44, ...new Uint8Array(new Float64Array([x]).buffer)],
  /** f32 → f64, exact. */
  f64PromoteF32: [0xbb] as Bytes,
  /** f64 → f32, round to nearest even (as a Float32Array store). */
  f32DemoteF64: [0xb6] as Bytes,
  i32Sub: [0x6b] as Bytes,
  i32LtS: [0x48] as Bytes,
  i32GtU: [0x4b] as Bytes,
  i32ShrU: [0x76] as Bytes,
  // f64x2 elementary functions (src/emit/wasm/elementary.ts): nncExp, nncTanh and σ over pairs of doubles
  f64x2Min: [0xfd, ...uleb(0xf4)] as Bytes,
  f64x2Abs: [0xfd, ...uleb(0xec)] as Bytes,
  f64x2Neg: [0xfd, ...uleb(0xed)] as Bytes,
  /** Lane-wise a < b: all ones where true, zeros where false (and where either is NaN). */
  f64x2Lt: [0xfd, ...uleb(0x49)] as Bytes,
  f64x2Gt: [0xfd, ...uleb(0x4a)] as Bytes,
  /** i32 lanes 0, 1 = the two f64 lanes truncated, saturating (NaN → 0 and in-range values as x | 0 gives them); lanes 2, 3 zero. */
  i32x4TruncSatF64x2SZero: [0xfd, ...uleb(0xfc)] as Bytes,
  /** i64 lanes from i32 lanes 0, 1, sign-extended. */
  i64x2ExtendLowI32x4S: [0xfd, ...uleb(0xc7)] as Bytes,
  i64x2Add: [0xfd, ...uleb(0xce)] as Bytes,
  i64x2Shl: [0xfd, ...uleb(0xcb)] as Bytes,
};

export interface WasmFunction {
  name: string;
  /** Number of (i32) parameters. */
  params: number;
  /** Extra locals by type, in order (their indices follow the parameters). */
  locals: { count: number; type: number }[];
  body: Bytes;
}

/** A module with one memory of `pages` 64 KiB pages exported as "memory", and the functions exported by name. */
export function encodeModule(functions: WasmFunction[], pages: number): Uint8Array<ArrayBuffer> {
  const arities = [...new Set(functions.map((f) => f.params))];
  const types = section(1, vec(arities.map((n) => [0x60, ...vec(Array.from({ length: n }, () => [I32])), 0])));
  const funcs = section(3, vec(functions.map((f) => uleb(arities.indexOf(f.params)))));
  const memory = section(5, vec([[0x00, ...uleb(pages)]]));
  const exports = section(7, vec([[...name("memory"), 0x02, 0], ...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])]));
  const code = section(
    10,
    vec(
      functions.map((f) => {
        const content = [...vec(f.locals.map((l) => [...uleb(l.count), l.type])), ...f.body, ...op.end];
        return [...uleb(content.length), ...content];
      }),
    ),
  );
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...funcs, ...memory, ...exports, ...code]);
}
