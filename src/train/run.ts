// `nnc train`, the orchestration: spec → module → data → normalise → train (with progress, Ctrl-C)
// → evaluate → write the run folder. Each step lives in its own module; this file only sequences them.
//
// Order matters for safety: the spec is checked, the data read and validated, and the module built
// before anything is written, so a bad spec or bad data leaves an existing run folder untouched.
import { basename, dirname, join } from "node:path";
import { UserError } from "../errors.js";
import type { Spec } from "../ir.js";
import type { EarlyStoppingState, EpochMetrics, GeneratedModule, OptimizerState, TrainingReport, Vector } from "../module-api.js";
import { loadData } from "../data/load.js";
import type { Dataset } from "../data/dataset.js";
import { applyNormalization, fitNormalization, type NormalizationStats } from "../data/normalize.js";
import { loadSpec } from "../front/index.js";
import { dataSourceFromFlag, withTrainingSource } from "./data-flag.js";
import { buildModule } from "./module-build.js";
import { createReporter, type ProgressMode, type RunEnd, type Streams } from "./progress.js";
import { diagnoseRun, findingsJson, formatFindings, type Finding } from "../doctor/index.js";
import { historyCsv, historyRows, writeRunFolder } from "./outputs.js";
import { jsonText } from "../json-text.js";
import { buildWeightsFile, checkWeights, formatWeightsFile, readWeightsFile, type TrainedWeights } from "./weights-file.js";
import { parameterCount, parameterLayout } from "../interpreter/parameters.js";
import { startTrainingWorker } from "./worker.js";
import { lockRunFolder } from "./run-lock.js";
import { withStatistics } from "./statistics.js";
import {
  buildCheckpoint,
  CHECKPOINT_FILE,
  hashTrainingData,
  isFiniteState,
  readCheckpoint,
  removeCheckpoint,
  removeStaleTemporaries,
  writeCheckpoint,
  type RunIdentity,
} from "./checkpoint.js";
import { firstLayerFiltersSvg, runPictures } from "./plots.js";
import { keptEpoch } from "./plot-labels.js";
import { withDataClasses } from "../report/data-classes.js";
import { confusionLine, confusionRows, reportTrainedConfusion, trainedConfusion, type TrainedConfusion } from "../report/train-confusion.js";

export interface TrainRunOptions {
  specPath: string;
  /** --data: a training source by file path(s), replacing the spec's (see data-flag.ts). */
  data?: string;
  /** --label: the CSV label column for --data. */
  label?: string;
  epochs?: number;
  /** --seed: replaces both the training seed (batch order, dropout) and the init seed. */
  seed?: number;
  /** --out: the run folder; default runs/<model>/. */
  out?: string;
  /** Evaluate (metrics, stop criteria, history row) every N epochs; default chosen by defaultEvaluateEvery. */
  evaluateEvery?: number;
  mode: ProgressMode;
  streams: Streams;
  /** Install a SIGINT handler that stops after the current batch (the CLI does; tests may not). */
  handleSigint?: boolean;
  /** --resume: continue from <out>/checkpoint.json (checkpoint.ts) instead of from the initial weights. */
  resume?: boolean;
  /** --checkpoint-every: seconds between checkpoints (taken at evaluated epochs); 0 = every evaluated epoch. Default DEFAULT_CHECKPOINT_SECONDS. */
  checkpointEvery?: number;
  /** --weights: start from these weights (nnc train's or nnc import's weights file) instead of the spec's init: fine-tuning. */
  initialWeights?: string;
  /** --threads: train with the module's trainParallel over this many worker threads (the same weights for any count); absent: train() in one. */
  threads?: number;
}

export const DEFAULT_CHECKPOINT_SECONDS = 10;

export interface TrainRunResult {
  /** 0 done, 1 non-finite loss, 130 interrupted by Ctrl-C. */
  exitCode: number;
  outDir: string;
  files: string[];
  report: TrainingReport;
  trainEval: { loss: number; accuracy: number | null };
  testEval: { loss: number; accuracy: number | null } | null;
  seconds: number;
  /** The doctor's findings (src/doctor): empty when nothing is wrong or the run was interrupted. */
  findings: Finding[];
}

export const EXIT_INTERRUPTED = 130;

/**
 * Evaluating every epoch costs one extra forward pass over the training (and test) set per epoch; for
 * long runs a history of ~1000 rows is plenty. Stop criteria are checked on evaluated epochs only, so a
 * spec with stop criteria is evaluated every epoch.
 */
