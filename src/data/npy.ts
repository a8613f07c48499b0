// A strict reader for NumPy .npy files (format versions 1.0, 2.0, 3.0), written here rather than taken
// from npyjs because npyjs does not check what a data loader must: it ignores the byte-order character
// (reads '>f8' as little-endian), never compares the data length with the shape (a truncated file or
// trailing bytes go unnoticed), and reports no offsets. See docs/data.md.
//
// Layout: magic "\x93NUMPY", major, minor, header length (uint16 LE for v1, uint32 LE for v2/v3), then a
// Python dict literal {'descr': '<f8', 'fortran_order': False, 'shape': (400, 2), } padded with spaces
// and ending in '\n', then the raw C-order data.
import { UserError } from "../errors.js";
import { checkDecodedSize, readDataFile } from "./read-file.js";

export type NpyDtype = "float32" | "float64" | "uint8" | "int32" | "int64";

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /** The elements in C (row-major) order, converted to float64; always finite. */
  data: Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** descr → dtype and item size. Only little-endian multi-byte types; '|' (not applicable) or any order for one byte. */
const DESCRS: Record<string, { dtype: NpyDtype; size: number }> = {
  "<f4": { dtype: "float32", size: 4 },
  "<f8": { dtype: "float64", size: 8 },
  "|u1": { dtype: "uint8", size: 1 },
  "<u1": { dtype: "uint8", size: 1 },
  ">u1": { dtype: "uint8", size: 1 },
  "<i4": { dtype: "int32", size: 4 },
  "<i8": { dtype: "int64", size: 8 },
};

export function readNpy(path: string): NpyArray {
  return parseNpy(readDataFile(path, ".npy file"), path);
}

