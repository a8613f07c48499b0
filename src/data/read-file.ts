// Reads a whole data file, turning the file-system failures a user can cause (missing file, a folder
// where a file was expected, no permission, an empty file) into one clear UserError naming the path.
import { readFileSync, statSync } from "node:fs";
import { UserError } from "../errors.js";

export function readDataFile(path: string, what: string): Buffer {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    throw new UserError(`${path}: cannot read the ${what}: ${describeFsError(error)}`);
  }
  if (!isFile) throw new UserError(`${path}: the ${what} must be a file, but this is a directory or a special file`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new UserError(`${path}: cannot read the ${what}: ${describeFsError(error)}`);
  }
  if (bytes.length === 0) throw new UserError(`${path}: the ${what} is empty (0 bytes)`);
  return bytes;
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a directory";
  return error instanceof Error ? error.message : String(error);
}
