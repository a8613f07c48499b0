// The one way nnc writes an output file: to a temporary file beside the target, fsync'd, then renamed
// over it. A crash or kill at any moment leaves either the old file or the new one, never half of one.
//
// Every failure is one UserError, `cannot write PATH: <reason>` (read-only file system, no space left,
// permission denied, a part of the path is a file, …), never a stack trace. Before writing it refuses:
// an empty path (an unset shell variable would otherwise mean "the working folder"), a target that is a
// folder or a special file (renaming over /dev/null as root would replace the device), and an existing
// file without write permission (a read-only file stays as it is, even for root). A symlinked target is
// written through: the link stays a link and the file it points to is replaced, keeping its permissions.
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync, type Stats } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, basename, join } from "node:path";
import { UserError } from "./errors.js";
import { describeFsError, fsErrorCode } from "./fs-errors.js";

/**
 * TEST-ONLY hook (documented in docs/guarantees.md section 8): with NNC_TEST_KILL_AT=N in the environment, the
 * process SIGKILLs itself just before its Nth write or rename of an output (every writeFileAtomic,
 * writeFileDurable and the run-folder switch of src/train/run-unit.ts count), so a test can kill a run at
 * every such point in turn. Read once; unset (every real use), it is a counter that never fires.
 */
const KILL_AT = Number(process.env["NNC_TEST_KILL_AT"] ?? 0);
let points = 0;

export function killPoint(): void {
  points++;
  if (KILL_AT > 0 && points === KILL_AT) process.kill(process.pid, "SIGKILL");
}

/** Temporary files are `.<name>.nnc-<pid>-<8 hex>.tmp`: checkpoint.ts removes ones a killed run left, and only those. */
export const TEMPORARY_FILE = /^\..+\.nnc-\d+-[0-9a-f]{8}\.tmp$/;

function temporaryName(path: string): string {
  return join(dirname(path), `.${basename(path)}.nnc-${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
}

function statOrNull(path: string, follow: boolean): Stats | null {
  try {
    return follow ? statSync(path) : lstatSync(path);
  } catch (error) {
    if (fsErrorCode(error) === "ENOENT") return null;
    throw new UserError(`cannot write ${path}: ${describeFsError(error)}`);
  }
}

/** The file a write to `path` replaces (a symlink's target), after the refusals above; null mode when it does not exist yet. */
function resolveTarget(path: string): { file: string; mode: number | null } {
  if (path === "") throw new UserError("cannot write to an empty path (an unset shell variable?)");
  const link = statOrNull(path, false);
  if (link === null) return { file: path, mode: null };
  const stats = link.isSymbolicLink() ? statOrNull(path, true) : link;
  let file = path;
  if (link.isSymbolicLink()) {
    try {
      file = realpathSync(path);
    } catch (error) {
      // A dangling link: write the file it names (relative to the link's folder).
      if (fsErrorCode(error) !== "ENOENT") throw new UserError(`cannot write ${path}: ${describeFsError(error)}`);
      return { file: path, mode: null };
    }
  }
  if (stats === null) return { file, mode: null };
  if (stats.isDirectory()) throw new UserError(`cannot write ${path}: it is a folder (give a file name)`);
  if (!stats.isFile()) throw new UserError(`cannot write ${path}: it is a special file (a device or pipe), not a regular file`);
  if ((stats.mode & 0o222) === 0) throw new UserError(`cannot write ${path}: the file is read-only (chmod u+w ${path} to let nnc replace it)`);
  return { file, mode: stats.mode & 0o7777 };
}

/** The one-line error for a failed write of `target` ("PATH", or "into DIR"): a UserError passes through. */
function writeFailure(target: string, error: unknown): UserError {
  return error instanceof UserError ? error : new UserError(`cannot write ${target}: ${describeFsError(error)}`);
}

/**
 * mkdir -p, one level at a time from the nearest existing folder: Node's recursive mkdir reports a
 * read-only file system as ENOENT, which would read "no such file". A file in the way (mkdir of a name a
 * file holds: EEXIST) is said as such; `target` is what the message says could not be written.
 */
function makeFolders(dir: string, target: string): void {
  const missing: string[] = [];
  for (let d = dir; statOrNull(d, true) === null; d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  try {
    for (const d of missing.reverse()) mkdirSync(d);
  } catch (error) {
    if (fsErrorCode(error) === "EEXIST") throw new UserError(`cannot write ${target}: a part of the path is a file, not a folder`);
    throw writeFailure(target, error);
  }
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const { file, mode } = resolveTarget(path);
  makeFolders(dirname(file), path);
  const tmp = temporaryName(file);
  try {
    writeFileDurable(tmp, data, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  try {
    if (mode !== null) chmodSync(tmp, mode);
    killPoint();
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw writeFailure(path, error);
  }
}

/**
 * Writes a NEW file (it must not exist) and fsyncs it, without the temporary-and-rename: for files in a
 * folder nobody reads yet (a run folder's next generation, src/train/run-unit.ts), made visible later by
 * one rename of their own, and for writeFileAtomic's temporary. `shownAs`: the path a failure names (the
 * one the user knows).
 */
export function writeFileDurable(path: string, data: string | Uint8Array, shownAs = path): void {
  killPoint();
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (error) {
    throw writeFailure(shownAs, error);
  }
  try {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
    closeSync(fd);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // Already closed (the failure was in closeSync itself).
    }
    throw writeFailure(shownAs, error);
  }
}

/** fsync of a folder, so the names created or renamed in it survive a power cut (best effort: some file systems refuse it). */
export function fsyncFolder(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // EISDIR/EINVAL/EPERM on file systems that cannot fsync a folder: the rename is still atomic.
  }
}

/**
 * Makes `dir` (and its parents) and checks a file can be created in it, by creating and removing one of
 * writeFileAtomic's temporaries: commands that work for minutes before writing (train, sweep) call it
 * first, so a read-only or missing-permission folder is reported before the work, not after.
 */
export function checkWritableFolder(dir: string): void {
  if (dir === "") throw new UserError("cannot write into an empty path (an unset shell variable?)");
  makeFolders(dir, `into ${dir}`);
  const probe = temporaryName(join(dir, "probe"));
  try {
    closeSync(openSync(probe, "wx"));
  } catch (error) {
    throw writeFailure(`into ${dir}`, error);
  }
  rmSync(probe, { force: true });
}
