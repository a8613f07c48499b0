// The one way nnc reads a user's file: with a size bound known before reading, so a file that never ends
// (/proc/self/pagemap, /dev/zero), a FIFO nobody writes, or a multi-gigabyte file given by mistake is
// refused with one clear line instead of eating the machine's memory or hanging.
//
// The file is opened non-blocking (a FIFO opens at once instead of waiting for a writer) and must be a
// regular file; it is then read in chunks up to the bound, whatever its reported size (files under /proc
// report 0 and never end).
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { UserError } from "./errors.js";
import { describeFsError } from "./fs-errors.js";

const MiB = 1024 ** 2;

/** The documented caps (docs/guarantees.md, section "Every read is bounded"). */
export const READ_LIMITS = {
  /** A spec: far above any real one (the 55,000-layer stress spec is 1.3 MB), below what the front end parses in seconds. */
  spec: 16 * MiB,
  /** A weights file or checkpoint: ~25 bytes per value, so about 40 million parameters. */
  weights: 1024 * MiB,
  /** A data file (.npy, IDX, CSV), and the bytes a gzip-compressed IDX file may inflate to. */
  data: 1024 * MiB,
  /** An ONNX model. */
  onnx: 1024 * MiB,
} as const;

/** "16 MiB", "1 GiB". */
export function formatLimit(bytes: number): string {
  return bytes >= 1024 * MiB ? `${+(bytes / (1024 * MiB)).toPrecision(3)} GiB` : `${+(bytes / MiB).toPrecision(3)} MiB`;
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a pipe (FIFO)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a regular file";
}

/**
 * The file's bytes; a UserError naming the path and `what` ("spec", "weights file", …) when it cannot be
 * opened, is not a regular file, is empty (when `allowEmpty` is false), or holds more than `maxBytes`.
 */
export interface BoundedReadOptions {
  /** An empty file is returned, not refused. */
  allowEmpty?: boolean;
  /** The message when the file holds more than the bound (default: "PATH: the WHAT is larger than nnc's limit of …"). */
  tooLarge?: (limit: string) => string;
}

export function readFileBounded(path: string, what: string, maxBytes: number, options: BoundedReadOptions = {}): Buffer {
  if (path === "") throw new UserError(`the ${what} path is empty (an unset shell variable?)`);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new UserError(`${path}: cannot read the ${what}: ${describeFsError(error)}`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new UserError(`${path}: the ${what} must be a file, but this is ${kindOf(stats)}`);
    const tooLarge = () =>
      new UserError(
        options.tooLarge?.(formatLimit(maxBytes)) ??
          `${path}: the ${what} is larger than nnc's limit of ${formatLimit(maxBytes)} for a ${what} (docs/guarantees.md)`,
      );
    if (stats.size > maxBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let total = 0;
    // Chunks of whole pages (files under /proc refuse unaligned reads), from the reported size up, doubling
    // to 1 MiB; the loop stops once past the bound, so "exactly the limit" and "more" are told apart.
    let size = Math.min(1024 * 1024, Math.max(4096, Math.ceil((stats.size + 1) / 4096) * 4096));
    for (;;) {
      const chunk = Buffer.allocUnsafe(size);
      let n: number;
      try {
        n = readSync(fd, chunk, 0, size, null);
      } catch (error) {
        throw new UserError(`${path}: cannot read the ${what}: ${describeFsError(error)}`);
      }
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw tooLarge();
      size = Math.min(1024 * 1024, size * 2);
    }
    if (total === 0 && options.allowEmpty !== true) throw new UserError(`${path}: the ${what} is empty (0 bytes)`);
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/**
 * The file as UTF-8 text, a leading byte-order mark dropped (editors on Windows write one; JSON.parse
 * would refuse it with an invisible character as the reason). Invalid UTF-8 is refused with its offset.
 */
export function readTextBounded(path: string, what: string, maxBytes: number, options: BoundedReadOptions = {}): string {
  const bytes = readFileBounded(path, what, maxBytes, options);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new UserError(`${path}: the ${what} is not UTF-8 text (an invalid byte at offset ${at})`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence (RFC 3629's table). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    // Overlong, surrogate and beyond-U+10FFFF forms of 3- and 4-byte sequences.
    const c1 = bytes[i + 1] ?? 0;
    if ((b === 0xe0 && c1 < 0xa0) || (b === 0xed && c1 > 0x9f) || (b === 0xf0 && c1 < 0x90) || (b === 0xf4 && c1 > 0x8f)) return i;
    i += length;
  }
  return i;
}
