// Step 2 of lowering: statements → the IR (src/ir.ts), with every left-out value filled from its documented
// default (src/front/schema.ts, docs/language.md). Lenient by design: a missing or ill-typed value falls back
// to its default and an unknown word is skipped, because validate.ts reports those; lowering itself never
// fails, so the checks can always look at a whole Spec. `parseSpec` returns the Spec only when no check
// found an error.
import type {
  Activation,
  ActivationKind,
  Data,
  DataSource,
  InitScheme,
  InlineRow,
  Layer,
  Loss,
  Normalization,
  Optimizer,
  Schedule,
  SourceRange,
  Spec,
  StopCriterion,
  Sweep,
} from "../ir.js";
import {
  activationWords,
  dataOnlyOptions,
  defaultLeakyAlpha,
  defaultLearningRate,
  kindOptions,
  optimizerOptions,
  splitOptions,
  trainingOptions,
  type OptionSpec,
} from "./schema.js";
import type { SettingNode, StatementNode, ValueNode } from "./statements.js";
import { ruleOf, ruleOfWord } from "../layers/index.js";
import { sizeOf, type Shape } from "../layers/types.js";

export interface LowerInput {
  statements: StatementNode[];
  fileName: string;
  sourceHash: string;
  /** Overrides of `let` values (nnc sweep); names the spec does not declare are ignored here (a check warns). */
  overrides: Record<string, number>;
}

export interface Lowered {
  spec: Spec;
  /** The statement each `spec.layers[i]` came from (checks point at its size tokens). */
  layerStatements: StatementNode[];
}

export const optimizerKeywords = ["sgd", "momentum", "rmsprop", "adam"] as const;
export type OptimizerKeyword = (typeof optimizerKeywords)[number];

export function isOptimizerKeyword(word: string): word is OptimizerKeyword {
  return (optimizerKeywords as readonly string[]).includes(word);
}

/** Known statements of each keyword, in source order; built once per statement list (lowering and the checks
 * ask ~40 times, and a 1 MB spec of inline rows has ~50,000 statements: filtering each time dominated). */
const indexCache = new WeakMap<StatementNode[], { byKeyword: Map<string, StatementNode[]>; known: StatementNode[] }>();

/** The statements by keyword and all known statements, in one pass per statement list. */
function indexOf(statements: StatementNode[]): { byKeyword: Map<string, StatementNode[]>; known: StatementNode[] } {
  let index = indexCache.get(statements);
  if (index === undefined) {
    index = { byKeyword: new Map(), known: [] };
    // The list of the previous statement's keyword is reused without a Map lookup (big specs are runs of one keyword).
    let keyword: string | undefined;
    let list: StatementNode[] | undefined;
    for (const s of statements) {
      if (!s.known) continue;
      index.known.push(s);
      if (s.keyword.text !== keyword) {
        keyword = s.keyword.text;
        list = index.byKeyword.get(keyword);
        if (list === undefined) index.byKeyword.set(keyword, (list = []));
      }
      list!.push(s);
    }
    indexCache.set(statements, index);
  }
  return index;
}

function byKeyword(statements: StatementNode[]): Map<string, StatementNode[]> {
  return indexOf(statements).byKeyword;
}

/** The known statements, in source order. Read-only and shared, built with the keyword index (several checks
 * walk them: a filtered copy each, then a pass of its own, was measurable on 100,000 statements). */
export function knownStatements(statements: StatementNode[]): readonly StatementNode[] {
  return indexOf(statements).known;
}

/** The statements of these keywords (known statements only), in source order. Read-only and shared, not
 * copied: callers ask ~40 times per spec, and copying 50,000 rows each time was measurable. */
