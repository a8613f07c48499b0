// The Web Worker of the training recipe (docs/web.md, "Training in a Web Worker"): it receives the data,
// trains with the module's plain train() — blocking is fine off the main thread — posts the metrics of
// each evaluated epoch as progress, and hands the trained parameters back by transferring their buffer
// (no copy; the worker's array is empty afterwards).
import { createParameters, train, type EpochMetrics } from "../../generated/planar.js";

/** What the page sends: the training rows (their buffers transferred) and the run's settings. */
export interface TrainRequest {
  xs: Float64Array;
  ys: Float64Array;
  count: number;
  epochs: number;
  evaluateEvery: number;
}

/** What the worker posts back: progress per evaluated epoch, then the result. */
export type TrainMessage =
  { kind: "progress"; metrics: EpochMetrics } | { kind: "done"; params: Float64Array; epochs: number; stoppedBy: string; transferred: boolean };

// The worker's global scope, typed structurally (this file type-checks without the WebWorker lib).
const scope = globalThis as unknown as {
  onmessage: ((event: { data: TrainRequest }) => void) | null;
  postMessage(message: TrainMessage, transfer?: ArrayBuffer[]): void;
};

scope.onmessage = ({ data }) => {
  const params = createParameters();
  const report = train(params, data.xs, data.ys, data.count, {
    epochs: data.epochs,
    evaluateEvery: data.evaluateEvery,
    onEpoch: (metrics) => scope.postMessage({ kind: "progress", metrics }),
  });
  const done: TrainMessage = { kind: "done", params, epochs: report.epochs, stoppedBy: report.stoppedBy, transferred: false };
  scope.postMessage(done, [params.buffer]);
  // After the transfer the worker's view is detached: the parameters were moved, not copied.
  scope.postMessage({ ...done, params: new Float64Array(0), transferred: params.length === 0 });
};
