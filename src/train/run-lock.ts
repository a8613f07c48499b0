// One `nnc train` or `nnc sweep` per run folder at a time: a second one into the same folder is refused
// with one line naming the process that holds it, instead of both writing (and the second crashing on the
// first's temporaries). The lock is a file holding the holder's pid, created with its pid in it by link(2),
// which fails when the name exists; one left by a killed run (its pid no longer runs) is taken over. The
// folder is also checked writable here, before training.
import { existsSync, linkSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkWritableFolder } from "../atomic-write.js";
import { UserError } from "../errors.js";
import { describeFsError } from "../fs-errors.js";
import { isRunning } from "./checkpoint.js";

export const LOCK_FILE = ".nnc-train.lock";

/** Takes `dir` for this process; returns the release. A UserError when another live nnc train or sweep holds it. */
export function lockRunFolder(dir: string): () => void {
  // A folder made here and left empty (the data was refused before anything was written) is removed again.
  const existed = existsSync(dir);
  checkWritableFolder(dir);
  const path = join(dir, LOCK_FILE);
  // The lock appears with its pid already in it: written to a file of this process's own, then hard-linked to
  // the lock's name (link(2) fails when the name exists, as O_EXCL does). Created empty and written after, a
  // second process starting at the same moment read an empty lock, took it for a killed run's and took it over.
  const mine = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(mine, `${process.pid}\n`);
  } catch (error) {
    rmSync(mine, { force: true });
    throw new UserError(`cannot write into ${dir}: ${describeFsError(error)}`);
  }
  try {
    return takeLock(dir, path, mine, existed);
  } finally {
    rmSync(mine, { force: true });
  }
}

function takeLock(dir: string, path: string, mine: string, existed: boolean): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      linkSync(mine, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      let holder = NaN;
      try {
        holder = Number.parseInt(readFileSync(path, "utf8"), 10);
      } catch {
        // Vanished between the two calls: try again.
      }
      if (Number.isInteger(holder) && holder !== process.pid && isRunning(holder)) {
        throw new UserError(`${dir} is in use by another nnc train or sweep (pid ${holder}): wait for it to finish, or give another --out`);
      }
      // Left by a run that was killed: take it over.
      rmSync(path, { force: true });
      continue;
    }
    return () => {
      try {
        if (Number.parseInt(readFileSync(path, "utf8"), 10) === process.pid) rmSync(path, { force: true });
        if (!existed) rmdirSync(dir);
      } catch {
        // The lock already gone, or the folder holds the run's files (rmdir refuses a non-empty folder).
      }
    };
  }
  throw new UserError(`${dir}: cannot take the run folder's lock (${LOCK_FILE} keeps reappearing)`);
}
