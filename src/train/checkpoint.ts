// Checkpoints: what `nnc train` writes to <run folder>/checkpoint.json while it trains, and what
// `nnc train --resume` continues from. A checkpoint is taken at the end of an evaluated epoch (the only
// moments the module's train() calls back), at most every `--checkpoint-every` seconds, and holds
// everything that decides the rest of the run: parameters, optimiser state (t and slots), epochs done,
// the seeds, the normalisation, the history so far, the spec hash, a hash of the training data and, for
// a spec with `stop early`, the early-stopping state (best value, its epoch, evaluations without
// improvement, the best parameters). Batch order, dropout masks and the learning-rate schedule are
// functions of the epoch (src/module-api.ts), and `stop loss`/`stop accuracy` look at one epoch's
// metrics only, so continuing at `epoch` with these numbers gives exactly the uninterrupted run.
//
// Version 1 checkpoints (before the early-stopping state was saved) still resume a spec without
// `stop early` (they hold everything such a run needs); for a spec with it they are refused.
//
// Written with writeFileAtomic, so a kill at any moment leaves the previous checkpoint or the new one.
// A kill can leave writeFileAtomic's temporary file (`.<name>.nnc-<pid>-<hex>.tmp`) behind; the next run
// in that folder removes such leftovers of processes that no longer run (removeStaleTemporaries).
import { createHash } from "node:crypto";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { READ_LIMITS, readTextBounded } from "../read-bounded.js";
import { TEMPORARY_FILE } from "../atomic-write.js";

export { TEMPORARY_FILE };
import { join } from "node:path";
import { writeFileAtomic } from "../atomic-write.js";
import { UserError } from "../errors.js";
import type { EarlyStoppingState, EpochMetrics, ModuleMeta, OptimizerState, Vector } from "../module-api.js";
import { parseNormalizationStats, type NormalizationStats } from "../data/normalize.js";
import { object, validate } from "../schema/validate.js";
import { historySchema } from "../schema/files.js";
import { nonFiniteAsString } from "../json-text.js";

export const CHECKPOINT_FILE = "checkpoint.json";

/** What identifies the run a checkpoint belongs to, besides the module: a resumed run must match all of it. */
export interface RunIdentity {
  /** The epoch count the run was started with (--epochs or the spec's). */
  epochs: number;
  seed: number;
  initSeed: number;
  evaluateEvery: number;
  /** sha256 of the training features and targets as read (before normalisation), and the row count. */
  dataHash: string;
  samples: number;
  /** The same hash of the test (validation) set, null without one: it decides `stop early` and the history's test columns. */
  testDataHash: string | null;
}

export const CHECKPOINT_VERSION = 2;

/** EarlyStoppingState as JSON: a non-finite best value (a NaN or infinite validation loss) as its string. */
export interface SavedEarlyStopping {
  bestEpoch: number;
  bestValue: number | "NaN" | "Infinity" | "-Infinity";
  waited: number;
  best: number[];
}

export interface Checkpoint extends RunIdentity {
  format: "nnc-checkpoint";
  /** 2: with earlyStopping. 1 (read only): without it. */
  version: 2;
  model: string;
  specHash: string;
  precision: "f64" | "f32";
  parameters: number;
  /** Epochs completed: the resumed run starts at this 0-based epoch. */
  epoch: number;
  normalization: NormalizationStats;
  values: number[];
  optimizer: { t: number; slots: Record<string, number[]> };
  /** Metrics of the evaluated epochs done, so the resumed run's history is complete. */
  history: EpochMetrics[];
  /** Where `stop early` stands (null for a spec without it). */
  earlyStopping: SavedEarlyStopping | null;
}

export function hashTrainingData(features: Float64Array, targets: Float64Array): string {
  const hash = createHash("sha256");
  hash.update(new Uint8Array(features.buffer, features.byteOffset, features.byteLength));
  hash.update(new Uint8Array(targets.buffer, targets.byteOffset, targets.byteLength));
  return hash.digest("hex");
}