export function defaultEvaluateEvery(spec: Spec, epochs: number): number {
  if (spec.training.stop.length > 0) return 1;
  return Math.max(1, Math.floor(epochs / 1000));
}

export function withSeed(spec: Spec, seed: number): Spec {
  return { ...spec, training: { ...spec.training, seed }, init: { ...spec.init, seed } };
}

export async function runTraining(options: TrainRunOptions): Promise<TrainRunResult> {
  // 1. The spec, with command-line overrides.
  let spec = loadSpec(options.specPath);
  if (options.seed !== undefined) spec = withSeed(spec, options.seed);
  if (options.data !== undefined) spec = withTrainingSource(spec, dataSourceFromFlag(options.data, spec, options.label));
  // A CSV whose labels are class names gives a spec without `classes` its names (said on stderr, with the line to add).
  spec = withDataClasses(spec, dirname(options.specPath), options.streams);

  // 2–4. Data, module, training (with progress and checkpoints), evaluation and the doctor's diagnosis.
  const outDir = options.out ?? join("runs", spec.name);
  const checkpoints = { dir: outDir, resume: options.resume === true, everySeconds: options.checkpointEvery ?? DEFAULT_CHECKPOINT_SECONDS };
  if (options.initialWeights !== undefined && options.resume === true) {
    throw new UserError("give --weights (start from given weights) or --resume (continue a stopped run), not both");
  }
  // Before training: the folder can be written, and no other nnc train is writing it.
  const release = lockRunFolder(outDir);
  try {
    const run = await trainSpec(spec, dirname(options.specPath), { ...options, diagnose: true, checkpoints, confusion: true });
    const { module, report, trainEval, testEval, seconds, stats, train, evaluateEvery } = run;

    // 5. The run folder, one unit (run-unit.ts). A classifier's confusion matrix on the test split (else the
    // training data) is printed, and drawn so that confusion.svg switches in with the rest.
    removeStaleTemporaries(outDir);
    const confusionSvgText = await reportTrainedConfusion({ spec, confusion: run.confusion, text: options.mode !== "json", streams: options.streams });
    const files = await writeOutputs({
      spec,
      options,
      module,
      params: run.params,
      report,
      stats,
      train,
      rawTrainFeatures: run.rawTrainFeatures,
      end: run.end,
      outDir,
      evaluateEvery,
      confusionSvg: confusionSvgText,
    });
    // The outputs are complete: the checkpoint is only kept to resume a run stopped by Ctrl-C.
    if (report.stoppedBy !== "interrupted") removeCheckpoint(outDir);
    if (options.mode !== "json") options.streams.stdout.write(`wrote ${files.join(", ")}\n`);

    let exitCode = 0;
    if (report.stoppedBy === "interrupted") exitCode = EXIT_INTERRUPTED;
    if (report.stoppedBy === "non_finite") {
      exitCode = 1;
      options.streams.stderr.write(
        `nnc: training diverged: the loss became non-finite (NaN or ±Infinity) after ${report.epochs} complete epoch${report.epochs === 1 ? "" : "s"}. ` +
          `Kept the weights of the last epoch whose loss and weights were all finite in ${join(outDir, "weights.json")}. ` +
          `Learning rate ${spec.training.learningRate}: try a smaller one, or normalised inputs.\n`,
      );
    }
    return { exitCode, outDir, files, report, trainEval, testEval, seconds, findings: run.findings };
  } finally {
    release();
  }
}

export interface TrainSpecOptions {
  epochs?: number;
  evaluateEvery?: number;
  mode: ProgressMode;
  streams: Streams;
  handleSigint?: boolean;
  /** Run the doctor (src/doctor) after training: its block is printed after the end line ("json": a {"type":"doctor"} line before "done"). */
  diagnose?: boolean;
  /** Write <dir>/checkpoint.json every `everySeconds` (at evaluated epochs); with `resume`, start from it (src/train/checkpoint.ts). */
  checkpoints?: { dir: string; resume: boolean; everySeconds: number };
  /** A weights file to start from instead of the spec's init (see readInitialWeights). */
  initialWeights?: string;
  /** Count a classifier's confusion matrix after training ("json": a {"type":"confusion"} line before "done"). */
  confusion?: boolean;
  /** Train through trainParallel over this many worker threads (see TrainRunOptions.threads). */
  threads?: number;
}

