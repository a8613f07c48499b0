// IDX reader (the MNIST family: train-images-idx3-ubyte, …), gzip-compressed or not.
// Layout: two zero bytes, a type byte, the number of dimensions, then each dimension as a big-endian
// uint32, then the data in C order, big-endian. Compression is detected by the gzip magic 1f 8b, not
// by the file name, so a renamed file still loads.
import { constants, gunzipSync } from "node:zlib";
import { UserError } from "../errors.js";
import { formatLimit, READ_LIMITS } from "../read-bounded.js";
import { checkDecodedSize, readDataFile } from "./read-file.js";

export interface IdxArray {
  type: string;
  dims: number[];
  /** Elements in C order, converted to float64; always finite. */
  data: Float64Array;
}

const TYPES: Record<number, { name: string; size: number; read: (v: DataView, at: number) => number }> = {
  0x08: { name: "unsigned byte", size: 1, read: (v, at) => v.getUint8(at) },
  0x09: { name: "signed byte", size: 1, read: (v, at) => v.getInt8(at) },
  0x0b: { name: "short", size: 2, read: (v, at) => v.getInt16(at, false) },
  0x0c: { name: "int", size: 4, read: (v, at) => v.getInt32(at, false) },
  0x0d: { name: "float", size: 4, read: (v, at) => v.getFloat32(at, false) },
  0x0e: { name: "double", size: 8, read: (v, at) => v.getFloat64(at, false) },
};

export function readIdx(path: string): IdxArray {
  return parseIdx(decompressIfGzip(readDataFile(path, "IDX file"), path), path);
}

/**
 * A gzip'd IDX file inflated to exactly the size its header declares, and no further: the header is read
 * from the first compressed bytes, so a gzip bomb (10 MB inflating to gigabytes) is refused after
 * inflating a few kilobytes, and a header declaring more data than nnc decodes is refused before any.
 */
export function decompressIfGzip(bytes: Uint8Array, fileName: string): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const corrupt = (error: unknown): never => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(`${fileName}: corrupt gzip data (${reason}); the file starts with the gzip magic 1f 8b but cannot be decompressed`);
  };
  let head: Uint8Array;
  try {
    // 4 KiB of deflate data inflates to at most ~4 MiB: enough for any IDX header (≤ 1,024 bytes).
    head = gunzipSync(bytes.subarray(0, 4096), { finishFlush: constants.Z_SYNC_FLUSH });
  } catch (error) {
    return corrupt(error);
  }
  const declared = declaredIdxBytes(head, fileName);
  // Anything else (too short for a header, a bad header) is reported by parseIdx on the inflated bytes.
  const bound = declared ?? READ_LIMITS.data;
  try {
    // One byte past the declared size tells "trailing data" from "exactly right" (parseIdx names the offset).
    return gunzipSync(bytes, { maxOutputLength: bound + 1 });
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_BUFFER_TOO_LARGE") return corrupt(error);
    if (declared === null) throw new UserError(`${fileName}: inflates to more than nnc's limit of ${formatLimit(READ_LIMITS.data)} for a data file`);
    throw new UserError(`${fileName}: inflates to more than the ${declared} bytes its IDX header declares (a corrupt file or a gzip bomb); stopped there`);
  }
}

/** Header + data bytes an IDX header declares; null when `head` holds no complete valid header. Refuses sizes nnc will not decode. */
function declaredIdxBytes(head: Uint8Array, fileName: string): number | null {
  if (head.length < 4 || head[0] !== 0 || head[1] !== 0 || TYPES[head[2]!] === undefined || head[3] === 0) return null;
  const dataStart = 4 + 4 * head[3]!;
  if (head.length < dataStart) return null;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const dims = Array.from({ length: head[3]! }, (_, d) => view.getUint32(4 + 4 * d, false));
  const count = dims.reduce((a, b) => a * b, 1);
  checkDecodedSize(dims, count, fileName);
  return dataStart + count * TYPES[head[2]!]!.size;
}

/** `fileName` names the file in messages; offsets refer to the decompressed bytes. */
export function parseIdx(bytes: Uint8Array, fileName: string): IdxArray {
  const fail = (message: string): never => {
    throw new UserError(`${fileName}: ${message}`);
  };
  if (bytes.length < 4) fail(`too short for an IDX header (${bytes.length} bytes; the magic number alone is 4)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    fail(`not an IDX file: it must start with two zero bytes, found ${hex(bytes[0]!)} ${hex(bytes[1]!)} at offset 0`);
  }
  const type = TYPES[bytes[2]!];
  if (!type) fail(`unknown IDX type byte ${hex(bytes[2]!)} at offset 2 (expected 08, 09, 0b, 0c, 0d or 0e)`);
  const ndims = bytes[3]!;
  if (ndims === 0) fail(`IDX header says 0 dimensions (offset 3)`);
  const dataStart = 4 + 4 * ndims;
  if (bytes.length < dataStart) fail(`file ends inside the header: ${ndims} dimensions need ${dataStart} header bytes, the file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let d = 0; d < ndims; d++) {
    dims.push(view.getUint32(4 + 4 * d, false));
    count *= dims[d]!;
  }
  checkDecodedSize(dims, count, fileName);
  const { name, size, read } = type!;
  const needed = count * size;
  if (!Number.isSafeInteger(needed)) fail(`dimensions ${dims.join("×")} are too large`);
  const available = bytes.length - dataStart;
  if (available < needed) {
    fail(`data is truncated: dimensions ${dims.join("×")} of ${name} need ${needed} bytes from offset ${dataStart}, but only ${available} follow`);
  }
  if (available > needed) {
    fail(`${available - needed} unexpected bytes after the data, from offset ${dataStart + needed} (dimensions ${dims.join("×")} of ${name})`);
  }
  const data = new Float64Array(count);
  if (size === 1 && bytes[2] === 0x08) {
    data.set(bytes.subarray(dataStart, dataStart + count)); // unsigned bytes (MNIST pixels, labels): bulk copy
  } else {
    for (let i = 0; i < count; i++) data[i] = read(view, dataStart + i * size);
  }
  for (let i = 0; i < count; i++) {
    if (!Number.isFinite(data[i]!)) fail(`element ${i} (offset ${dataStart + i * size}) is ${data[i]}; data must be finite`);
  }
  return { type: name, dims, data };
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}
