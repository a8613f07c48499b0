// Runs the generated module's train() in a worker thread. Why a worker: train() is one synchronous
// loop, so on the main thread neither the progress bar's timer nor a SIGINT handler could run until it
// returned. In a worker, the main thread stays free to draw progress and to catch Ctrl-C, which it
// passes on through a shared flag that the module's shouldStop polls after every batch.
//
// The worker is an `eval` worker holding the short script below (no separate file to bundle); it
// imports the module's JavaScript from a data: URL, trains, evaluates, and posts the results back.
import { Worker } from "node:worker_threads";
import type { EpochMetrics, OptimizerState, TrainingReport, Vector } from "../module-api.js";

const WORKER_SCRIPT = String.raw`
const { parentPort, workerData } = require("node:worker_threads");
const { moduleUrl, params, xs, ys, count, test, options, stopFlag, batchIntervalMs } = workerData;
const stop = new Int32Array(stopFlag);
let lastPost = 0;
import(moduleUrl).then((m) => {
  const report = m.train(params, xs, ys, count, {
    ...options,
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
    },
  });
  const trainEval = m.evaluate(params, xs, ys, count);
  const testEval = test ? m.evaluate(params, test.xs, test.ys, test.count) : null;
  parentPort.postMessage({ type: "done", params, report, trainEval, testEval });
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
  options: { epochs?: number; startEpoch?: number; optimizer?: OptimizerState; evaluateEvery?: number };
}

export interface WorkerCallbacks {
  onBatch(epoch: number, batch: number, loss: number): void;
  onEpoch(metrics: EpochMetrics): void;
}

export interface WorkerResult {
  params: Vector;
  report: TrainingReport;
  trainEval: { loss: number; accuracy: number | null };
  testEval: { loss: number; accuracy: number | null } | null;
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
    workerData: { moduleUrl, params: job.params, xs: job.xs, ys: job.ys, count: job.count, test: job.test, options: job.options, stopFlag, batchIntervalMs: 100 },
  });
  const done = new Promise<WorkerResult>((resolve, reject) => {
    let settled = false;
    worker.on("message", (message: { type: string } & Record<string, unknown>) => {
      if (message.type === "batch") callbacks.onBatch(message.epoch as number, message.batch as number, message.loss as number);
      else if (message.type === "epoch") callbacks.onEpoch(message.metrics as EpochMetrics);
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
