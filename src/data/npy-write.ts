// A small .npy (NumPy format version 1.0) writer: the magic "\x93NUMPY", version 1.0, a little-endian
// uint16 header length, a Python-dict header padded with spaces and ended by "\n" so the data starts
// on a 64-byte boundary (as NumPy itself writes), then the raw C-order little-endian values.
// Reading lives in src/data/npy.ts.

export type NpyArray = Float32Array | Float64Array | Uint8Array | BigInt64Array;

/** NumPy dtype string for each supported typed array ('|' = byte order not applicable). */
export function npyDescr(data: NpyArray): string {
  if (data instanceof Float32Array) return "<f4";
  if (data instanceof Float64Array) return "<f8";
  if (data instanceof Uint8Array) return "|u1";
  if (data instanceof BigInt64Array) return "<i8";
  throw new Error("npyDescr: unsupported array type");
}

/** The header dict exactly as NumPy formats it, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), } */
export function npyHeaderDict(descr: string, shape: readonly number[]): string {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  return `{'descr': '${descr}', 'fortran_order': False, 'shape': ${dims}, }`;
}

/** The complete .npy file for `data` with `shape` (C order). The element count must match the shape. */
export function encodeNpy(data: NpyArray, shape: readonly number[]): Uint8Array {
  const elements = shape.reduce((a, b) => a * b, 1);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0) || elements !== data.length) {
    throw new Error(`encodeNpy: shape (${shape.join(", ")}) does not hold ${data.length} elements`);
  }
  const dict = npyHeaderDict(npyDescr(data), shape);
  // magic (6) + version (2) + header length (2) + dict + padding + "\n", rounded up to 64 bytes.
  const unpadded = 10 + dict.length + 1;
  const total = Math.ceil(unpadded / 64) * 64;
  const headerLength = total - 10;
  const out = new Uint8Array(total + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0); // \x93 N U M P Y, version 1.0
  out[8] = headerLength & 0xff;
  out[9] = headerLength >>> 8;
  const header = dict + " ".repeat(headerLength - dict.length - 1) + "\n";
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  if (headerLength > 0xffff) throw new Error("encodeNpy: header too long for format 1.0");
  writeLittleEndian(data, out, total);
  return out;
}

/** Copies the values little-endian regardless of the host's byte order. */
function writeLittleEndian(data: NpyArray, out: Uint8Array, offset: number): void {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof Uint8Array || new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) {
    out.set(bytes, offset);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset + offset, data.byteLength);
  for (let i = 0; i < data.length; i++) {
    if (data instanceof Float32Array) view.setFloat32(i * 4, data[i]!, true);
    else if (data instanceof Float64Array) view.setFloat64(i * 8, data[i]!, true);
    else view.setBigInt64(i * 8, (data as BigInt64Array)[i]!, true);
  }
}