/** What trainSpec hands back: everything the run folder, the sweep table and the results need. */
export interface TrainedSpec {
  module: GeneratedModule;
  params: Vector;
  report: TrainingReport;
  trainEval: { loss: number; accuracy: number | null };
  testEval: { loss: number; accuracy: number | null } | null;
  /** Seconds of training (worker start to finish), without data loading or module generation. */
  seconds: number;
  end: RunEnd;
  stats: NormalizationStats;
  /** Normalised training (and test) data, as the network saw it. */
  train: Dataset;
  test: Dataset | null;
  /** The training features as read, for the pictures of 1- and 2-input data; empty for wider data (nothing reads them). */
  rawTrainFeatures: Float64Array;
  evaluateEvery: number;
  /** The doctor's findings (empty when options.diagnose is off or nothing is wrong). */
  findings: Finding[];
  /** The confusion matrix of a classifier (options.confusion; null otherwise or for a regression). */
  confusion: TrainedConfusion | null;
}

/**
 * The spec as if its optimiser line said `epochs=N`: --epochs overrides the spec, so a cosine schedule whose
 * period the spec left out (the epoch count) spans the run's N epochs, not the spec's (`nnc train fashion.nn
 * --epochs 3` decays the rate to its minimum over those 3, as PyTorch's CosineAnnealingLR(T_max=3) would). An
 * explicit period stays. The module built from it has N as its default epochs and period.
 */
export function withEpochs(spec: Spec, epochs: number): Spec {
  if (epochs === spec.training.epochs) return spec;
  const s = spec.training.schedule;
  const schedule = s.kind === "cosine" && s.periodIsEpochs ? { ...s, period: epochs } : s;
  return { ...spec, training: { ...spec.training, epochs, schedule } };
}

/**
 * Steps 2–4 of a run for an already-loaded spec (`nnc train`, `nnc sweep` and the results runner share it):
 * read and normalise the data (relative to specDir), generate the module, train it in a worker with progress,
 * evaluate. Writes nothing to disk.
 */