export function statementsOf(statements: StatementNode[], ...keywords: string[]): readonly StatementNode[] {
  const index = byKeyword(statements);
  if (keywords.length === 1) return index.get(keywords[0]!) ?? [];
  // One non-empty list (55,000 layers and no `input`): that list, shared like the single-keyword case.
  let only: StatementNode[] | undefined;
  let lists = 0;
  for (const k of keywords) {
    const list = index.get(k);
    if (list !== undefined && list.length > 0) {
      only = list;
      lists++;
    }
  }
  if (lists <= 1) return only ?? [];
  // Each list is already in source order (statements never overlap), so sorting their concatenation by
  // offset is a linear merge of sorted runs.
  return keywords.flatMap((k) => index.get(k) ?? []).sort((a, b) => a.range.startOffset - b.range.startOffset);
}

/** A layer that declares its widths (its rule's syntax.widths), with them and its activation. */
export interface DeclaringLayer {
  layer: Layer;
  inputs: number;
  outputs: number;
  activation: Activation | null;
}

function declaring(layer: Layer | undefined): DeclaringLayer | undefined {
  if (layer === undefined) return undefined;
  const rule = ruleOf(layer);
  const widths = rule.syntax?.widths(layer) ?? null;
  return widths === null ? undefined : { layer, ...widths, activation: rule.activation(layer) };
}

