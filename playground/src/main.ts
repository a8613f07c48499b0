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
let requestedText = "";
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
    requestedText = text;
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

let pendingTs: { model: string; fileName: string; moduleTs: string } | null = null;

worker.onmessage = (event: MessageEvent<CompileReply>): void => {
  const reply = event.data;
  // An older text's result, or the text changed since (its own compile is on the way).
  if (reply.id !== requested || editor.text() !== requestedText) return;
  const analysis = editor.analysis();
  if (reply.phase === "error" || analysis.spec === null) {
    pane.status(
      reply.phase === "error" && reply.error !== "the spec has errors"
        ? `not compiled: ${reply.error}`
        : "the spec has errors: the module shown is the last good one",
      "stale",
    );
    panel?.compiled(null);
    return;
  }
  if (reply.phase === "ts") {
    pendingTs = reply;
    pane.show(reply.moduleTs, "(making the JavaScript…)");
    pane.status(`${reply.fileName}: compiled in ${Math.round(reply.ms)} ms; making the .js…`, "busy");
    return;
  }
  if (pendingTs === null) return;
  const { model, fileName, moduleTs } = pendingTs;
  pane.show(moduleTs, reply.moduleJs);
  pane.status(`${fileName} and .js: compiled in ${Math.round(reply.ms)} ms`, "ok");
  downloads.module(fileName, moduleTs, reply.moduleJs);
  document.body.dataset["compiled"] = String(reply.id);
  const compiled: CompiledSpec = { specText: editor.text(), model, moduleTs, moduleJs: reply.moduleJs, spec: analysis.spec };
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
