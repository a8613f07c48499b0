// The results runner trains through the same orchestration as `nnc train` (trainSpec), quietly.
import { dirname, join } from "node:path";
import type { Spec } from "../ir.js";
import { loadSpec } from "../front/index.js";
import type { Streams } from "../train/progress.js";
import { trainSpec, type TrainedSpec, type TrainSpecOptions } from "../train/run.js";

export const QUIET: Streams = { stdout: { write: () => true }, stderr: { write: () => true } };

export async function trainQuietly(specPath: string, options: Partial<TrainSpecOptions> & { spec?: Spec } = {}): Promise<{ spec: Spec; run: TrainedSpec }> {
  const spec = options.spec ?? loadSpec(specPath);
  const run = await trainSpec(spec, dirname(specPath), { mode: "json", streams: QUIET, diagnose: true, ...options });
  return { spec, run };
}

export function specPath(root: string, name: string): string {
  return join(root, "specs", name);
}

/** The loss of the run's starting weights (epoch 0 of a loss curve), over the network's inputs as train() sees them. */
export function startingLoss(run: TrainedSpec): number {
  const start = run.module.createParameters();
  return run.module.lossAndGradient(start, run.train.features, run.train.targets, run.train.count, new Float64Array(start.length));
}

/** One run's losses from epoch 0 (its starting weights) on; a run that blew up ends with a non-finite point. */
export function lossesFromStart(run: TrainedSpec, initialLoss: number): { epoch: number; loss: number }[] {
  const points = [{ epoch: 0, loss: initialLoss }, ...run.report.history.map((h) => ({ epoch: h.epoch + 1, loss: h.loss }))];
  if (run.report.stoppedBy === "non_finite") points.push({ epoch: run.report.epochs + 1, loss: Infinity });
  return points;
}
