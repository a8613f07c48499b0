// The training panel (issue 20): trains the shell's compiled module in a Web Worker (worker.ts) and draws
// the run live — loss and accuracy curves, the decision boundary with the points (2-D inputs), each hidden
// unit over the input plane, the fitted curve (1-D regression) — with pause / step / resume / reset, the
// data-set menu and lessons (both edit the spec text through the host), the doctor's diagnosis of the run,
// and `nnc check` (the gradient check) on the compiled module.
import type { CompiledSpec, MountTraining, TrainingHost, TrainingPanel } from "../contract.js";
import type { Spec } from "../../../src/ir.js";
import type { EpochMetrics, GeneratedModule, TrainingReport, Vector } from "../../../src/module-api.js";
import { diagnoseRun } from "../../../src/doctor/index.js";
import { checkGradients } from "../../../src/check/gradient-check.js";
import { formatSpecReport } from "../../../src/check/format.js";
import { pageData, withStats, type PageData } from "./data.js";
import { drawBoundary, drawCurve, drawFit, drawUnit, extentOf, type Extent } from "./draw.js";
import { hiddenUnits } from "./neurons.js";
import { LESSONS } from "./lessons.js";
import { DATA_SETS, dataSetOf, withDataSet, type DataSetName } from "./datasets.js";
import { workerUrl, type FromWorker, type ToWorker } from "./worker.js";

interface Run {
  compiled: CompiledSpec;
  spec: Spec;
  module: GeneratedModule;
  data: PageData;
  extent: Extent | null;
  worker: Worker;
  params: Vector;
  epochs: number[];
  losses: number[];
  accuracies: number[];
  done: boolean;
  stoppedBy: string;
  /** Epochs completed (a diverged run may have no finite history row at all). */
  completed: number;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text = ""): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

async function importModule(js: string): Promise<GeneratedModule> {
  const url = URL.createObjectURL(new Blob([js], { type: "text/javascript" }));
  try {
    return (await import(/* @vite-ignore */ url)) as GeneratedModule;
  } finally {
    URL.revokeObjectURL(url);
  }
}