export async function trainSpec(given: Spec, specDir: string, options: TrainSpecOptions): Promise<TrainedSpec> {
  const spec = withEpochs(given, options.epochs ?? given.training.epochs);
  const epochs = spec.training.epochs;
  const evaluateEvery = options.evaluateEvery ?? defaultEvaluateEvery(spec, epochs);

  // 2. Data: read and validated before anything is built or written; normalisation fitted on the training split only
  // (or, starting from given weights, the normalisation those weights were trained with).
  const initial = options.initialWeights === undefined ? null : readInitialWeights(spec, options.initialWeights);
  const { train, test } = loadData(spec, specDir);
  // The pictures of 1- and 2-input data (boundary.svg, fit.svg) need the raw features after normalisation;
  // wider data gets none (a copy of Fashion-MNIST's would be another 376 MB of peak memory).
  const rawTrainFeatures = train.inputs <= 2 ? train.features.slice() : new Float64Array(0);
  // Hashed as read, before normalisation (a resumed run must see the same data: checkpoint.ts).
  const trainDataHash = hashTrainingData(train.features, train.targets);
  const testDataHash = test ? hashTrainingData(test.features, test.targets) : null;
  const stats = initial?.normalization ?? fitNormalization(spec.data!.normalize, train);
  refuseNonFiniteStatistics(stats, spec);
  applyNormalization(stats, train.features, train.count, train.inputs);
  if (test) applyNormalization(stats, test.features, test.count, test.inputs);

  // 3. The generated module.
  const { module, javascript } = await buildModule(spec);
  const vector = (values: Float64Array): Vector => (module.meta.precision === "f32" ? Float32Array.from(values) : values);
  // The statistics travel in the vector after the trainable parameters (meta.preprocessing), so the module's
  // predict and evaluate take raw inputs; train() reads only the trainable part (network inputs: the data above).
  let params =
    initial === null
      ? withStatistics(module, module.createParameters(), stats)
      : withStatistics(module, module.loadWeights({ ...initial, networkHash: module.meta.networkHash }), stats);
  if (initial !== null && options.mode !== "json")
    options.streams.stderr.write(`nnc: starting from the weights in ${options.initialWeights} (not the spec's init)\n`);

  // 3b. Checkpoints: what identifies this run, and with resume the state to continue from.
  const run: RunIdentity = {
    epochs,
    seed: spec.training.seed,
    initSeed: spec.init.seed,
    evaluateEvery,
    dataHash: trainDataHash,
    samples: train.count,
    testDataHash,
  };
  const checkpoints = options.checkpoints;
  let startEpoch = 0;
  let optimizer: OptimizerState | undefined;
  let priorHistory: EpochMetrics[] = [];
  // `stop early` keeps state across epochs (best value, wait count, best parameters): the worker holds it
  // so checkpoints can save it and a resume continue it. Specs without it pass none (the module has none).
  const hasEarly = spec.training.stop.some((s) => s.kind === "early");
  let earlyStopping: EarlyStoppingState | undefined = hasEarly
    ? { bestEpoch: -1, bestValue: 0, waited: 0, best: vector(new Float64Array(module.meta.parameters)) }
    : undefined;
  if (checkpoints?.resume === true) {
    const state = readCheckpoint(checkpoints.dir, module.meta, run, module.createOptimizer(), hasEarly);
    params = withStatistics(module, state.params, stats);
    optimizer = state.optimizer;
    if (hasEarly) earlyStopping = state.earlyStopping!;
    startEpoch = state.checkpoint.epoch;
    priorHistory = state.checkpoint.history;
    if (options.mode !== "json")
      options.streams.stderr.write(`nnc: resuming from ${join(checkpoints.dir, CHECKPOINT_FILE)} after epoch ${startEpoch} of ${epochs}\n`);
  }
  const seenEpochs: EpochMetrics[] = [];
  let checkpointFailed = false;
  let cleaned = false;
  const onCheckpoint = (epoch: number, at: Vector, state: OptimizerState, early: EarlyStoppingState | null): void => {
    if (checkpoints === undefined || checkpointFailed || !isFiniteState(at, state, early)) return;
    try {
      if (!cleaned) removeStaleTemporaries(checkpoints.dir);
      cleaned = true;
      writeCheckpoint(checkpoints.dir, buildCheckpoint(module.meta, run, epoch, at, state, stats, [...priorHistory, ...seenEpochs], early));
    } catch (error) {
      // Training goes on without checkpoints rather than dying: say so once.
      checkpointFailed = true;
      options.streams.stderr.write(
        `nnc: warning: cannot write a checkpoint in ${checkpoints.dir} (${(error as Error).message}); training continues without checkpoints\n`,
      );
    }
  };

  // 4. Train in a worker (so progress and Ctrl-C stay live), reporting as we go.
  const reporter = createReporter(options.mode, options.streams);
  const batchSize = Math.min(spec.training.batchSize, train.count);
  reporter.start({
    model: module.meta.name,
    epochs,
    batchesPerEpoch: Math.ceil(train.count / batchSize),
    samples: train.count,
    batchSize,
    testSamples: test?.count ?? 0,
    startEpoch,
  });
  // The data goes to the worker in SharedArrayBuffers: shared, not copied by workerData's structured clone
  // (which duplicated Fashion-MNIST's 376 MB of features; peak memory 1.83 GB before). An f64 module reads
  // the very arrays nnc keeps (train.features below is the shared copy; the doctor reads it after training),
  // so the copy made here replaces the original rather than adding to it. The module only reads them.
  const f64 = module.meta.precision === "f64";
  const sharedVector = (values: Float64Array): Vector => {
    const shared = f64 ? new Float64Array(new SharedArrayBuffer(values.length * 8)) : new Float32Array(new SharedArrayBuffer(values.length * 4));
    shared.set(values);
    return shared;
  };
  const toWorker = (values: Float64Array): Vector => (f64 ? values : sharedVector(values));
  if (f64) {
    train.features = sharedVector(train.features) as Float64Array;
    train.targets = sharedVector(train.targets) as Float64Array;
    if (test) {
      test.features = sharedVector(test.features) as Float64Array;
      test.targets = sharedVector(test.targets) as Float64Array;
    }
  }
  const started = performance.now();
  const worker = startTrainingWorker(
    {
      moduleJs: javascript,
      params,
      xs: toWorker(train.features),
      ys: toWorker(train.targets),
      count: train.count,
      test: test ? { xs: toWorker(test.features), ys: toWorker(test.targets), count: test.count } : null,
      options: { epochs, evaluateEvery, startEpoch, optimizer, earlyStopping },
      checkpointIntervalMs: checkpoints === undefined ? null : 1000 * checkpoints.everySeconds,
      threads: options.threads ?? null,
      predictOn: options.confusion === true ? confusionRows(train, test) : null,
    },
    {
      onStart: () => reporter.trainingStarted(),
      onBatch: (e, b, loss) => reporter.batch(e, b, loss),
      onEpoch: (m) => {
        seenEpochs.push(m);
        reporter.epoch(m);
      },
      onCheckpoint,
    },
  );
  // The first Ctrl-C stops after the current batch and saves. The second must quit at once, even while the
  // main thread is busy saving (drawing plots, writing files: one chain of promises that never yields to the
  // event loop, so a JavaScript SIGINT listener would only run after everything was written). So no listener
  // is left after the first: with none, Node restores the default action and the kernel ends the process on
  // the spot (killed by SIGINT: the shell's status 130). That is safe because the run folder switches in as
  // one unit (run-unit.ts) and checkpoints are atomic: the folder keeps the previous run and the last checkpoint.
  const stopOnSigint = (): void => {
    options.streams.stderr.write("\nnnc: stopping after the current batch (Ctrl-C again to quit without saving)\n");
    worker.requestStop();
    process.removeListener("SIGINT", stopOnSigint);
  };
  if (options.handleSigint) process.once("SIGINT", stopOnSigint);
  let result;
  try {
    result = await worker.done;
  } finally {
    process.removeListener("SIGINT", stopOnSigint);
  }
  const seconds = (performance.now() - started) / 1000;
  const { trainEval, testEval } = result;
  // A resumed run's history starts with the checkpoint's (report.epochs already counts the epochs before it).
  const report: TrainingReport = { ...result.report, history: [...priorHistory, ...result.report.history] };
  const end: RunEnd = {
    epochs: report.epochs,
    stoppedBy: report.stoppedBy,
    keptEpoch: keptEpoch(report),
    seconds,
    loss: trainEval.loss,
    accuracy: trainEval.accuracy,
    testLoss: testEval?.loss ?? null,
    testAccuracy: testEval?.accuracy ?? null,
  };
  const findings =
    options.diagnose && report.stoppedBy !== "interrupted" ? diagnoseRun(spec, report, result.params, train.features, train.targets, train.count) : [];
  if (options.diagnose && options.mode === "json") options.streams.stdout.write(findingsJson(findings));
  const confusion = options.confusion === true && result.outputs !== null ? trainedConfusion(spec, result.outputs, train, test) : null;
  if (confusion !== null && options.mode === "json") options.streams.stdout.write(confusionLine(confusion));
  reporter.finish(end);
  if (options.diagnose && options.mode !== "json" && report.stoppedBy !== "interrupted") options.streams.stdout.write(formatFindings(findings));
  return { module, params: result.params, report, trainEval, testEval, seconds, end, stats, train, test, rawTrainFeatures, evaluateEvery, findings, confusion };
}

