// The doctor: recognises three training failures (non-finite loss, saturated units, rising/oscillating
// loss) and explains them with the numbers (docs/doctor.md). `diagnose` is pure over a DoctorInput;
// `diagnoseRun` gathers that input from a finished run (history + probes of the trained parameters).
import type { Spec } from "../ir.js";
import type { TrainingReport, Vector } from "../module-api.js";
import { diagnose, type DoctorInput, type Finding } from "./diagnose.js";
import { probeNetwork } from "./probes.js";
import { lastActivation } from "../interpreter/loss.js";

export { diagnose, type DoctorInput, type DoctorHistoryRow, type Finding, type FindingKind } from "./diagnose.js";
export { probeNetwork, isSaturated, type Probes, type LayerProbe } from "./probes.js";
export { formatFindings, findingsJson } from "./format.js";

/** The doctor's input for a finished run: `xs`/`ys` are the training data as the network saw it (normalised). */
export function doctorInput(spec: Spec, report: TrainingReport, params: Vector, xs: Vector, ys: Vector, count: number): DoctorInput {
  let probes = null;
  try {
    probes = probeNetwork(spec, params, xs, ys, count);
  } catch {
    // Probes are evidence, not a requirement: a failure here must not hide the run's results.
    probes = null;
  }
  return {
    learningRate: spec.training.learningRate,
    loss: spec.loss.kind,
    outputActivation: lastActivation(spec)?.kind ?? "linear",
    normalize: spec.data?.normalize ?? "none",
    stoppedBy: report.stoppedBy,
    epochs: report.epochs,
    history: report.history.map((m) => ({ epoch: m.epoch + 1, loss: m.loss, accuracy: m.accuracy })),
    probes,
  };
}

export function diagnoseRun(spec: Spec, report: TrainingReport, params: Vector, xs: Vector, ys: Vector, count: number): Finding[] {
  return diagnose(doctorInput(spec, report, params, xs, ys, count));
}
