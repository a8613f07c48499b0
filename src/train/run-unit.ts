// A run folder (nnc train's weights, history and plots; nnc sweep's table and plots) switches in as ONE
// unit: a kill, a full disk or a second Ctrl-C at any moment leaves every file of the old set or every
// file of the new one, never a mix.
//
// How: each set lives in its own generation folder, `<dir>/.nnc-runs/<id>/`, written completely (every
// file fsync'd) before anything visible changes. `<dir>/.nnc-run` is a symlink to the current generation
// and the names users read are fixed symlinks through it (`weights.json -> .nnc-run/weights.json`). The
// switch is one rename of a fresh `.nnc-run` symlink over the old one, which POSIX makes atomic, so a
// reader of `<dir>/weights.json` and `<dir>/history.csv` sees the same run at every instant, with no
// reader needing to know about any of this (nnc predict, a browser opening loss.svg, `cat`).
//
// Why not the alternatives: renaming a whole staging folder over the run folder is impossible while it
// holds anything (rename(2) replaces only an empty folder), and the run folder also holds the lock, the
// checkpoint and whatever else the user keeps there; swapping it by two renames leaves a moment with no
// folder at all. A manifest naming the consistent set would need every reader (including people with
// `cat`) to follow it; a journal replayed by the next nnc would leave a mixed folder until then.
//
// A folder written by an older nnc (plain files) is converted without a visible change: its files are
// copied into a first generation, `.nnc-run` made to point there, and each plain file replaced by its
// symlink (same content). Generations no `.nnc-run` points to (a killed run's) are removed by the next
// write; callers (nnc train, nnc sweep) hold the folder's lock (run-lock.ts). On Windows, where
// symlinks need special rights, the files are written one by one (each still atomic) and the docs say so.
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { describeFsError, fsErrorCode } from "../fs-errors.js";
import { fsyncFolder, killPoint, writeFileAtomic, writeFileDurable } from "../atomic-write.js";

/** The symlink to the current generation, and the folder of generations. */
export const CURRENT_LINK = ".nnc-run";
export const GENERATIONS = ".nnc-runs";

function lstatOrNull(path: string) {
  try {
    return lstatSync(path);
  } catch (error) {
    if (fsErrorCode(error) === "ENOENT") return null;
    throw new UserError(`cannot write ${path}: ${describeFsError(error)}`);
  }
}

function readlinkOrNull(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

const linkTarget = (name: string) => `${CURRENT_LINK}/${name}`;
const tempName = (name: string) => `.${name}.nnc-${process.pid}-${randomBytes(4).toString("hex")}.tmp`;

/** Replaces (or makes) `dir/name` with a symlink to `target`, atomically (symlink beside it, then rename). */
function placeLink(dir: string, name: string, target: string): void {
  const tmp = join(dir, tempName(name));
  killPoint();
  symlinkSync(target, tmp);
  killPoint();
  try {
    renameSync(tmp, join(dir, name));
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** The generation `.nnc-run` points to (its folder name under .nnc-runs), or null. */
export function currentGeneration(dir: string): string | null {
  const target = readlinkOrNull(join(dir, CURRENT_LINK));
  const prefix = `${GENERATIONS}/`;
  return target !== null && target.startsWith(prefix) ? target.slice(prefix.length) : null;
}

/**
 * Writes `files` (name → text) into `dir` as one unit (see the top of this file); returns the paths
 * written, in order. Names must be plain file names. Everything the user could see before stays
 * readable until the single switch.
 */
export function writeRunUnit(dir: string, files: readonly (readonly [string, string | Uint8Array])[]): string[] {
  const paths = files.map(([name]) => join(dir, name));
  if (process.platform === "win32") {
    for (const [name, text] of files) writeFileAtomic(join(dir, name), text);
    return paths;
  }
  try {
    switchIn(dir, files);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot write ${dir}: ${describeFsError(error)}`);
  }
  return paths;
}

function switchIn(dir: string, files: readonly (readonly [string, string | Uint8Array])[]): void {
  // Refuse what the unit cannot replace before writing anything (a folder where a file goes).
  for (const [name] of files) {
    const stats = lstatOrNull(join(dir, name));
    if (stats !== null && !stats.isFile() && !stats.isSymbolicLink()) throw new UserError(`cannot write ${join(dir, name)}: it is a folder or special file`);
  }
  const store = join(dir, GENERATIONS);
  mkdirSync(store, { recursive: true });
  let current = currentGeneration(dir);
  // A killed run's generations: nothing points to them.
  for (const g of readdirSync(store)) if (g !== current) rmSync(join(store, g), { recursive: true, force: true });

  // 1. Plain files (an older nnc's, or copied in by hand) become part of the current generation, made
  // first when there is none, so that replacing them by links changes nothing anyone reads.
  const plain = files.map(([name]) => name).filter((name) => readlinkOrNull(join(dir, name)) !== linkTarget(name) && lstatOrNull(join(dir, name)) !== null);
  if (plain.length > 0) {
    if (current === null) {
      const adopted = `adopted-${randomBytes(4).toString("hex")}`;
      killPoint();
      mkdirSync(join(store, adopted));
      for (const name of plain) if (existsSync(join(dir, name))) copyFileSync(join(dir, name), join(store, adopted, name));
      fsyncFolder(join(store, adopted));
      placeLink(dir, CURRENT_LINK, `${GENERATIONS}/${adopted}`);
      current = adopted;
    } else {
      for (const name of plain) {
        killPoint();
        // (A dangling link of the user's reads as absent: nothing to keep.)
        if (existsSync(join(dir, name))) copyFileSync(join(dir, name), join(store, current, name));
      }
      fsyncFolder(join(store, current));
    }
    for (const name of plain) placeLink(dir, name, linkTarget(name));
  }

  // 2. The new generation, complete and durable before it is visible.
  const id = `${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString("hex")}`;
  const generation = join(store, id);
  killPoint();
  mkdirSync(generation);
  try {
    for (const [name, text] of files) writeFileDurable(join(generation, name), text, join(dir, name));
  } catch (error) {
    // A full disk: the unfinished generation goes, the previous files stay as they were.
    rmSync(generation, { recursive: true, force: true });
    throw error;
  }
  fsyncFolder(generation);
  fsyncFolder(store);

  // 3. Links for names this set adds (dangling until the switch: absent, as before).
  for (const [name] of files) if (readlinkOrNull(join(dir, name)) !== linkTarget(name)) placeLink(dir, name, linkTarget(name));

  // 4. The switch: one rename.
  placeLink(dir, CURRENT_LINK, `${GENERATIONS}/${id}`);
  fsyncFolder(dir);

  // 5. Tidying, safe to interrupt: links of names the new set lacks (they dangle now), the old generation.
  const names = new Set(files.map(([name]) => name));
  for (const entry of readdirSync(dir)) {
    if (!names.has(entry) && readlinkOrNull(join(dir, entry)) === linkTarget(entry)) {
      killPoint();
      rmSync(join(dir, entry), { force: true });
    }
  }
  if (current !== null) {
    killPoint();
    rmSync(join(store, current), { recursive: true, force: true });
  }
}
