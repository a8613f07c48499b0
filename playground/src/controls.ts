// The usual knobs (learning rate, hidden size, activation, batch, epochs, optimiser, normalisation). Each one
// EDITS THE SPEC TEXT (spec-edit.ts) and is then read back from it: the text is the single source of truth,
// so a control always shows what the spec says, and typing in the editor moves the controls.
import * as edit from "./spec-edit.js";

export interface Controls {
  /** Shows what `text` says (after every edit, typed or not). */
  read(text: string): void;
}

interface Control {
  element: HTMLInputElement | HTMLSelectElement;
  read(text: string): string | undefined;
  write(text: string, value: string): string;
}

export function createControls(root: HTMLElement, getText: () => string, setText: (text: string) => void): Controls {
  const controls: Control[] = [];
  const add = (id: string, label: string, element: HTMLInputElement | HTMLSelectElement, read: Control["read"], write: Control["write"]): void => {
    element.id = id;
    const wrap = document.createElement("label");
    wrap.append(`${label} `, element);
    root.append(wrap);
    element.addEventListener("change", () => {
      if (element.value.trim() !== "") setText(write(getText(), element.value.trim()));
    });
    controls.push({ element, read, write });
  };
  const input = (type: string, attrs: Record<string, string> = {}): HTMLInputElement => {
    const i = document.createElement("input");
    i.type = type;
    for (const [k, v] of Object.entries(attrs)) i.setAttribute(k, v);
    return i;
  };
  const select = (options: readonly string[]): HTMLSelectElement => {
    const s = document.createElement("select");
    for (const o of options) s.append(new Option(o, o));
    return s;
  };
  const option = (name: string) => ({
    read: (t: string) => edit.optimiserOption(t, name) ?? "",
    write: (t: string, v: string) => edit.setOptimiserOption(t, name, v),
  });
  add("control-lr", "learning rate", input("text", { size: "7" }), option("lr").read, option("lr").write);
  add(
    "control-hidden",
    "hidden size",
    input("number", { min: "1", max: "512" }),
    (t) => edit.hiddenSize(t)?.toString(),
    (t, v) => edit.setHiddenSize(t, Number(v)),
  );
  add("control-activation", "activation", select(edit.ACTIVATIONS.filter((a) => a !== "softmax")), edit.hiddenActivation, edit.setHiddenActivation);
  add("control-batch", "batch", input("number", { min: "1" }), option("batch").read, option("batch").write);
  add("control-epochs", "epochs", input("number", { min: "1" }), option("epochs").read, option("epochs").write);
  add("control-optimiser", "optimiser", select(edit.OPTIMISERS), edit.optimiser, (t, v) => edit.setOptimiser(t, v as edit.Optimiser));
  add("control-normalize", "normalisation", select(edit.NORMALISATIONS), edit.normalisation, edit.setNormalisation);
  return {
    read(text: string): void {
      for (const c of controls) {
        if (document.activeElement === c.element) continue;
        const value = c.read(text);
        c.element.value = value ?? "";
        c.element.disabled = value === undefined;
      }
    },
  };
}