export function parseNpy(bytes: Uint8Array, fileName: string): NpyArray {
  const fail = (message: string): never => {
    throw new UserError(`${fileName}: ${message}`);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    fail(`not a .npy file: it must start with the bytes \\x93NUMPY (offset 0)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (major < 1 || major > 3 || minor !== 0) {
    fail(`unsupported .npy format version ${major}.${minor} at offset 6 (expected 1.0, 2.0 or 3.0)`);
  }
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) fail(`file ends inside the preamble (${bytes.length} bytes; need ${headerStart})`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) {
    fail(`header is truncated: it says ${headerLength} header bytes from offset ${headerStart}, but the file has only ${bytes.length} bytes`);
  }
  // v1/v2 headers are latin1; v3 allows utf8. Either way the keys and values we accept are ASCII.
  const headerText = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(bytes.subarray(headerStart, dataStart));
  const header = parseHeaderDict(headerText, headerStart, fail);

  const known = DESCRS[header.descr];
  if (!known) {
    const big = header.descr.startsWith(">");
    fail(
      big
        ? `big-endian data ('${header.descr}') is not supported; save it little-endian, e.g. arr.astype('${header.descr.replace(">", "<")}')`
        : `unsupported dtype '${header.descr}' (expected float32 '<f4', float64 '<f8', uint8 '|u1', int32 '<i4' or int64 '<i8')`,
    );
  }
  const { dtype, size } = known!;
  if (header.fortranOrder) fail(`fortran_order is True; only C-order arrays are supported (save np.ascontiguousarray(arr))`);

  let count = 1;
  for (const d of header.shape) count *= d;
  if (!Number.isSafeInteger(count * size)) fail(`shape (${header.shape.join(", ")}) is too large`);
  checkDecodedSize(header.shape, count, fileName);
  const needed = count * size;
  const available = bytes.length - dataStart;
  const shapeText = `(${header.shape.join(", ")}${header.shape.length === 1 ? "," : ""})`;
  if (available < needed) {
    fail(
      `data is truncated: shape ${shapeText} of ${dtype} needs ${needed} bytes from offset ${dataStart}, ` +
        `but the file ends after ${available} (at offset ${bytes.length})`,
    );
  }
  if (available > needed) {
    fail(`${available - needed} unexpected bytes after the data, from offset ${dataStart + needed} (shape ${shapeText} of ${dtype} needs ${needed} bytes)`);
  }

  const data = decode(bytes, view, dataStart, count, dtype, (i, big) =>
    fail(`int64 element ${i} ${indexText(i, header.shape)} = ${big} is too large to represent exactly`),
  );
  for (let i = 0; i < count; i++) {
    if (!Number.isFinite(data[i]!)) fail(`element ${i} ${indexText(i, header.shape)} is ${data[i]} (at offset ${dataStart + i * size}); data must be finite`);
  }
  return { dtype, shape: header.shape, data };
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Converts the data to float64. On little-endian hosts (all common ones) typed-array views do it in bulk. */
function decode(bytes: Uint8Array, view: DataView, start: number, count: number, dtype: NpyDtype, tooLarge: (i: number, big: bigint) => never): Float64Array {
  const data = new Float64Array(count);
  if (dtype === "uint8") {
    data.set(bytes.subarray(start, start + count));
  } else if (LITTLE_ENDIAN_HOST && dtype !== "int64") {
    // Copy into a fresh, aligned buffer, which typed-array views require (Buffer#slice would not copy).
    const size = dtype === "float64" ? 8 : 4;
    const copy = new Uint8Array(bytes.subarray(start, start + count * size)).buffer;
    data.set(dtype === "float64" ? new Float64Array(copy) : dtype === "float32" ? new Float32Array(copy) : new Int32Array(copy));
  } else {
    for (let i = 0; i < count; i++) {
      const at = start + i * (dtype === "int64" || dtype === "float64" ? 8 : 4);
      if (dtype === "float32") data[i] = view.getFloat32(at, true);
      else if (dtype === "float64") data[i] = view.getFloat64(at, true);
      else if (dtype === "int32") data[i] = view.getInt32(at, true);
      else {
        const big = view.getBigInt64(at, true);
        data[i] = Number(big);
        if (!Number.isSafeInteger(data[i]!)) tooLarge(i, big);
      }
    }
  }
  return data;
}

/** "[17, 1]": the numpy index of flat element `flat` in a C-order array of `shape`. */
export function indexText(flat: number, shape: number[]): string {
  const index: number[] = [];
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    const extent = shape[d]!;
    index.unshift(extent > 0 ? rest % extent : 0);
    rest = extent > 0 ? Math.floor(rest / extent) : 0;
  }
  return `[${index.join(", ")}]`;
}

interface Header {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

/**
 * Parses the header's Python dict literal. Strict: exactly the keys descr, fortran_order and shape (what
 * numpy itself requires), string / True|False / tuple-of-ints values, and a closing '\n'.
 */
function parseHeaderDict(text: string, baseOffset: number, fail: (message: string) => never): Header {
  let pos = 0;
  const at = () => `offset ${baseOffset + pos}`;
  const expected = (what: string): never => fail(`malformed header at ${at()}: expected ${what} but found ${JSON.stringify(text.slice(pos, pos + 12))}`);
  const skipSpace = () => {
    while (pos < text.length && (text[pos] === " " || text[pos] === "\t")) pos++;
  };
  const take = (ch: string): boolean => {
    skipSpace();
    if (text[pos] === ch) {
      pos++;
      return true;
    }
    return false;
  };
  const readString = (): string => {
    skipSpace();
    const quote = text[pos];
    if (quote !== "'" && quote !== '"') return expected("a quoted string");
    const end = text.indexOf(quote, pos + 1);
    if (end < 0) return expected("a closing quote");
    const value = text.slice(pos + 1, end);
    pos = end + 1;
    return value;
  };
  const readValue = (key: string): string | boolean | number[] => {
    skipSpace();
    if (text.startsWith("True", pos)) return ((pos += 4), true);
    if (text.startsWith("False", pos)) return ((pos += 5), false);
    if (text[pos] === "'" || text[pos] === '"') return readString();
    if (take("(")) {
      const dims: number[] = [];
      while (!take(")")) {
        skipSpace();
        const match = /^(\d+)L?/.exec(text.slice(pos));
        if (!match) return expected(`a non-negative integer in '${key}'`);
        dims.push(Number(match[1]));
        pos += match[0].length;
        if (!take(",")) {
          if (!take(")")) return expected("',' or ')'");
          break;
        }
      }
      return dims;
    }
    return expected(`a value for '${key}'`);
  };

  if (!take("{")) expected("'{'");
  const seen = new Map<string, string | boolean | number[]>();
  while (!take("}")) {
    const key = readString();
    if (!["descr", "fortran_order", "shape"].includes(key)) fail(`unexpected header key '${key}' before ${at()} (expected descr, fortran_order, shape)`);
    if (seen.has(key)) fail(`header key '${key}' appears twice (before ${at()})`);
    if (!take(":")) expected("':'");
    seen.set(key, readValue(key));
    if (!take(",")) {
      if (!take("}")) expected("',' or '}'");
      break;
    }
  }
  skipSpace();
  if (text.slice(pos).trim() !== "" || !text.endsWith("\n")) {
    fail(`malformed header at ${at()}: expected only spaces and a final newline after the dict`);
  }
  const descr = seen.get("descr");
  const fortranOrder = seen.get("fortran_order");
  const shape = seen.get("shape");
  if (typeof descr !== "string") fail(`header has no string 'descr' (the dtype)`);
  if (typeof fortranOrder !== "boolean") fail(`header has no True/False 'fortran_order'`);
  if (!Array.isArray(shape)) fail(`header has no tuple 'shape'`);
  return { descr: descr as string, fortranOrder: fortranOrder as boolean, shape: shape as number[] };
}
