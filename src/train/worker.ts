// Runs the generated module's train() in a worker thread. Why a worker: train() is one synchronous
// loop, so on the main thread neither the progress bar's timer nor a SIGINT handler could run until it
// returned. In a worker, the main thread stays free to draw progress and to catch Ctrl-C, which it
// passes on through a shared flag that the module's shouldStop polls after every batch.
//
// The worker is an `eval` worker holding the short script below (no separate file to bundle); it
// imports the module's JavaScript from a data: URL, trains, evaluates, and posts the results back.
import { Worker } from "node:worker_threads";
import type { EarlyStoppingState, EpochMetrics, OptimizerState, TrainingReport, Vector } from "../module-api.js";

const WORKER_SCRIPT = String.raw`
const { parentPort, workerData } = require("node:worker_threads");
const { Worker } = require("node:worker_threads");
const { moduleUrl, params, xs, ys, count, test, options, stopFlag, batchIntervalMs, checkpointIntervalMs, threads, predictOn } = workerData;
const stop = new Int32Array(stopFlag);
let lastPost = 0;
let lastCheckpoint = performance.now();
// --threads: the training workers of trainParallel, each importing the same module and serving it.
const SERVE = 'const { parentPort, workerData } = require("node:worker_threads"); import(workerData.moduleUrl).then((m) => m.serveTrainingWorker(parentPort));';
// This worker is one of the threads (trainParallel's caller takes slices too): threads − 1 helpers.
const helpers = threads === null ? [] : Array.from({ length: threads - 1 }, () => new Worker(SERVE, { eval: true, workerData: { moduleUrl } }));
import(moduleUrl).then(async (m) => {
  // Held here (train() updates them in place) so a checkpoint can copy them at the end of an evaluated
  // epoch. options.earlyStopping is given (fresh or resumed) exactly when the spec has \`stop early\`.
  const optimizer = options.optimizer ?? m.createOptimizer();
  const earlyStopping = options.earlyStopping;
  // Start-up (thread, module import, wasm compile) ends here: the progress clock starts now.
  parentPort.postMessage({ type: "started" });
  const trainOptions = {
    ...options,
    optimizer,
    earlyStopping,
    test: test === null ? undefined : test,
    shouldStop: () => Atomics.load(stop, 0) !== 0,
    onBatch: (epoch, batch, batches, loss) => {
      const now = performance.now();
      if (now - lastPost >= batchIntervalMs || batch === batches - 1) {
        lastPost = now;
        parentPort.postMessage({ type: "batch", epoch, batch, loss });
      }
    },
    onEpoch: (metrics) => {
      parentPort.postMessage({ type: "epoch", metrics });
      const now = performance.now();
      if (checkpointIntervalMs !== null && now - lastCheckpoint >= checkpointIntervalMs) {
        lastCheckpoint = now;
        const slots = Object.fromEntries(Object.entries(optimizer.slots).map(([k, v]) => [k, v.slice()]));
        const early = earlyStopping === undefined ? null : { ...earlyStopping, best: earlyStopping.best.slice() };
        parentPort.postMessage({ type: "checkpoint", epoch: metrics.epoch + 1, params: params.slice(), optimizer: { t: optimizer.t, slots }, earlyStopping: early });
      }
    },
  };
  const report = threads === null ? m.train(params, xs, ys, count, trainOptions) : await m.trainParallel(params, xs, ys, count, helpers, trainOptions);
  await Promise.all(helpers.map((h) => h.terminate()));
  // xs are network inputs (normalised here in f64): a module that preprocesses evaluates them with evaluateInputs.
  const evaluate = m.evaluateInputs ?? m.evaluate;
  // train() evaluated the final parameters already when nothing changed them after its last evaluated epoch (all
  // epochs done, or a loss, accuracy or callback stop right after that evaluation): its metrics are those same
  // evaluate calls, so they are not run again (Fashion: ~1 s for 70,000 rows). Early stopping (the best weights
  // restored), a non-finite loss (the last finite ones) and an interrupted epoch evaluate here.
  const last = report.history[report.history.length - 1];
  const evaluated = last !== undefined && last.epoch === report.epochs - 1 && ["epochs", "loss_below", "accuracy_above", "callback"].includes(report.stoppedBy);
  const trainEval = evaluated ? { loss: last.loss, accuracy: last.accuracy } : evaluate(params, xs, ys, count);
  const testEval = !test ? null : evaluated && last.testLoss !== undefined ? { loss: last.testLoss, accuracy: last.testAccuracy ?? null } : evaluate(params, test.xs, test.ys, test.count);
  // The outputs of the rows the confusion matrix counts, batched through the module's own forward (its kernels).
  const predictBatch = m.predictBatchInputs ?? m.predictBatch;
  const rows = predictOn === "test" ? test : predictOn === "training" ? { xs, count } : null;
  const outputs = rows === null ? null : predictBatch(params, rows.xs, rows.count);
  parentPort.postMessage({ type: "done", params, report, trainEval, testEval, outputs });
}).catch((error) => {
  parentPort.postMessage({ type: "error", message: String((error && error.stack) || error).replace(/data:text\/javascript;base64,[A-Za-z0-9+/=]+/g, "<generated module>") });
});
`;

