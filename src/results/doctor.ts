// The doctor's row: each failure spec trained as `nnc train` would, with the doctor's verdict shown as printed.
import { formatFindings } from "../doctor/index.js";
import { specPath, trainQuietly } from "./train.js";
import type { Check, RowContext, RowResult } from "./types.js";

export const DOCTOR_CASES = [
  { spec: "gender-raw.nn", expected: "saturated", failure: "loss stuck: saturated sigmoid units (raw kg/cm inputs)" },
  { spec: "square-diverge.nn", expected: "non_finite", failure: "loss becomes NaN/Infinity (linear output, lr 0.3)" },
  { spec: "planar-oscillate.nn", expected: "unstable", failure: "loss oscillates (lr 30)" },
  { spec: "gender-diverge.nn", expected: null, failure: "gender with lr 100 (meant as a divergence case)" },
] as const;

export async function doctorRow(ctx: RowContext): Promise<RowResult> {
  const started = performance.now();
  const checks: Check[] = [];
  const blocks: string[] = [];
  for (const c of DOCTOR_CASES) {
    ctx.log(`  ${c.spec}`);
    const { run } = await trainQuietly(specPath(ctx.root, c.spec));
    const kinds = run.findings.map((f) => f.kind);
    checks.push({
      what: `${c.spec}: ${c.failure}`,
      target: c.expected === null ? "reported as measured (no target)" : `diagnosed as ${c.expected}`,
      measured: kinds.length ? kinds.join(", ") : "no problems found",
      pass: c.expected === null ? true : kinds.includes(c.expected),
    });
    blocks.push(
      `\`nnc train specs/${c.spec}\` (stopped after ${run.report.epochs} epochs, ${run.report.stoppedBy}):\n\n\`\`\`\n${formatFindings(run.findings).trimEnd()}\n\`\`\``,
    );
  }
  const body = [
    "gender-diverge.nn does not diverge as its comment expects: with zero-mean inputs the four people are separable and even lr 100 reaches loss < 0.1 within a couple of epochs, so the doctor rightly finds nothing. square-diverge.nn (NaN) and planar-oscillate.nn (oscillation) reproduce the two learning-rate failures instead. See docs/doctor.md for thresholds.",
    "",
    ...blocks.flatMap((b) => [b, ""]),
  ].join("\n");
  return {
    id: "doctor",
    title: "The doctor on the failure specs",
    specs: DOCTOR_CASES.map((c) => `specs/${c.spec}`),
    checks,
    body,
    seconds: (performance.now() - started) / 1000,
    measuredAt: new Date().toISOString(),
  };
}
