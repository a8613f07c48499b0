// The doctor: recognises four training failures (non-finite loss, saturated units, rising/oscillating
// loss, dead ReLU units) and explains them with the numbers (docs/doctor.md). `diagnose` is pure over a DoctorInput;
// `diagnoseRun` gathers that input from a finished run (history + probes of the trained parameters).
import type { Spec } from "../ir.js";
import type { TrainingReport, Vector } from "../module-api.js";
import { diagnose, type DoctorInput, type Finding } from "./diagnose.js";
import { probeLoss, probeNetwork, type Probes } from "./probes.js";
import { createParameters, layoutOf } from "../interpreter/parameters.js";
import { lastActivation } from "../interpreter/loss.js";
import { ruleOf } from "../layers/index.js";

export { diagnose, type DoctorInput, type DoctorHistoryRow, type Finding, type FindingKind } from "./diagnose.js";
export { probeNetwork, isSaturated, type Probes, type LayerProbe } from "./probes.js";
export { formatFindings, findingsJson } from "./format.js";

/** The doctor's input for a finished run: `xs`/`ys` are the training data as the network saw it (normalised). */
export function doctorInput(spec: Spec, report: TrainingReport, params: Vector, xs: Vector, ys: Vector, count: number): DoctorInput {
  const probe = (at: Vector): Probes | null => evidence(() => probeNetwork(spec, at, xs, ys, count));
  const probes = probe(params);
  // The spec's initial weights (the interpreter draws what the module draws) tell a unit that died in
  // training from one that started dead; probed only when relu units are dead or the run diverged.
  const someDead = (p: Probes | null): boolean => p?.layers.some((l) => l.hidden && (l.deadUnits?.length ?? 0) > 0) ?? false;
  const hasRelu = spec.layers.some((l) => "activation" in l && l.activation.kind === "relu");
  const initProbes = hasRelu && (someDead(probes) || report.stoppedBy === "non_finite") ? probe(createParameters(spec)) : null;
  // The loss before the first step (a run whose loss rose in epoch 1 shows no rise in its history): the
  // initial probe's when there is one, else the same rows' loss alone (a forward pass, no backward).
  const initialLoss = initProbes !== null ? initProbes.loss : evidence(() => probeLoss(spec, createParameters(spec), xs, ys, count));
  return {
    learningRate: spec.training.learningRate,
    loss: spec.loss.kind,
    outputActivation: lastActivation(spec)?.kind ?? "linear",
    normalize: spec.data?.normalize ?? "none",
    stoppedBy: report.stoppedBy,
    epochs: report.epochs,
    history: report.history.map((m) => ({ epoch: m.epoch + 1, loss: m.loss, accuracy: m.accuracy })),
    probes,
    init: spec.init.scheme.kind,
    initProbes,
    leakyStatements: leakyStatements(spec),
    initialLoss: Number.isFinite(initialLoss) ? initialLoss : null,
  };
}

/** What `f` measures, or null where it fails: the probes are evidence, not a requirement, and a failure in one must not hide the run's results. */
function evidence<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/** Each fc relu layer's statement as it would read with leaky_relu, by its number in the weights layout. */
function leakyStatements(spec: Spec): Record<number, string> {
  const numbers = layoutOf(spec).numbers;
  const out: Record<number, string> = {};
  spec.layers.forEach((layer, i) => {
    const rule = ruleOf(layer);
    const statement = rule.activation(layer)?.kind === "relu" ? rule.syntax?.statementWith?.(layer, "leaky_relu(0.1)") : undefined;
    if (statement !== undefined) out[numbers[i]!] = statement;
  });
  return out;
}

export function diagnoseRun(spec: Spec, report: TrainingReport, params: Vector, xs: Vector, ys: Vector, count: number): Finding[] {
  return diagnose(doctorInput(spec, report, params, xs, ys, count));
}
