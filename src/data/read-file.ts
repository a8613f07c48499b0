// Reads a whole data file through the bounded reader (src/read-bounded.ts): a missing file, a folder or
// special file where a file was expected, no permission, an empty file, or one past the data limit is one
// clear UserError naming the path.
import { UserError } from "../errors.js";
import { LIMITS } from "../limits.js";
import { formatLimit, READ_LIMITS, readFileBounded } from "../read-bounded.js";

export function readDataFile(path: string, what: string): Buffer {
  return readFileBounded(path, what, READ_LIMITS.data);
}

/** Float64 values a data file may decode to: the bound built-in generators have (LIMITS.builtinDataBytes). */
export const DECODED_DATA_BYTES = LIMITS.builtinDataBytes;

/** Refuses, from the header and before decoding, dimensions whose float64 values would pass DECODED_DATA_BYTES. */
export function checkDecodedSize(dims: readonly number[], count: number, fileName: string): void {
  if (count * 8 > DECODED_DATA_BYTES) {
    throw new UserError(
      `${fileName}: dimensions ${dims.join("×")} are ${count.toLocaleString("en-US")} values, ${formatLimit(count * 8)} as float64: more than nnc's limit of ${formatLimit(DECODED_DATA_BYTES)} for a data set`,
    );
  }
}
