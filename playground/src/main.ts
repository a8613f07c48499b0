// The playground's shell (issue 20): the editor, the generated module beside it, the controls, the downloads
// and the URL state, around the training panel (./training/, mounted through ./contract.ts). The spec text is
// the single source of truth: every control, lesson and URL writes the text, and everything else follows it.
import type { CompiledSpec, TrainingPanel } from "./contract.js";
import { mountTraining } from "./training/index.js";
import { createEditor } from "./editor.js";
import { createCodePane } from "./code-pane.js";
import { createControls } from "./controls.js";
import { createDownloads } from "./downloads.js";
import { decodeState, encodeState, type PageState } from "./url-state.js";
import type { CompileReply, CompileRequest } from "./core.js";
import planar from "../../specs/planar.nn";

const FILE_NAME = "spec.nn";
const DEBOUNCE_MS = 300;

function byId(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`playground: #${id} missing from index.html`);
  return found;
}

const state: PageState = decodeState(location.hash) ?? { text: planar, seed: 1, panel: {} };

const pane = createCodePane(byId("code"));
const downloads = createDownloads(byId("downloads"));
const worker = new Worker(new URL("./compile-worker.js", import.meta.url), { type: "module" });
let panel: TrainingPanel | null = null;
let requested = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

/** The URL follows the state (replaceState: typing is not a history of pages). */
function saveUrl(): void {
  history.replaceState(null, "", encodeState(state));
}

function compileSoon(text: string): void {
  clearTimeout(timer);
  pane.status("compiling…", "busy");
  timer = setTimeout(() => {
    const request: CompileRequest = { id: ++requested, text, fileName: FILE_NAME };
    worker.postMessage(request);
  }, DEBOUNCE_MS);
}

const editor = createEditor(byId("editor"), state.text, FILE_NAME, (text) => {
  state.text = text;
  saveUrl();
  controls.read(text);
  compileSoon(text);
});
const controls = createControls(
  byId("controls"),
  () => editor.text(),
  (text) => editor.setText(text),
);

worker.onmessage = (event: MessageEvent<CompileReply>): void => {
  const reply = event.data;
  if (reply.id !== requested) return; // an older text's result
  const analysis = editor.analysis();
  if (!reply.ok || analysis.spec === null) {
    pane.status(reply.ok ? "the spec has errors: the module shown is the last good one" : `not compiled: ${reply.error}`, "stale");
    panel?.compiled(null);
    return;
  }
  pane.show(reply.moduleTs, reply.moduleJs);
  pane.status(`${reply.fileName}: compiled in ${Math.round(reply.ms)} ms`, "ok");
  downloads.module(reply.fileName, reply.moduleTs, reply.moduleJs);
  document.body.dataset["compiled"] = String(reply.id);
  const compiled: CompiledSpec = { specText: editor.text(), model: reply.model, moduleTs: reply.moduleTs, moduleJs: reply.moduleJs, spec: analysis.spec };
  panel?.compiled(compiled);
};

panel = mountTraining(byId("training"), {
  setSpecText: (text) => editor.setText(text),
  getSeed: () => state.seed,
  setSeed(seed) {
    state.seed = seed;
    saveUrl();
  },
  weightsChanged: (json) => downloads.weights(json),
  setPanelState(panelState) {
    state.panel = { ...panelState };
    saveUrl();
  },
  getPanelState: () => ({ ...state.panel }),
});

controls.read(state.text);
saveUrl();
compileSoon(state.text);
