// The layer-rule table: one rule per layer kind (src/layers/<kind>/), as ACTIVATIONS is for activations.
// Every stage that handles layers looks the layer's rule up here; none branches on a kind. `LAYER_RULES`
// is typed by the IR's Layer union, so a kind without a rule does not compile. Kinds defined outside src/
// (the tests' own layer kinds) join the table with registerLayerRule.
import type { Layer } from "../ir.js";
import { DENSE_RULE, type PlannedDense } from "./dense/index.js";
import { DROPOUT_RULE, type PlannedDropout } from "./dropout/index.js";
import { CONV_RULE, type PlannedConv } from "./conv/index.js";
import { AVGPOOL_RULE, MAXPOOL_RULE, type PlannedAvgPool, type PlannedMaxPool } from "./pool/index.js";
import { FLATTEN_RULE, type PlannedFlatten } from "./flatten/index.js";
import type { LayerRule, PlannedLayerBase } from "./rule.js";

export type { PlannedDense } from "./dense/index.js";
export type { PlannedDropout } from "./dropout/index.js";
export type { PlannedConv } from "./conv/index.js";
export type { PlannedAvgPool, PlannedMaxPool, PlannedPool } from "./pool/index.js";
export type { PlannedFlatten } from "./flatten/index.js";

/** A layer as planned: the kind's own planned form (src/layers/<kind>/plan.ts). */
export type PlannedLayer = PlannedDense | PlannedDropout | PlannedConv | PlannedMaxPool | PlannedAvgPool | PlannedFlatten;

type RuleTable = { [K in Layer["kind"]]: LayerRule<Extract<Layer, { kind: K }>, Extract<PlannedLayer, { kind: K }>> };

export const LAYER_RULES: RuleTable = {
  dense: DENSE_RULE,
  dropout: DROPOUT_RULE,
  conv: CONV_RULE,
  maxpool: MAXPOOL_RULE,
  avgpool: AVGPOOL_RULE,
  flatten: FLATTEN_RULE,
};

/** A rule of any kind (the table's entries are each typed by their own kind). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry is checked against its own kind above
export type AnyLayerRule = LayerRule<any, any>;

const rules = new Map<string, AnyLayerRule>(Object.entries(LAYER_RULES));

/** The rule of `layer WORD …` (fc → dense, dropout → dropout), or undefined for a word no rule has. */
export function ruleOfWord(word: string): AnyLayerRule | undefined {
  for (const rule of rules.values()) if (rule.syntax?.word === word) return rule;
  return undefined;
}

/** The spec's layer kinds as written (`layer WORD`) with their options: the front end's schema (src/front/schema.ts kindOptions.layer). */
export function layerWords(): Record<string, NonNullable<AnyLayerRule["syntax"]>["options"]> {
  return Object.fromEntries([...rules.values()].flatMap((rule) => (rule.syntax === undefined ? [] : [[rule.syntax.word, rule.syntax.options]])));
}

/**
 * Adds a layer kind the IR does not name (the tests' per-unit scale layer): from then on every stage
 * handles a layer of that kind through this rule. Refuses a kind that already has one.
 */
export function registerLayerRule(rule: AnyLayerRule): void {
  if (rules.has(rule.kind)) throw new Error(`layer rule ${rule.kind} is already registered`);
  rules.set(rule.kind, rule);
}

/** The rule of a layer or a planned layer (by its kind); throws for a kind without one (never silently skipped). */
export function ruleOf(layer: { kind: string }): LayerRule<Layer, PlannedLayerBase> {
  const rule = rules.get(layer.kind);
  if (rule === undefined) throw new Error(`no layer rule for kind ${JSON.stringify(layer.kind)}`);
  return rule as LayerRule<Layer, PlannedLayerBase>;
}