export function buildCheckpoint(
  meta: ModuleMeta,
  run: RunIdentity,
  epoch: number,
  params: Vector,
  optimizer: OptimizerState,
  normalization: NormalizationStats,
  history: EpochMetrics[],
  earlyStopping: EarlyStoppingState | null = null,
): Checkpoint {
  const slots: Record<string, number[]> = {};
  for (const [name, values] of Object.entries(optimizer.slots)) slots[name] = Array.from(values);
  return {
    format: "nnc-checkpoint",
    version: 2,
    model: meta.name,
    specHash: meta.specHash,
    precision: meta.precision,
    parameters: meta.parameters,
    epoch,
    ...run,
    normalization,
    // The trainable parameters only: the statistics after them (meta.preprocessing) are `normalization`.
    values: Array.from(params.subarray(0, meta.parameters)),
    optimizer: { t: optimizer.t, slots },
    history,
    earlyStopping:
      earlyStopping === null
        ? null
        : {
            bestEpoch: earlyStopping.bestEpoch,
            bestValue: Number.isFinite(earlyStopping.bestValue)
              ? earlyStopping.bestValue
              : (String(earlyStopping.bestValue) as SavedEarlyStopping["bestValue"]),
            waited: earlyStopping.waited,
            best: Array.from(earlyStopping.best),
          },
  };
}

/** False when any parameter, optimiser number or best parameter is NaN/±Infinity (such a state is never saved: JSON cannot hold it, and it is no state to resume from). */
export function isFiniteState(params: Vector, optimizer: OptimizerState, earlyStopping: EarlyStoppingState | null = null): boolean {
  const finite = (v: Vector) => v.every((x) => Number.isFinite(x));
  return (
    finite(params) && Object.values(optimizer.slots).every(finite) && Number.isFinite(optimizer.t) && (earlyStopping === null || finite(earlyStopping.best))
  );
}

