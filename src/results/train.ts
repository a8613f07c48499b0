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
