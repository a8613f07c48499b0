// Reads a whole data file through the bounded reader (src/read-bounded.ts): a missing file, a folder or
// special file where a file was expected, no permission, an empty file, or one past the data limit is one
// clear UserError naming the path.
import { READ_LIMITS, readFileBounded } from "../read-bounded.js";

export function readDataFile(path: string, what: string): Buffer {
  return readFileBounded(path, what, READ_LIMITS.data);
}
