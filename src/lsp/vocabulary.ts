// The words of the language as the editor features offer and explain them, all read from the tables the
// front end checks against (grammar/tokens.ts statement keywords, src/front/schema.ts option tables, the layer
// rules' syntax, src/maths.ts ACTIVATIONS), so completion and hover cannot drift from what `nnc parse` accepts.
import { statementKeywords } from "../../grammar/tokens.js";
import { optionsFor, kindsFor } from "../front/checks/shared.js";
import { activationWords, describeRange, type OptionSpec, type OptionTable } from "../front/schema.js";
import type { StatementNode } from "../front/statements.js";
import { ACTIVATIONS } from "../maths.js";
import type { ActivationKind } from "../ir.js";
import { parseSpec } from "../front/index.js";

/** Statement keywords, in the grammar's order. */
export const KEYWORDS: readonly string[] = statementKeywords.map((t) => t.name.toLowerCase());

/** One line per statement for completion details (docs/language.md has the full text). */
export const STATEMENT_DOCS: Readonly<Record<string, string>> = {
  model: "model NAME — the network's name (the module's file name)",
  input: "input N — the number of input features (optional)",
  let: "let NAME = NUMBER — a size variable",
  sweep: "sweep NAME = V1, V2, … — values nnc sweep trains",
  layer: "layer KIND … — a layer (fc IN->OUT ACTIVATION, dropout p=P, …)",
  loss: "loss mse | quadratic | crossentropy",
  sgd: "sgd lr=… epochs=… batch=… — plain gradient descent",
  momentum: "momentum beta=… — gradient descent with momentum",
  rmsprop: "rmsprop rho=… eps=…",
  adam: "adam beta1=… beta2=… eps=…",
  schedule: "schedule constant | step | exponential | cosine — the learning rate over epochs",
  init: "init normal | uniform | xavier | he | lecun | zeros — how weights start",
  data: "data SOURCE … — the training data",
  test: "test SOURCE … — a separate test set",
  classes: "classes NAME, NAME, … — the output classes' names, in output order",
  row: "row X1, X2, … -> Y1, … | CLASS — one inline training sample",
  split: "split FRACTION — hold out part of the training data as the test set",
  normalize: "normalize zero-mean | min-max | z-score | none",
  stop: "stop loss < X | accuracy >= X | early — a stopping rule",
  precision: "precision f64 | f32",
};

/** Kind words after a keyword (`layer` → fc, dropout, …), or null for statements without one. */
export function kindWords(keyword: string): readonly string[] {
  return kindsFor(keyword) ?? [];
}

/** The options of `keyword kind` (a layer's from its rule), or null when the kind is unknown. */
export function optionTable(keyword: string, kind: string | null): OptionTable | null {
  // optionsFor reads only the keyword and kind words of a statement.
  const statement = { keyword: { text: keyword }, kind: kind === null ? null : { text: kind } } as unknown as StatementNode;
  return optionsFor(statement);
}

/** "number > 0", "whole number ≥ 1", "flag", "one of val_loss, val_accuracy". */
export function describeType(spec: OptionSpec): string {
  const range = spec.min !== undefined || spec.max !== undefined ? ` ${describeRange(spec)}` : "";
  switch (spec.type) {
    case "number":
      return `number${range}`;
    case "integer":
      return `whole number${range}`;
    case "flag":
      return "flag";
    case "string":
      return "quoted string";
    case "name":
      return spec.words ? `one of ${spec.words.join(", ")}` : "name";
    case "name_or_integer":
      return "name or whole number";
    default: {
      // Types the conv and pool layers add (compared as text so this compiles before and after the schema has them).
      const type = String(spec.type);
      if (type === "pair") return "whole number n (n×n) or AxB";
      if (type === "padding") return "whole number, AxB or same";
      return type;
    }
  }
}

/** `lr=NUMBER` → "number > 0, default 0.01" (required options say so). */
export function describeOption(spec: OptionSpec): string {
  const fallback = spec.required ? "required" : spec.default === null ? "no default" : `default ${JSON.stringify(spec.default)}`;
  return `${describeType(spec)}, ${fallback}`;
}

export const ACTIVATION_WORDS: readonly string[] = activationWords;

/** The activation's formula from the maths table ("a = tanh z; a′ = 1 − a²"), or undefined for a word that is none. */
export function activationFormula(word: string): string | undefined {
  return Object.hasOwn(ACTIVATIONS, word) ? ACTIVATIONS[word as ActivationKind].doc : undefined;
}

/**
 * Whether `layer WORD …` takes an activation, as the front end decides it: a layer kind that takes none reports
 * NN008 at the activation word of `layer WORD relu` (dropout, pooling, flatten). Asked of the front end instead
 * of listing kinds, so a new kind needs nothing here. Once per word.
 */
export function takesActivation(word: string): boolean {
  let known = activationTaken.get(word);
  if (known === undefined) {
    const source = `layer ${word} relu\n`;
    const at = source.indexOf(" relu") + 1;
    known = !parseSpec(source, "activation.nn").diagnostics.some((d) => d.code === "NN008" && d.range.startOffset === at);
    activationTaken.set(word, known);
  }
  return known;
}
const activationTaken = new Map<string, boolean>();