/** The first layer that declares its widths (dense today): the spec's inputs. A search, not a filtered copy (55,000 layers). */
export function firstDeclaring(layers: readonly Layer[]): DeclaringLayer | undefined {
  for (const layer of layers) {
    const found = declaring(layer);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The last layer that declares its widths (dense today): the spec's outputs and the loss's output activation. A search from the end. */
export function lastDeclaring(layers: readonly Layer[]): DeclaringLayer | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    const found = declaring(layers[i]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** `model foo` → "foo"; no model statement → the file name without folder and extension. */
export function defaultModelName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.[^.]*$/, "");
}

/** A `let` variable's value after overrides, or undefined when the spec does not declare it. */
export function variableValues(statements: StatementNode[], overrides: Record<string, number>): Record<string, number> {
  const values: Record<string, number> = {};
  // A repeated `let` is skipped without reading its number, and a run of one name (100,000 `let H = 2`)
  // without a lookup: `present` is the last name found in `values`.
  let present: string | undefined;
  for (const s of statementsOf(statements, "let")) {
    const name = s.variable?.text;
    if (name === undefined || name === present) continue;
    if (Object.hasOwn(values, name)) {
      present = name;
      continue;
    }
    const value = s.numbers[0]?.value;
    if (value === undefined) continue;
    values[name] = Object.hasOwn(overrides, name) ? overrides[name]! : value;
  }
  return values;
}

/** The shape `input` declares: `input 784` → [784], `input 1x28x28` → [1, 28, 28] (a variable: its value); [NaN] when it cannot be known. */
export function resolveShape(node: ValueNode | null, variables: Record<string, number>): number[] {
  if (node?.type === "dims") return [...node.values];
  return [resolveSize(node, variables)];
}

/** A size as a pair: `2` (or a variable) → [2, 2], `2x3` → [2, 3]; [NaN, NaN] when it cannot be known. */
function sizePairOf(node: ValueNode | null, variables: Record<string, number>): [number, number] {
  if (node?.type === "dims") return node.values.length === 2 ? [node.values[0]!, node.values[1]!] : [NaN, NaN];
  const n = resolveSize(node, variables);
  return [n, n];
}

/** A size token's value: the number, or the variable's value; NaN when it cannot be known. */
export function resolveSize(node: ValueNode | null, variables: Record<string, number>): number {
  if (!node) return NaN;
  if (node.type === "number") return node.value;
  if (node.type === "name" && Object.hasOwn(variables, node.value)) return variables[node.value]!;
  return NaN;
}

/** The first setting called `name`. A statement with many settings is indexed once: lowering asks ~10 times
 * for the optimiser's options, each a walk over all of them when the option is absent (140,000 settings in
 * one 1 MB statement: ~50 ms). */
function firstSetting(statement: StatementNode, name: string): SettingNode | undefined {
  const { settings } = statement;
  if (settings.length <= 16) {
    for (const s of settings) if (s.name.text === name) return s;
    return undefined;
  }
  let index = settingIndex.get(statement);
  if (index === undefined) {
    index = new Map();
    for (const s of settings) if (!index.has(s.name.text)) index.set(s.name.text, s);
    settingIndex.set(statement, index);
  }
  return index.get(name);
}
const settingIndex = new WeakMap<StatementNode, Map<string, SettingNode>>();

/** The setting's value when it has the right type, else the default from the schema. */
export function settingValue(statement: StatementNode | undefined, name: string, spec: OptionSpec): number | string | boolean | null {
  const setting = statement === undefined ? undefined : firstSetting(statement, name);
  const value = setting?.value ?? null;
  switch (spec.type) {
    case "flag":
      if (setting && value === null) return true;
      if (value?.type === "name" && (value.value === "true" || value.value === "false")) return value.value === "true";
      return spec.default;
    case "number":
    case "integer":
      return value?.type === "number" && Number.isFinite(value.value) ? value.value : spec.default;
    case "name":
      return value?.type === "name" ? value.value : spec.default;
    case "string":
      return value?.type === "string" ? value.value : spec.default;
    case "name_or_integer":
      if (value?.type === "name") return value.value;
      return value?.type === "number" && Number.isInteger(value.value) ? value.value : spec.default;
    case "pair":
    case "padding":
      // The pair itself is read by pairValue; here only a plain number stands for the option.
      return value?.type === "number" && Number.isFinite(value.value) ? value.value : spec.default;
  }
}

/** A `pair` / `padding` option as [rows, columns]: `5` → [5, 5], `3x5` → [3, 5]; its default when left out or of another type ([NaN, NaN] without one). */
function pairValue(statement: StatementNode, name: string, spec: OptionSpec): [number, number] {
  const value = firstSetting(statement, name)?.value ?? null;
  if (value?.type === "dims" && value.values.length === 2) return [value.values[0]!, value.values[1]!];
  if (value?.type === "number") return [value.value, value.value];
  return typeof spec.default === "number" ? [spec.default, spec.default] : [NaN, NaN];
}

/** True when a `padding` option is written `same`. */
function isSame(statement: StatementNode, name: string, spec: OptionSpec): boolean {
  const value = firstSetting(statement, name)?.value ?? null;
  return spec.type === "padding" && value?.type === "name" && value.value === "same";
}

function num(statement: StatementNode | undefined, name: string, spec: OptionSpec, fallback = 0): number {
  const v = settingValue(statement, name, spec);
  return typeof v === "number" ? v : fallback;
}

function flag(statement: StatementNode | undefined, name: string, spec: OptionSpec): boolean {
  return settingValue(statement, name, spec) === true;
}

function str(statement: StatementNode | undefined, name: string, spec: OptionSpec): string {
  const v = settingValue(statement, name, spec);
  return typeof v === "string" ? v : "";
}

function rangeOf(statement: StatementNode | undefined): SourceRange | null {
  return statement ? statement.range : null;
}

function lowerLayers(statements: StatementNode[], variables: Record<string, number>, declaredInput: number[]) {
  const layers: Layer[] = [];
  const layerStatements: StatementNode[] = [];
  // The shape coming into each layer: `input`'s, then each layer's output shape (its rule's outputShape).
  let shape: Shape = declaredInput;
  for (const s of statementsOf(statements, "layer")) {
    // The kind's rule lowers the statement (src/layers/<kind>/index.ts); an unknown word is the validator's to report.
    const rule = ruleOfWord(s.kind?.text ?? "");
    if (rule?.syntax === undefined) continue;
    const options = kindOptions.layer![rule.syntax.word]!;
    const layer = rule.syntax.lower(
      {
        width: sizeOf(shape),
        shape,
        size: (which) => resolveSize(which === "from" ? s.from : s.to, variables),
        sizePair: (which) => sizePairOf(which === "from" ? s.from : s.to, variables),
        option: (name) => num(s, name, options[name]!),
        pair: (name) => pairValue(s, name, options[name]!),
        same: (name) => isSame(s, name, options[name]!),
        activation: () => lowerActivation(s),
      },
      s.range,
    ) as Layer;
    shape = ruleOf(layer).outputShape(layer, shape);
    layers.push(layer);
    layerStatements.push(s);
  }
  return { layers, layerStatements };
}

function lowerActivation(s: StatementNode): Activation {
  const word = s.activation?.kind.text ?? "linear";
  const kind = (activationWords.includes(word) ? word : "linear") as ActivationKind;
  const alpha = kind === "leaky_relu" ? (s.activation?.alpha?.value ?? defaultLeakyAlpha) : 0;
  return { kind, alpha: Number.isFinite(alpha) ? alpha : defaultLeakyAlpha };
}

function lowerLoss(statement: StatementNode | undefined, last: Activation | undefined): Loss {
  const word = statement?.kind?.text;
  const written = word === "mse" || word === "quadratic" || word === "crossentropy" ? word : null;
  const probabilistic = last?.kind === "sigmoid" || last?.kind === "softmax";
  const resolved = written ?? (probabilistic ? "crossentropy" : "mse");
  if (resolved === "mse" || resolved === "quadratic") return { kind: resolved, written: resolved, range: written ? rangeOf(statement) : null };
  // crossentropy on a non-probabilistic output is an error (NN023); lower it as binary so checks can run.
  const kind = last?.kind === "softmax" ? "categorical_crossentropy" : "binary_crossentropy";
  return { kind, written: "crossentropy", range: written ? rangeOf(statement) : null };
}

function lowerOptimizer(statement: StatementNode | undefined): Optimizer {
  const keyword = statement?.keyword.text;
  switch (keyword) {
    case "momentum": {
      const o = optimizerOptions.momentum;
      return { kind: "momentum", beta: num(statement, "beta", o.beta!), nesterov: flag(statement, "nesterov", o.nesterov!) };
    }
    case "rmsprop": {
      const o = optimizerOptions.rmsprop;
      return { kind: "rmsprop", rho: num(statement, "rho", o.rho!), eps: num(statement, "eps", o.eps!) };
    }
    case "adam": {
      const o = optimizerOptions.adam;
      return { kind: "adam", beta1: num(statement, "beta1", o.beta1!), beta2: num(statement, "beta2", o.beta2!), eps: num(statement, "eps", o.eps!) };
    }
    default:
      return { kind: "sgd" };
  }
}

function lowerSchedule(statement: StatementNode | undefined, epochs: number): Schedule {
  const table = kindOptions.schedule!;
  switch (statement?.kind?.text) {
    case "step": {
      const o = table.step!;
      return { kind: "step", factor: num(statement, "factor", o.factor!), every: num(statement, "every", o.every!), min: num(statement, "min", o.min!) };
    }
    case "exponential": {
      const o = table.exponential!;
      return { kind: "exponential", gamma: num(statement, "gamma", o.gamma!), min: num(statement, "min", o.min!) };
    }
    case "cosine": {
      const o = table.cosine!;
      const period = settingValue(statement, "period", o.period!);
      return {
        kind: "cosine",
        min: num(statement, "min", o.min!),
        period: typeof period === "number" ? period : epochs,
        periodIsEpochs: typeof period !== "number",
      };
    }
    default:
      return { kind: "constant" };
  }
}

function lowerStops(statements: StatementNode[]): StopCriterion[] {
  const stops: StopCriterion[] = [];
  for (const s of statementsOf(statements, "stop")) {
    const threshold = s.numbers[0]?.value;
    switch (s.kind?.text) {
      case "loss":
        if (threshold !== undefined) stops.push({ kind: "loss_below", value: threshold, range: s.range });
        break;
      case "accuracy":
        if (threshold !== undefined) stops.push({ kind: "accuracy_above", value: threshold, range: s.range });
        break;
      case "early": {
        const o = kindOptions.stop!.early!;
        const monitor = str(s, "monitor", o.monitor!) === "val_accuracy" ? "val_accuracy" : "val_loss";
        stops.push({ kind: "early", monitor, patience: num(s, "patience", o.patience!), minDelta: num(s, "min_delta", o.min_delta!), range: s.range });
        break;
      }
    }
  }
  return stops;
}

function lowerInit(statement: StatementNode | undefined) {
  const table = kindOptions.init!;
  const kind = statement?.kind?.text ?? "xavier";
  // Own keys only: `init constructor` must not find Object.prototype.constructor (found by the hardening fuzz).
  const options = Object.hasOwn(table, kind) ? table[kind]! : table.xavier!;
  let scheme: InitScheme;
  switch (kind) {
    case "normal":
      scheme = { kind: "normal", std: num(statement, "std", options.std!) };
      break;
    case "uniform":
      scheme = { kind: "uniform", limit: num(statement, "limit", options.limit!) };
      break;
    case "he":
    case "lecun":
    case "zeros":
      scheme = { kind };
      break;
    default:
      scheme = { kind: "xavier" };
  }
  const numpy = options.rng !== undefined && settingValue(statement, "rng", options.rng) === "numpy";
  return { scheme, seed: num(statement, "seed", options.seed!), ...(numpy ? { rng: "numpy" as const } : {}), range: rangeOf(statement) };
}

/** A `data` or `test` statement as a source (null for an unknown kind). */
function lowerSource(s: StatementNode, rows: InlineRow[]): DataSource | null {
  const kind = s.kind?.text ?? "";
  const options = kindOptions.data![kind];
  if (!options) return null;
  const path = s.path?.value ?? "";
  switch (kind) {
    case "planar":
    case "square":
    case "xor":
    case "circles":
    case "spiral":
    case "gauss": {
      const values: Record<string, number> = {};
      for (const [name, spec] of Object.entries(options)) if (name !== "rng") values[name] = num(s, name, spec);
      const numpy = options.rng !== undefined && settingValue(s, "rng", options.rng) === "numpy";
      return { kind: "builtin", name: kind, options: values, ...(numpy ? { rng: "numpy" as const } : {}), range: s.range };
    }
    case "npy":
      return { kind: "npy", features: path, labels: str(s, "labels", options.labels!), range: s.range };
    case "idx":
      return { kind: "idx", images: path, labels: str(s, "labels", options.labels!), range: s.range };
    case "csv": {
      const label = settingValue(s, "label", options.label!);
      return { kind: "csv", path, label: typeof label === "number" ? label : String(label ?? ""), header: flag(s, "header", options.header!), range: s.range };
    }
    default:
      return { kind: "inline", rows, range: s.range };
  }
}

const normalizations: Record<string, Normalization> = { "zero-mean": "zero_mean", "min-max": "min_max", "z-score": "z_score", none: "none" };

/** `classes male, female` → ["male", "female"] (names as written, strings unquoted); null without the statement. */
function lowerClasses(statements: StatementNode[]): string[] | null {
  const statement = statementsOf(statements, "classes")[0];
  return statement === undefined ? null : statement.names.map((n) => n.value);
}

/** A row's targets: the numbers written, or for a class name (`-> female`) its index in `classes` (one class
 * index: the one output's 0/1 for a single sigmoid output, which has two classes); no targets for a name that
 * is no class (NN073 reports it). */
function rowTargets(s: StatementNode, classes: readonly string[] | null): number[] {
  const name = s.names[0];
  if (name === undefined) return s.targets.map((n) => n.value);
  const index = classes === null ? -1 : classes.indexOf(name.value);
  return index < 0 ? [] : [index];
}

function lowerData(statements: StatementNode[], classes: readonly string[] | null): Data | null {
  const rowStatements = statementsOf(statements, "row");
  const rows: InlineRow[] = rowStatements.map((s) => ({ inputs: s.inputs.map((n) => n.value), targets: rowTargets(s, classes), range: s.range }));
  const dataStatement = statementsOf(statements, "data")[0];
  const train = dataStatement ? lowerSource(dataStatement, rows) : rows.length > 0 ? { kind: "inline" as const, rows, range: rowStatements[0]!.range } : null;
  if (!train) return null;
  const testStatement = statementsOf(statements, "test")[0];
  const test = testStatement && testStatement.kind?.text !== "inline" ? lowerSource(testStatement, []) : null;
  const split = statementsOf(statements, "split")[0];
  const normalize = statementsOf(statements, "normalize")[0]?.kind?.text ?? "none";
  const fraction = split?.numbers[0]?.value;
  return {
    train,
    test,
    split: fraction !== undefined && Number.isFinite(fraction) ? fraction : 0,
    splitSeed: num(split, "seed", splitOptions.seed!),
    normalize: normalizations[normalize] ?? "none",
    scale: num(dataStatement, "scale", dataOnlyOptions.scale!),
    range: dataStatement?.range ?? train.range,
  };
}

/**
 * The shape coming into the first layer: `input`'s when it is written; else, for a net that starts with an fc
 * layer, that layer's inputs (a spec may leave `input` out); [NaN] when neither is known.
 */
function firstLayerShape(statements: StatementNode[], declared: number[], variables: Record<string, number>): number[] {
  if (declared.every(Number.isFinite)) return declared;
  const first = statementsOf(statements, "layer")[0];
  return first?.to ? [resolveSize(first.from, variables)] : declared;
}

/** The spec's inputShape: `input`'s image shape, else the flat width (the first layer's inputs, or `input`'s). */
function inputShapeOf(declared: number[], firstInputs: number | undefined): number[] {
  if (declared.length > 1) return declared;
  return [firstInputs ?? (Number.isFinite(declared[0]) ? declared[0]! : 0)];
}

export function lower(input: LowerInput): Lowered {
  const { statements, fileName, sourceHash, overrides } = input;
  const variables = variableValues(statements, overrides);
  const inputStatement = statementsOf(statements, "input")[0];
  const declaredInput = resolveShape(inputStatement?.size ?? null, variables);
  const { layers, layerStatements } = lowerLayers(statements, variables, firstLayerShape(statements, declaredInput, variables));
  // The first and last layers that declare their widths (dense layers), by search: not a filtered copy of 55,000 layers.
  const first = firstDeclaring(layers);
  const last = lastDeclaring(layers);

  const optimizerStatement = statementsOf(statements, ...optimizerKeywords)[0];
  const optimizerKeyword: OptimizerKeyword =
    optimizerStatement && isOptimizerKeyword(optimizerStatement.keyword.text) ? optimizerStatement.keyword.text : "sgd";
  const epochs = num(optimizerStatement, "epochs", trainingOptions.epochs!);
  const sweeps: Sweep[] = statementsOf(statements, "sweep").map((s) => ({
    variable: s.variable?.text ?? "",
    values: s.numbers.map((n) => n.value),
    range: s.range,
  }));
  const classes = lowerClasses(statements);

  const spec: Spec = {
    name: statementsOf(statements, "model")[0]?.kind?.text ?? defaultModelName(fileName),
    fileName,
    sourceHash,
    inputs: first?.inputs ?? (declaredInput.every(Number.isFinite) ? sizeOf(declaredInput) : 0),
    inputShape: inputShapeOf(declaredInput, first?.inputs),
    outputs: last?.outputs ?? 0,
    classes,
    layers,
    loss: lowerLoss(statementsOf(statements, "loss")[0], last?.activation ?? undefined),
    init: lowerInit(statementsOf(statements, "init")[0]),
    training: {
      optimizer: lowerOptimizer(optimizerStatement),
      learningRate: num(optimizerStatement, "lr", { ...trainingOptions.lr!, default: defaultLearningRate[optimizerKeyword] }),
      epochs,
      batchSize: num(optimizerStatement, "batch", trainingOptions.batch!),
      shuffle: flag(optimizerStatement, "shuffle", trainingOptions.shuffle!),
      weightDecay: num(optimizerStatement, "l2", trainingOptions.l2!),
      schedule: lowerSchedule(statementsOf(statements, "schedule")[0], epochs),
      stop: lowerStops(statements),
      seed: num(optimizerStatement, "seed", trainingOptions.seed!),
      range: rangeOf(optimizerStatement),
    },
    data: lowerData(statements, classes),
    precision: statementsOf(statements, "precision")[0]?.kind?.text === "f32" ? "f32" : "f64",
    variables,
    sweeps,
  };
  return { spec, layerStatements };
}