/**
 * Statistics that overflowed (features near the largest double: a mean or spread of ±Infinity, or NaN) would
 * train a network on NaN inputs and write a weights file whose normalisation JSON cannot hold. Refused here,
 * before training and before anything is written, naming the column, so the previous run's files stay and
 * the doctor (which runs after training) never gets to blame the learning rate.
 */
function refuseNonFiniteStatistics(stats: NormalizationStats, spec: Spec): void {
  for (let i = 0; i < stats.offset.length; i++) {
    const offset = stats.offset[i]!;
    const scale = stats.scale[i]!;
    if (Number.isFinite(offset) && Number.isFinite(scale) && scale !== 0) continue;
    const what = Number.isFinite(offset) ? `scale ${scale}` : `offset ${offset}`;
    throw new UserError(
      `${spec.fileName}: feature column ${i + 1} of ${stats.offset.length}: its ${spec.data!.normalize.replace("_", "-")} statistics overflow (${what}): ` +
        `the values are too large to normalise in float64 (near ±1.8e308); rescale that column (e.g. divide it by 1e300) before training; nothing was written`,
    );
  }
}

/**
 * `--weights FILE`: weights to fine-tune, checked against the spec as nnc predict checks them (model name,
 * layout), except for the network hash (fine-tuning may change an activation, as before). Their normalisation is kept, not refitted: the network expects its inputs mapped that way. A
 * spec whose `normalize` names another kind is refused rather than silently overridden.
 */