export interface WorkerJob {
  /** The generated module as JavaScript (ES module text). */
  moduleJs: string;
  params: Vector;
  xs: Vector;
  ys: Vector;
  count: number;
  test: { xs: Vector; ys: Vector; count: number } | null;
  /** earlyStopping: given (a fresh or a resumed state) exactly when the spec has `stop early`; checkpoints then carry a copy. */
  options: { epochs?: number; startEpoch?: number; optimizer?: OptimizerState; evaluateEvery?: number; earlyStopping?: EarlyStoppingState };
  /** Post a checkpoint at the end of an evaluated epoch when this many ms passed since the last one (0: every evaluated epoch); null/absent: never. */
  checkpointIntervalMs?: number | null;
  /**
   * Train with the module's trainParallel over this many threads: this worker and threads − 1 helpers it starts, each
   * serving the same module; the same parameters for any count. null/absent: the module's train() in this worker, as before.
   */
  threads?: number | null;
  /** After training, the module's outputs (predictBatch) of the test rows or the training rows, for the confusion matrix; null/absent: none. */
  predictOn?: "test" | "training" | null;
}

export interface WorkerCallbacks {
  /** The worker has loaded the module and is calling train(): what came before was start-up. */
  onStart?(): void;
  onBatch(epoch: number, batch: number, loss: number): void;
  onEpoch(metrics: EpochMetrics): void;
  /** A snapshot at the end of an evaluated epoch: `epoch` epochs completed (see checkpoint.ts). */
  onCheckpoint?(epoch: number, params: Vector, optimizer: OptimizerState, earlyStopping: EarlyStoppingState | null): void;
}

export interface WorkerResult {
  params: Vector;
  report: TrainingReport;
  trainEval: { loss: number; accuracy: number | null };
  testEval: { loss: number; accuracy: number | null } | null;
  /** The trained module's outputs of the rows job.predictOn named (count × outputs), else null. */
  outputs: Vector | null;
}

export interface TrainingWorker {
  /** Ask the run to stop after the current batch (what Ctrl-C does). */
  requestStop(): void;
  done: Promise<WorkerResult>;
}

export function startTrainingWorker(job: WorkerJob, callbacks: WorkerCallbacks): TrainingWorker {
  const stopFlag = new SharedArrayBuffer(4);
  const moduleUrl = `data:text/javascript;base64,${Buffer.from(job.moduleJs, "utf8").toString("base64")}`;
  const worker = new Worker(WORKER_SCRIPT, {
    eval: true,
    workerData: {
      moduleUrl,
      params: job.params,
      xs: job.xs,
      ys: job.ys,
      count: job.count,
      test: job.test,
      options: job.options,
      stopFlag,
      batchIntervalMs: 100,
      checkpointIntervalMs: job.checkpointIntervalMs ?? null,
      threads: job.threads ?? null,
      predictOn: job.predictOn ?? null,
    },
  });
  const done = new Promise<WorkerResult>((resolve, reject) => {
    let settled = false;
    worker.on("message", (message: { type: string } & Record<string, unknown>) => {
      if (message.type === "started") callbacks.onStart?.();
      else if (message.type === "batch") callbacks.onBatch(message.epoch as number, message.batch as number, message.loss as number);
      else if (message.type === "epoch") callbacks.onEpoch(message.metrics as EpochMetrics);
      else if (message.type === "checkpoint")
        callbacks.onCheckpoint?.(
          message.epoch as number,
          message.params as Vector,
          message.optimizer as OptimizerState,
          message.earlyStopping as EarlyStoppingState | null,
        );
      else if (message.type === "done") {
        settled = true;
        resolve(message as unknown as WorkerResult);
        void worker.terminate();
      } else if (message.type === "error") {
        settled = true;
        reject(new Error(`training worker failed: ${String(message.message)}`));
        void worker.terminate();
      }
    });
    worker.on("error", (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    worker.on("exit", (code) => {
      if (!settled) reject(new Error(`training worker exited with code ${code} before finishing`));
      settled = true;
    });
  });
  return {
    requestStop: () => Atomics.store(new Int32Array(stopFlag), 0, 1),
    done,
  };
}
