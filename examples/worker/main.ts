// The page of the training recipe (docs/web.md): trains the planar network twice on the same rows —
// in a Web Worker (worker.ts), and on the main thread with trainAsync, which pauses for the page so it
// keeps rendering — and shows the progress and the results. Bundle both files (esbuild: two entry points,
// see docs/web.md; Vite: new Worker(new URL("./worker.ts", import.meta.url), { type: "module" })).
import { createParameters, evaluate, trainAsync } from "../../generated/planar.js";
import type { TrainMessage, TrainRequest } from "./worker.js";

/** Training rows: 400 points of two interleaved spirals (deterministic), label 1 on the second spiral. */
function spirals(count: number): { xs: Float64Array; ys: Float64Array } {
  const xs = new Float64Array(count * 2);
  const ys = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const arm = i % 2;
    const t = (i / count) * 3 * Math.PI;
    const r = 0.5 + t / 2;
    xs[i * 2] = r * Math.cos(t + arm * Math.PI);
    xs[i * 2 + 1] = r * Math.sin(t + arm * Math.PI);
    ys[i] = arm;
  }
  return { xs, ys };
}

const COUNT = 400;
const EPOCHS = 2000;
const EVALUATE_EVERY = 200;
const log = document.querySelector<HTMLPreElement>("#log")!;
const say = (line: string): void => void (log.textContent += `${line}\n`);

/** Train in the worker: the rows are transferred in, the parameters transferred back. */
function trainInWorker(): Promise<{ params: Float64Array; progress: number[]; transferred: boolean }> {
  const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  const { xs, ys } = spirals(COUNT);
  const progress: number[] = [];
  return new Promise((resolve, reject) => {
    let params: Float64Array | undefined;
    worker.onerror = (event) => reject(new Error(event.message));
    worker.onmessage = ({ data }: MessageEvent<TrainMessage>) => {
      if (data.kind === "progress") {
        progress.push(data.metrics.loss);
        say(`worker: epoch ${data.metrics.epoch + 1}: loss ${data.metrics.loss.toFixed(4)}`);
      } else if (!data.transferred && params === undefined) {
        params = data.params;
      } else {
        worker.terminate();
        resolve({ params: params!, progress, transferred: data.transferred });
      }
    };
    const request: TrainRequest = { xs, ys, count: COUNT, epochs: EPOCHS, evaluateEvery: EVALUATE_EVERY };
    worker.postMessage(request, [xs.buffer, ys.buffer]);
  });
}

/** Train on the main thread with trainAsync, counting the animation frames the page renders meanwhile. */
async function trainOnPage(): Promise<{ params: Float64Array; frames: number }> {
  const { xs, ys } = spirals(COUNT);
  const params = createParameters();
  let frames = 0;
  let running = true;
  const frame = (): void => {
    frames++;
    if (running) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  await trainAsync(params, xs, ys, COUNT, { epochs: EPOCHS, evaluateEvery: EVALUATE_EVERY });
  running = false;
  return { params, frames };
}

const inWorker = await trainInWorker();
const onPage = await trainOnPage();
const { xs, ys } = spirals(COUNT);
const fit = evaluate(inWorker.params, xs, ys, COUNT);
say(`worker: accuracy ${((fit.accuracy ?? 0) * 100).toFixed(1)} %; page: ${onPage.frames} frames rendered while trainAsync ran`);

// For test/web/worker.test.ts.
(window as unknown as { nnc: unknown }).nnc = {
  rows: Array.from(xs),
  labels: Array.from(ys),
  initial: Array.from(createParameters()),
  worker: Array.from(inWorker.params),
  progress: inWorker.progress,
  transferred: inWorker.transferred,
  page: Array.from(onPage.params),
  frames: onPage.frames,
};
document.body.dataset["ready"] = "true";