export function readInitialWeights(spec: Spec, path: string): TrainedWeights {
  const json = readWeightsFile(path);
  // The spec hash is not compared: fine-tuning is editing the spec's loss, optimiser or epochs and training
  // on. The model name and the layout (every tensor's name, shape and offset) still must match.
  const theirHash = typeof json === "object" && json !== null ? (json as { specHash?: unknown }).specHash : undefined;
  const specHash = typeof theirHash === "string" ? theirHash : spec.sourceHash;
  const meta = { name: spec.name, specHash, layout: parameterLayout(spec), parameters: parameterCount(spec), inputs: spec.inputs };
  const weights = checkWeights(json, meta, path);
  const kind = spec.data?.normalize ?? "none";
  if (weights.normalization.kind !== kind) {
    const spelled = (k: string) => k.replace("_", "-");
    throw new UserError(
      `${path}: the weights were trained on inputs normalised ${spelled(weights.normalization.kind)}, the spec says ${spelled(kind)}: ` +
        `make the spec's normalize ${spelled(weights.normalization.kind)}${weights.normalization.kind === "none" ? " (or remove it)" : ""} to fine-tune them, or train without --weights`,
    );
  }
  return weights;
}

interface OutputInputs {
  spec: Spec;
  options: TrainRunOptions;
  module: GeneratedModule;
  params: Vector;
  report: TrainingReport;
  stats: NormalizationStats;
  train: Dataset;
  rawTrainFeatures: Float64Array;
  end: RunEnd;
  outDir: string;
  evaluateEvery: number;
  confusionSvg: string | null;
}

async function writeOutputs(o: OutputInputs): Promise<string[]> {
  const { spec, module, params, report, stats, end } = o;
  const weights = buildWeightsFile(module.saveWeights(params), spec.fileName, stats, {
    seed: spec.training.seed,
    initSeed: spec.init.seed,
    epochs: report.epochs,
    stoppedBy: report.stoppedBy,
    interrupted: report.stoppedBy === "interrupted",
    loss: end.loss,
    accuracy: end.accuracy,
    testLoss: end.testLoss,
    testAccuracy: end.testAccuracy,
  });
  const rows = historyRows(report.history);
  const historyJson = {
    model: module.meta.name,
    spec: basename(spec.fileName),
    seed: spec.training.seed,
    initSeed: spec.init.seed,
    evaluateEvery: o.evaluateEvery,
    epochs: report.epochs,
    stoppedBy: report.stoppedBy,
    keptEpoch: keptEpoch(report),
    seconds: end.seconds,
    samplesPerSecond: end.seconds > 0 ? (report.epochs * o.train.count) / end.seconds : null,
    final: { loss: end.loss, accuracy: end.accuracy, testLoss: end.testLoss, testAccuracy: end.testAccuracy },
    history: rows,
  };
  const pictures = await runPictures({
    spec,
    specDir: dirname(o.options.specPath),
    module,
    params,
    stats,
    train: o.train,
    rawTrainFeatures: o.rawTrainFeatures,
    rows,
    report,
  });
  return writeRunFolder(o.outDir, {
    // The class names travel with the weights (nnc predict prints them; a CSV's names are the spec's only in this run).
    weights: formatWeightsFile(spec.classes === null ? weights : Object.assign({}, weights, { classes: spec.classes })),
    historyCsv: historyCsv(rows, keptEpoch(report)),
    historyJson: jsonText(historyJson),
    lossSvg: pictures.lossSvg,
    boundarySvg: pictures.boundarySvg,
    fitSvg: pictures.fitSvg,
    filtersSvg: firstLayerFiltersSvg(module.meta.layout, params, module.meta.name),
    confusionSvg: o.confusionSvg,
  });
}

/** A CLI number flag: a whole number ≥ min, or a UserError naming the flag and value. */
/** Seeds are 32-bit (the generators take `seed >>> 0`), as the spec's `seed=` options are. */
export const MAX_SEED = 4294967295;
/** --threads' bound: more threads than this only wait (trainParallel's slices cap the workers that compute at 4). */
export const MAX_THREADS = 64;
/** As the spec's `epochs=`: a loop of more never ends in practice. */
export const MAX_EPOCHS = 1e9;

export function integerFlag(name: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!/^\s*-?\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new UserError(`${name} must be a whole number ${range}, got ${JSON.stringify(value)}`);
  }
  return n;
}
