// The panel on a page of its own, with a fake host, for the browser tests and screenshots (before and
// besides C1's shell): the host's compile is window.nncCompile, which the test exposes from Node (the real
// front and back end there), so the panel receives exactly what the shell would hand it.
import type { CompiledSpec, TrainingHost } from "../contract.js";
import { mountTraining } from "./index.js";
import { workerUrl } from "./worker.js";

interface TestWindow {
  nncCompile(text: string): Promise<CompiledSpec | null>;
  nncHost: { texts: string[]; seed: number; weights: string | null; state: Record<string, string> };
  nncLoad(text: string): Promise<void>;
  /** The panel's worker script, for scripts/playground-speed.ts. */
  nncWorkerUrl: () => string;
}
const w = window as unknown as TestWindow;
const state = { texts: [] as string[], seed: 1, weights: null as string | null, state: {} as Record<string, string> };
w.nncHost = state;
w.nncWorkerUrl = workerUrl;

const host: TrainingHost = {
  setSpecText(text) {
    state.texts.push(text);
    void w.nncCompile(text).then((result) => panel.compiled(result));
  },
  getSeed: () => state.seed,
  setSeed(seed) {
    state.seed = seed;
  },
  weightsChanged(json) {
    state.weights = json;
  },
  setPanelState(s) {
    state.state = s;
  },
  getPanelState: () => state.state,
};
const panel = mountTraining(document.querySelector<HTMLElement>("#panel")!, host);
w.nncLoad = async (text) => panel.compiled(await w.nncCompile(text));
