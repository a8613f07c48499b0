// The one interface between the playground's two halves (issue 20):
//   - the shell (playground/src/main.ts, editor, code pane, URL state, controls, downloads) owns the spec
//     text, compiles it with the real front and back end, and shows diagnostics and the module;
//   - the training panel (playground/src/training/) trains the compiled module in a Web Worker and draws
//     the curves, the decision boundary, the per-neuron pictures, the fitted curve, lessons and `nnc check`.
// The spec text is the single source of truth: the panel never keeps its own copy of a setting; it asks
// the host to edit the text (setSpecText) and waits for the next `compiled` call.

/** What the shell hands the training panel after each successful (debounced) compile. */
export interface CompiledSpec {
  /** The spec text that was compiled (exactly what the editor holds). */
  specText: string;
  /** The model name (`model …`). */
  model: string;
  /** The generated TypeScript module, byte-identical to `nnc build`'s. */
  moduleTs: string;
  /** The same module as JavaScript, byte-identical to `nnc build --js`'s. */
  moduleJs: string;
  /** The lowered spec (src/ir.ts Spec), for data/shape decisions in the panel. */
  spec: unknown;
}

/** What the training panel may ask of the shell. */
export interface TrainingHost {
  /** Replace the editor's text (a control moved, a lesson opened); the shell recompiles and calls `compiled`. */
  setSpecText(text: string): void;
  /** The seed the run uses (part of the URL state). */
  getSeed(): number;
  setSeed(seed: number): void;
  /** The trained weights (saveWeights's JSON text) for the shell's weights.json download; null when untrained. */
  weightsChanged(weightsJson: string | null): void;
  /** Extra state the panel wants in the URL (e.g. the chosen data set, the lesson); the shell stores it. */
  setPanelState(state: Record<string, string>): void;
  getPanelState(): Record<string, string>;
}

/** What the training panel offers the shell. */
export interface TrainingPanel {
  /** A new compile result (null: the spec has errors; keep the last good one, and say it is stale). */
  compiled(result: CompiledSpec | null): void;
  /** Stop any running training and free the worker. */
  dispose(): void;
}

/** The panel's entry point: playground/src/training/index.ts exports `mountTraining` with this type. */
export type MountTraining = (root: HTMLElement, host: TrainingHost) => TrainingPanel;