/** One JSON line per field; values on one line (compact for 100k-parameter models). */
export function formatCheckpoint(c: Checkpoint): string {
  return `{\n${Object.entries(c)
    .map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v, nonFiniteAsString)}`)
    .join(",\n")}\n}\n`;
}

export function writeCheckpoint(dir: string, c: Checkpoint): string {
  const path = join(dir, CHECKPOINT_FILE);
  writeFileAtomic(path, formatCheckpoint(c));
  return path;
}

export function removeCheckpoint(dir: string): void {
  rmSync(join(dir, CHECKPOINT_FILE), { force: true });
}

/** Whether process `pid` still runs (its temporaries, or its run-folder lock, are its own, not leftovers). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes temporaries (src/atomic-write.ts's TEMPORARY_FILE) that killed runs left in `dir`, nothing else; returns their names. */
export function removeStaleTemporaries(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const stale = names.filter((n) => TEMPORARY_FILE.test(n) && !isRunning(Number(/\.nnc-(\d+)-/.exec(n)![1])));
  for (const n of stale) rmSync(join(dir, n), { force: true });
  return stale;
}

/** The resumable state, typed for the module: parameters and optimiser slots in its precision. */
export interface ResumeState {
  checkpoint: Checkpoint;
  params: Vector;
  optimizer: OptimizerState;
  /** The early-stopping state to continue (when the run has `stop early`), else null. */
  earlyStopping: EarlyStoppingState | null;
}

/**
 * Reads <dir>/checkpoint.json and checks it belongs to this module and run: model, spec hash, precision,
 * parameter count, optimiser slots, seeds, epochs, data. One UserError lists every difference.
 * `earlyStopping`: true when the spec has `stop early` (the checkpoint must then hold its state).
 */
export function readCheckpoint(dir: string, meta: ModuleMeta, run: RunIdentity, emptyOptimizer: OptimizerState, earlyStopping = false): ResumeState {
  const path = join(dir, CHECKPOINT_FILE);
  if (!existsSync(path)) throw new UserError(`--resume: no checkpoint in ${dir} (${path} does not exist): nothing to resume`);
  let json: unknown;
  const text = readTextBounded(path, "checkpoint", READ_LIMITS.weights);
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`--resume: ${path} is not a readable checkpoint (${(error as Error).message})`);
  }
  const c = json as Omit<Partial<Checkpoint>, "version"> & { version?: unknown };
  if (typeof json !== "object" || json === null || c.format !== "nnc-checkpoint") {
    throw new UserError(`--resume: ${path} is not an nnc checkpoint (no "format": "nnc-checkpoint")`);
  }
  validate(object({}), json, path); // no "__proto__" key
  if (c.version !== 1 && c.version !== CHECKPOINT_VERSION) {
    throw new UserError(`--resume: ${path} is a version ${JSON.stringify(c.version)} checkpoint; this nnc reads versions 1 and ${CHECKPOINT_VERSION}`);
  }
  if (c.version === 1 && earlyStopping) {
    throw new UserError(
      `--resume: ${path} is a version 1 checkpoint, written by an nnc that did not save the \`stop early\` state (best value, patience count, best weights); ` +
        `resuming it would not give the uninterrupted run. Train again without --resume.`,
    );
  }
  const differences: string[] = [];
  const same = (what: string, have: unknown, want: unknown, why = ""): void => {
    if (have !== want) differences.push(`${what}: checkpoint ${JSON.stringify(have)}, this run ${JSON.stringify(want)}${why}`);
  };
  same("model", c.model, meta.name);
  same("spec hash", c.specHash, meta.specHash, " (the spec changed since the checkpoint)");
  same("precision", c.precision, meta.precision);
  same("parameters", c.parameters, meta.parameters);
  same("epochs", c.epochs, run.epochs, " (pass the same --epochs)");
  same("seed", c.seed, run.seed, " (pass the same --seed)");
  same("init seed", c.initSeed, run.initSeed, " (pass the same --seed)");
  same("evaluate every", c.evaluateEvery, run.evaluateEvery, " (pass the same --eval-every)");
  same("training samples", c.samples, run.samples);
  same("training data hash", c.dataHash, run.dataHash, " (the training data changed)");
  // Version 1 did not record the test set.
  if (c.version !== 1) same("test data hash", c.testDataHash, run.testDataHash, " (the test data changed)");
  if (differences.length > 0) throw new UserError(`--resume: ${path} does not belong to this run:\n  - ${differences.join("\n  - ")}`);

  const numbers = (v: unknown, n: number): v is number[] => Array.isArray(v) && v.length === n && v.every((x) => typeof x === "number" && Number.isFinite(x));
  const bad = (what: string): never => {
    throw new UserError(`--resume: ${path}: ${what}`);
  };
  if (!Number.isSafeInteger(c.epoch) || c.epoch! < 0 || c.epoch! > run.epochs) bad(`"epoch" must be a whole number from 0 to ${run.epochs}`);
  if (!numbers(c.values, meta.parameters)) bad(`"values" must be ${meta.parameters} finite numbers`);
  const o = c.optimizer;
  if (typeof o !== "object" || o === null || !Number.isSafeInteger(o.t) || o.t < 0 || typeof o.slots !== "object" || o.slots === null)
    bad(`"optimizer" must be { t, slots }`);
  const wantSlots = Object.keys(emptyOptimizer.slots).sort();
  if (JSON.stringify(Object.keys(o!.slots).sort()) !== JSON.stringify(wantSlots)) bad(`"optimizer.slots" must be ${JSON.stringify(wantSlots)}`);
  const Vec = meta.precision === "f32" ? Float32Array : Float64Array;
  const slots: Record<string, Vector> = {};
  for (const name of wantSlots) {
    const values = o!.slots[name];
    if (!numbers(values, emptyOptimizer.slots[name]!.length)) bad(`"optimizer.slots.${name}" must be ${emptyOptimizer.slots[name]!.length} finite numbers`);
    slots[name] = Vec.from(values as number[]);
  }
  // Every row typed and at most one per completed epoch (src/schema/files.ts): `PATH: history[3].loss: …`.
  const history = validate(object({ history: historySchema(c.epoch!) }), { history: c.history }, path).history as EpochMetrics[];
  let early: EarlyStoppingState | null = null;
  if (earlyStopping) {
    const e = c.earlyStopping;
    if (typeof e !== "object" || e === null) bad(`"earlyStopping" must be { bestEpoch, bestValue, waited, best } (the spec has \`stop early\`)`);
    const value =
      typeof e!.bestValue === "number" ? e!.bestValue : ["NaN", "Infinity", "-Infinity"].includes(e!.bestValue as string) ? Number(e!.bestValue) : undefined;
    if (!Number.isSafeInteger(e!.bestEpoch) || e!.bestEpoch < -1 || e!.bestEpoch >= c.epoch!)
      bad(`"earlyStopping.bestEpoch" must be a whole number from -1 to ${c.epoch! - 1}`);
    if (!Number.isSafeInteger(e!.waited) || e!.waited < 0) bad(`"earlyStopping.waited" must be a whole number ≥ 0`);
    if (value === undefined) bad(`"earlyStopping.bestValue" must be a number`);
    if (!numbers(e!.best, meta.parameters)) bad(`"earlyStopping.best" must be ${meta.parameters} finite numbers`);
    early = { bestEpoch: e!.bestEpoch, bestValue: value!, waited: e!.waited, best: Vec.from(e!.best) };
  }
  const normalization = parseNormalizationStats(c.normalization, meta.inputs, `--resume: ${path}: "normalization"`);
  return { checkpoint: { ...(c as Checkpoint), normalization, history }, params: Vec.from(c.values!), optimizer: { t: o!.t, slots }, earlyStopping: early };
}