export const mountTraining: MountTraining = (root: HTMLElement, host: TrainingHost): TrainingPanel => {
  root.classList.add("nnc-training");
  const controls = el("div", { class: "controls" });
  const runButton = el("button", { "data-action": "run" }, "Train");
  const stepButton = el("button", { "data-action": "step" }, "Step");
  const resetButton = el("button", { "data-action": "reset" }, "Reset (new seed)");
  const checkButton = el("button", { "data-action": "check" }, "nnc check");
  const dataSelect = el("select", { "data-role": "dataset" });
  for (const name of DATA_SETS) dataSelect.append(el("option", { value: name }, name));
  controls.append(runButton, stepButton, resetButton, checkButton, el("label", {}, " data "), dataSelect);
  const lessonBar = el("div", { class: "lessons" });
  for (const lesson of LESSONS) {
    const b = el("button", { "data-lesson": lesson.id, title: lesson.story }, lesson.title);
    b.addEventListener("click", () => {
      host.setPanelState({ ...host.getPanelState(), lesson: lesson.id });
      story.textContent = lesson.story;
      host.setSpecText(lesson.spec);
    });
    lessonBar.append(b);
  }
  const story = el("p", { class: "story" });
  const status = el("p", { class: "status", "data-role": "status" });
  const lossCanvas = el("canvas", { width: "320", height: "140", "data-role": "loss" });
  const accuracyCanvas = el("canvas", { width: "320", height: "140", "data-role": "accuracy" });
  const boundaryCanvas = el("canvas", { width: "300", height: "300", "data-role": "boundary" });
  const fitCanvas = el("canvas", { width: "400", height: "260", "data-role": "fit" });
  const units = el("div", { class: "units", "data-role": "units" });
  const doctor = el("div", { class: "doctor", "data-role": "doctor" });
  const checkOut = el("pre", { class: "check", "data-role": "check" });
  const drop = el("p", { class: "drop" }, "Drop a CSV file here (numbers; the last column is the label) to train on its rows.");
  root.append(controls, lessonBar, story, status, lossCanvas, accuracyCanvas, boundaryCanvas, fitCanvas, units, doctor, checkOut, drop);

  let run: Run | null = null;
  let last: CompiledSpec | null = null;
  let running = false;
  let frame = 0;
  let generation = 0;

  const say = (text: string): void => void (status.textContent = text);
  const setRunning = (on: boolean): void => {
    running = on;
    runButton.textContent = on ? "Pause" : run && run.epochs.length > 0 && !run.done ? "Resume" : "Train";
  };

  const draw = (): void => {
    frame = 0;
    if (!run) return;
    const { module, data, params } = run;
    const outputs = module.meta.outputs;
    drawCurve(lossCanvas, "loss", run.epochs, run.losses, "#d62728");
    drawCurve(accuracyCanvas, "accuracy", run.epochs, run.accuracies, "#1f77b4", [0, 1]);
    const f32 = module.meta.precision === "f32";
    const predictor = (x: Float64Array): ArrayLike<number> => module.predict(params, f32 ? Float32Array.from(x) : x);
    if (run.extent) drawBoundary(boundaryCanvas, predictor, outputs, run.extent, data.rawFeatures, data.train.labels, data.train.count);
    if (module.meta.inputs === 1 && data.train.labels === null) drawFit(fitCanvas, predictor, data.rawFeatures, data.train.targets, data.train.count);
    const layers = run.extent ? hiddenUnits(module.meta) : null;
    if (layers && run.extent) {
      const canvases = units.querySelectorAll("canvas");
      let i = 0;
      const extent = run.extent;
      for (const layer of layers) {
        // One pass per unit over a small grid: preprocess each point as the module does, then the hidden activations.
        const size = 48;
        const grid: Float64Array[] = [];
        for (let py = 0; py < size; py++)
          for (let px = 0; px < size; px++) {
            const x = new Float64Array([extent.x0 + ((px + 0.5) / size) * (extent.x1 - extent.x0), extent.y1 - ((py + 0.5) / size) * (extent.y1 - extent.y0)]);
            grid.push(layer.at(params, module.preprocess(params, f32 ? Float32Array.from(x) : x, 1)));
          }
        for (let u = 0; u < layer.units && u < 64; u++, i++) {
          const canvas = canvases[i];
          if (!canvas) break;
          let lo = Infinity,
            hi = -Infinity;
          for (const a of grid) {
            lo = Math.min(lo, a[u]!);
            hi = Math.max(hi, a[u]!);
          }
          drawUnit(
            canvas,
            (x, y) =>
              grid[
                Math.min(size - 1, Math.floor(((extent.y1 - y) / (extent.y1 - extent.y0)) * size)) * size +
                  Math.min(size - 1, Math.floor(((x - extent.x0) / (extent.x1 - extent.x0)) * size))
              ]![u]!,
            extent,
            [lo, hi],
          );
        }
      }
    }
  };
  const redraw = (): void => {
    if (frame === 0) frame = requestAnimationFrame(draw);
  };

  const diagnoseNow = (): void => {
    if (!run) return;
    const r = run;
    const lr = r.module.meta.training.learningRate;
    const history: EpochMetrics[] = r.epochs.map((e, i) => ({
      epoch: e - 1,
      learningRate: lr,
      loss: r.losses[i]!,
      accuracy: Number.isNaN(r.accuracies[i]!) ? null : r.accuracies[i]!,
    }));
    const report = { epochs: r.completed, stoppedBy: r.stoppedBy, history, optimizer: { t: 0, slots: {} } } as TrainingReport;
    doctor.replaceChildren();
    try {
      const findings = diagnoseRun(r.spec, report, r.params, r.data.train.features, r.data.train.targets, r.data.train.count);
      if (findings.length === 0) doctor.append(el("p", { class: "healthy" }, "The doctor finds nothing wrong with this run."));
      for (const f of findings) {
        const p = el("div", { class: `finding ${f.kind}`, "data-kind": f.kind });
        p.append(el("strong", {}, f.summary), el("p", {}, f.cause), el("p", {}, `Fix: ${f.fix}`));
        doctor.append(p);
      }
    } catch (error) {
      doctor.append(el("p", {}, `doctor: ${error instanceof Error ? error.message : String(error)}`));
    }
  };

  const onMessage = (r: Run, message: FromWorker): void => {
    if (run !== r) return;
    if (message.kind === "progress") {
      r.params = message.params;
      r.completed = message.epoch;
      for (const row of message.history) {
        r.epochs.push(row.epoch);
        r.losses.push(row.loss);
        r.accuracies.push(row.accuracy ?? Number.NaN);
      }
      const last = message.history[message.history.length - 1]!;
      say(
        `epoch ${message.epoch} of ${r.module.meta.training.epochs}: loss ${last.loss.toPrecision(4)}${last.accuracy === null ? "" : `, accuracy ${(last.accuracy * 100).toFixed(1)} %`} (${Math.round(message.rate)} epochs/s)`,
      );
      root.dataset["epoch"] = String(message.epoch);
      if (last.accuracy !== null) root.dataset["accuracy"] = String(last.accuracy);
      redraw();
    } else if (message.kind === "done") {
      r.done = true;
      r.completed = message.epoch;
      r.stoppedBy = message.stoppedBy;
      setRunning(false);
      say(`${status.textContent} — stopped: ${message.stoppedBy}`);
      root.dataset["done"] = "true";
      host.weightsChanged(JSON.stringify(r.module.saveWeights(r.params)));
      diagnoseNow();
    } else if (message.kind === "paused") {
      root.dataset["epoch"] = String(message.epoch);
      r.completed = message.epoch;
      diagnoseNow();
    } else if (message.kind === "error") {
      setRunning(false);
      say(`training failed: ${message.message}`);
    }
  };

  const start = async (compiled: CompiledSpec): Promise<void> => {
    const mine = ++generation;
    run?.worker.terminate();
    run = null;
    setRunning(false);
    delete root.dataset["done"];
    delete root.dataset["epoch"];
    delete root.dataset["accuracy"];
    doctor.replaceChildren();
    checkOut.textContent = "";
    host.weightsChanged(null);
    const spec = compiled.spec as Spec;
    let module: GeneratedModule;
    let data: PageData;
    try {
      module = await importModule(compiled.moduleJs);
      data = pageData(spec);
    } catch (error) {
      say(error instanceof Error ? error.message : String(error));
      return;
    }
    if (mine !== generation) return;
    const chosen = dataSetOf(compiled.specText);
    if (chosen) dataSelect.value = chosen;
    const params = withStats(module.createParameters(host.getSeed()), module.meta.preprocessing, module.meta.inputs, data.stats);
    const extent = module.meta.inputs === 2 ? extentOf(data.rawFeatures, data.train.count) : null;
    boundaryCanvas.hidden = extent === null;
    accuracyCanvas.hidden = data.train.labels === null; // a regression has no accuracy
    fitCanvas.hidden = !(module.meta.inputs === 1 && data.train.labels === null);
    units.replaceChildren();
    const layers = extent ? hiddenUnits(module.meta) : null;
    for (const layer of layers ?? [])
      for (let u = 0; u < layer.units && u < 64; u++) units.append(el("canvas", { width: "48", height: "48", title: `layer ${layer.layer}, unit ${u + 1}` }));
    const inPrecision = (v: Float64Array): Vector => (module.meta.precision === "f32" ? Float32Array.from(v) : v);
    const worker = new Worker(workerUrl());
    const r: Run = {
      compiled,
      spec,
      module,
      data,
      extent,
      worker,
      params,
      epochs: [],
      losses: [],
      accuracies: [],
      done: false,
      stoppedBy: "interrupted",
      completed: 0,
    };
    run = r;
    worker.onmessage = (event: MessageEvent<FromWorker>) => onMessage(r, event.data);
    worker.onerror = (event) => say(`worker: ${event.message}`);
    const message: ToWorker = {
      kind: "start",
      moduleJs: compiled.moduleJs,
      xs: inPrecision(data.train.features),
      ys: inPrecision(data.train.targets),
      count: data.train.count,
      params: params.slice(),
      epochs: module.meta.training.epochs,
      // As nnc train (src/train/run.ts defaultEvaluateEvery): every epoch when a stop rule watches the metrics, else ~1000 rows.
      evaluateEvery: spec.training.stop.length > 0 ? 1 : Math.max(1, Math.floor(module.meta.training.epochs / 1000)),
    };
    worker.postMessage(message);
    say(`${compiled.model}: ${data.train.count} rows, ${module.meta.parameters} parameters, ${module.meta.training.epochs} epochs — press Train`);
    root.dataset["ready"] = String(mine);
    redraw();
  };

  runButton.addEventListener("click", () => {
    if (!run || run.done) return;
    run.worker.postMessage({ kind: running ? "pause" : "run" } satisfies ToWorker);
    setRunning(!running);
  });
  stepButton.addEventListener("click", () => {
    if (!run || run.done) return;
    run.worker.postMessage({ kind: "step" } satisfies ToWorker);
    setRunning(false);
  });
  resetButton.addEventListener("click", () => {
    host.setSeed((host.getSeed() + 1) >>> 0);
    if (last) void start(last);
  });
  checkButton.addEventListener("click", () => {
    if (!run) return;
    checkOut.textContent = "checking the gradients …";
    const r = run;
    setTimeout(() => {
      try {
        const report = checkGradients({ spec: r.spec, module: r.module });
        checkOut.textContent = formatSpecReport(report);
      } catch (error) {
        checkOut.textContent = `nnc check: ${error instanceof Error ? error.message : String(error)}`;
      }
      root.dataset["checked"] = "true";
    }, 0);
  });
  dataSelect.addEventListener("change", () => {
    if (!last) return;
    host.setPanelState({ ...host.getPanelState(), data: dataSelect.value });
    host.setSpecText(withDataSet(last.specText, dataSelect.value as DataSetName));
  });
  root.addEventListener("dragover", (event) => event.preventDefault());
  root.addEventListener("drop", (event) => {
    event.preventDefault();
    const file = event.dataTransfer?.files[0];
    if (!file || !last) return;
    const text0 = last.specText;
    void file.text().then(async (csv) => {
      const { csvToRows } = await import("./csv-drop.js");
      try {
        host.setSpecText(csvToRows(text0, csv, file.name));
      } catch (error) {
        say(error instanceof Error ? error.message : String(error));
      }
    });
  });

  return {
    compiled(result) {
      if (result === null) {
        if (last) say(`${status.textContent ?? ""} (the spec has errors: this is the last good compile)`);
        return;
      }
      last = result;
      void start(result);
    },
    dispose() {
      run?.worker.terminate();
      run = null;
      generation++;
    },
  };
};
