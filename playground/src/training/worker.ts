// The training worker. Its body is one self-contained function turned into a Blob URL (workerUrl), so the
// panel needs no second bundle entry: whatever bundles the page (C1's build, the tests' esbuild) bundles
// this too. The generated module's JavaScript arrives as text and is imported from a Blob URL.
//
// Protocol (page → worker): start {moduleJs, xs, ys, count, params, epochs}; run; pause; step (one epoch).
// Worker → page: ready; progress {epoch, metrics, params} after each chunk; paused; done; error {message}.
// Training runs in chunks of epochs sized to take about CHUNK_MS (100 ms), with the module's own train() (startEpoch +
// optimizer state carry across chunks, so chunked training is the same run as one call); between chunks the
// worker yields to its event loop so pause and step messages arrive.

export type ToWorker =
  | { kind: "start"; moduleJs: string; xs: Vec; ys: Vec; count: number; params: Vec; epochs: number; evaluateEvery: number }
  | { kind: "run" }
  | { kind: "pause" }
  | { kind: "step" };

/** The module's precision decides: Float64Array (f64) or Float32Array (f32). */
export type Vec = Float64Array | Float32Array;

export interface ProgressMessage {
  kind: "progress";
  /** Epochs completed. */
  epoch: number;
  /** The chunk's evaluated epochs (epoch: 1-based count completed), every evaluateEvery epochs and the chunk's last. */
  history: { epoch: number; loss: number; accuracy: number | null }[];
  params: Vec;
  /** Epochs per second over the last chunk. */
  rate: number;
}

export type FromWorker =
  | { kind: "ready" }
  | ProgressMessage
  | { kind: "paused"; epoch: number }
  | { kind: "done"; epoch: number; stoppedBy: string }
  | { kind: "error"; message: string };

/** Runs inside the worker: must not refer to anything outside itself (it is stringified). */
function workerMain(): void {
  // Each train() call evaluates its last epoch on every row: chunks of ~100 ms keep that cost small next to training,
  // and still give ten pictures a second and a pause that answers within a tenth of a second.
  const CHUNK_MS = 100;
  const scope = globalThis as unknown as {
    onmessage: ((event: { data: ToWorker }) => void) | null;
    postMessage(message: FromWorker): void;
  };
  interface Mod {
    train: (
      p: Vec,
      xs: Vec,
      ys: Vec,
      n: number,
      o: Record<string, unknown>,
    ) => {
      epochs: number;
      stoppedBy: string;
      history: { epoch: number; loss: number; accuracy: number | null }[];
      optimizer: unknown;
    };
  }
  let mod: Mod | null = null;
  let job: Extract<ToWorker, { kind: "start" }> | null = null;
  let epoch = 0;
  let optimizer: unknown;
  let running = false;
  let finished = false;
  let chunk = 1;
  let pending = 0;

  const runChunk = (size: number): boolean => {
    if (!mod || !job || finished) return false;
    const end = Math.min(job.epochs, epoch + size);
    const started = performance.now();
    const report = mod.train(job.params, job.xs, job.ys, job.count, {
      epochs: end,
      startEpoch: epoch,
      evaluateEvery: job.evaluateEvery,
      ...(optimizer === undefined ? {} : { optimizer }),
    });
    const took = performance.now() - started;
    optimizer = report.optimizer;
    const ran = report.epochs - epoch;
    epoch = report.epochs;
    if (report.history.length > 0) {
      const rate = took > 0 ? (ran * 1000) / took : 0;
      const history = report.history.map((m) => ({ epoch: m.epoch + 1, loss: m.loss, accuracy: m.accuracy }));
      scope.postMessage({ kind: "progress", epoch, history, params: job.params.slice(), rate });
    }
    // Grow or shrink the chunk towards CHUNK_MS of work.
    if (ran > 0) chunk = Math.max(1, Math.min(100_000, Math.round((ran * CHUNK_MS) / Math.max(took, 0.1))));
    if (report.stoppedBy !== "epochs" || epoch >= job.epochs) {
      finished = true;
      running = false;
      scope.postMessage({ kind: "done", epoch, stoppedBy: report.stoppedBy });
      return false;
    }
    return true;
  };

  const loop = (): void => {
    pending = 0;
    if (!running) return;
    if (runChunk(chunk)) pending = setTimeout(loop, 0) as unknown as number;
  };

  scope.onmessage = async ({ data }) => {
    try {
      if (data.kind === "start") {
        const url = URL.createObjectURL(new Blob([data.moduleJs], { type: "text/javascript" }));
        mod = (await import(/* @vite-ignore */ url)) as Mod;
        URL.revokeObjectURL(url);
        job = data;
        epoch = 0;
        optimizer = undefined;
        finished = false;
        chunk = 1;
        scope.postMessage({ kind: "ready" });
      } else if (data.kind === "run") {
        running = true;
        if (pending === 0) loop();
      } else if (data.kind === "pause") {
        running = false;
        scope.postMessage({ kind: "paused", epoch });
      } else if (data.kind === "step") {
        running = false;
        runChunk(1);
        scope.postMessage({ kind: "paused", epoch });
      }
    } catch (error) {
      running = false;
      scope.postMessage({ kind: "error", message: error instanceof Error ? error.message : String(error) });
    }
  };
}

let cachedUrl: string | null = null;
/** A Blob URL of the worker's script (made once per page). */
export function workerUrl(): string {
  cachedUrl ??= URL.createObjectURL(new Blob([`(${workerMain.toString()})();`], { type: "text/javascript" }));
  return cachedUrl;
}
