// One `nnc train` or `nnc sweep` per run folder at a time: a second one into the same folder is refused
// with one line naming the process that holds it, instead of both writing (and the second crashing on the first's
// temporaries). The lock is a file holding the holder's pid, made with O_EXCL; one left by a killed run
// (its pid no longer runs) is taken over. The folder is also checked writable here, before training.
import { closeSync, existsSync, openSync, readFileSync, rmdirSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { checkWritableFolder } from "../atomic-write.js";
import { UserError } from "../errors.js";
import { isRunning } from "./checkpoint.js";

export const LOCK_FILE = ".nnc-train.lock";

/** Takes `dir` for this process; returns the release. A UserError when another live nnc train or sweep holds it. */
export function lockRunFolder(dir: string): () => void {
  // A folder made here and left empty (the data was refused before anything was written) is removed again.
  const existed = existsSync(dir);
  checkWritableFolder(dir);
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, "wx");
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
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
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
