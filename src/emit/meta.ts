// The module's `meta` constant: what it was built from and how its parameters are laid out.
import type { VariableStatementStructure } from "ts-morph";
import { constStructure, type EmitContext } from "./code.js";
import { networkHash } from "../network-identity.js";
import { preprocessingOfContext } from "./preprocess.js";

export function describeOptimizer(ctx: EmitContext): string {
  const o = ctx.spec.training.optimizer;
  const t = ctx.spec.training;
  const extra = Object.entries(o)
    .filter(([k]) => k !== "kind")
    .map(([k, v]) => `${k}=${String(v)}`);
  return [
    o.kind,
    `lr=${t.learningRate}`,
    ...extra,
    ...(t.weightDecay !== 0 ? [`l2=${t.weightDecay}`] : []),
    ...(t.schedule.kind !== "constant" ? [`schedule=${t.schedule.kind}`] : []),
  ].join(" ");
}

export function emitMeta(ctx: EmitContext): VariableStatementStructure {
  const { spec, plan } = ctx;
  const t = spec.training;
  const meta = {
    name: plan.name,
    specHash: plan.sourceHash,
    networkHash: networkHash(spec, plan.layout),
    inputs: plan.inputs,
    outputs: plan.outputs,
    parameters: plan.parameters,
    preprocessing: preprocessingOfContext(ctx),
    classes: spec.classes ?? null,
    precision: plan.precision,
    loss: spec.loss.kind,
    optimizer: spec.training.optimizer.kind,
    layout: plan.layout,
    activations: plan.layers.flatMap((l) => l.activation?.kind ?? []),
    training: { learningRate: t.learningRate, epochs: t.epochs, batchSize: t.batchSize, shuffle: t.shuffle, seed: t.seed },
  };
  return constStructure(
    "meta",
    JSON.stringify(meta),
    [
      "What this module was generated from and its parameter layout. `parameters` counts the trainable parameters (gradient and optimiser",
      "length); `preprocessing` says what raw inputs go through (data scale, then per-input normalisation) and where its statistics sit in",
      "the parameter vector (offset, size: the vector is parameters + size long); `networkHash` is what loadWeights checks (what the values",
      "mean, not the spec's text: specHash is provenance only).",
    ].join("\n"),
    { exported: true, type: "ModuleMeta" },
  );
}
