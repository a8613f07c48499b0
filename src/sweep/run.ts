// `nnc sweep`: one training run per value of a `let` variable (the spec's `sweep` statement, or --var),
// each variant a real generated module (parseSpec with the variable bound), trained by the same
// orchestration as `nnc train` (trainSpec). Writes a table (sweep.md, sweep.csv, sweep.json) and, for 2-D
// classification data, one decision-boundary plot per variant, into the sweep folder. The table and the plots
// switch in as one unit (src/train/run-unit.ts): a kill leaves the previous sweep's files or this one's.
import { basename, dirname, join } from "node:path";
import { lockRunFolder } from "../train/run-lock.js";
import { writeRunUnit } from "../train/run-unit.js";
import { UserError } from "../errors.js";
import type { Spec } from "../ir.js";
import { formatDiagnostics, loadSpec, parseSpec, readSpecFile } from "../front/index.js";
import { boundarySvg } from "../train/plots.js";
import { jsonText, nonFiniteAsString } from "../json-text.js";
import type { Streams } from "../train/progress.js";
import { trainSpec, type TrainedSpec } from "../train/run.js";
import { sweepCsv, sweepMarkdown, type SweepRow } from "./table.js";

export interface SweepVariable {
  name: string;
  values: number[];
}

export interface SweepOptions {
  specPath: string;
  /** --var NAME=v1,v2,…: replaces the spec's sweep statement. */
  variable?: SweepVariable;
  /** Sweep folder; default runs/<model>-sweep/. */
  out?: string;
  json: boolean;
  streams: Streams;
  /** Overrides the spec's epoch count for every variant (tests). */
  epochs?: number;
  /** Called with each variant's full run (the results runner keeps the modules and parameters). */
  onVariant?: (row: SweepRow, run: TrainedSpec, spec: Spec) => void | Promise<void>;
}

export interface SweepResult {
  outDir: string;
  rows: SweepRow[];
  files: string[];
}

/** Parses --var "H=1,2,3" (values: finite numbers, separated by commas). */
export function parseVarFlag(text: string): SweepVariable {
  const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+)$/.exec(text);
  if (!match) throw new UserError(`--var ${JSON.stringify(text)}: expected NAME=v1,v2,… (e.g. H=1,2,3)`);
  const values = match[2]!.split(",").map((part) => {
    const v = Number(part.trim());
    if (part.trim() === "" || !Number.isFinite(v)) throw new UserError(`--var ${JSON.stringify(text)}: ${JSON.stringify(part.trim())} is not a finite number`);
    return v;
  });
  return { name: match[1]!, values };
}

/** The variable to sweep: --var wins; otherwise the spec's single `sweep` statement. */
export function sweepVariable(spec: Spec, flag: SweepVariable | undefined): SweepVariable {
  const chosen = flag ?? (spec.sweeps.length === 1 ? { name: spec.sweeps[0]!.variable, values: spec.sweeps[0]!.values } : null);
  if (chosen === null) {
    throw new UserError(
      spec.sweeps.length === 0
        ? `${spec.fileName} has no \`sweep\` statement: add one (e.g. \`sweep H = 1, 2, 3\`) or pass --var NAME=v1,v2,…`
        : `${spec.fileName} has ${spec.sweeps.length} \`sweep\` statements: pick one with --var NAME=v1,v2,…`,
    );
  }
  if (!(chosen.name in spec.variables)) {
    const known = Object.keys(spec.variables);
    throw new UserError(
      `${spec.fileName}: no \`let ${chosen.name}\` to sweep${known.length ? ` (variables: ${known.join(", ")})` : " (the spec has no `let` variables)"}`,
    );
  }
  if (chosen.values.length === 0) throw new UserError(`${spec.fileName}: nothing to sweep: ${chosen.name} has no values`);
  return chosen;
}

/** The spec with `name` bound to `value`; a value the spec cannot take (e.g. a size of 0) is a UserError with the diagnostics. */
export function variantSpec(source: string, fileName: string, name: string, value: number): Spec {
  const { spec, diagnostics } = parseSpec(source, fileName, { variables: { [name]: value } });
  if (spec === null) {
    throw new UserError(
      `${fileName} with ${name} = ${value}:\n${formatDiagnostics(
        diagnostics.filter((d) => d.severity === "error"),
        source,
      ).trimEnd()}`,
    );
  }
  return spec;
}

const quiet: Streams = { stdout: { write: () => true }, stderr: { write: () => true } };

export async function runSweep(options: SweepOptions): Promise<SweepResult> {
  const base = loadSpec(options.specPath);
  const variable = sweepVariable(base, options.variable);
  const { source, fileName } = readSpecFile(options.specPath);
  // Every variant is checked before any training starts, so a bad value costs nothing.
  const specs = variable.values.map((value) => variantSpec(source, fileName, variable.name, value));
  const outDir = options.out ?? join("runs", `${base.name}-sweep`);
  // …and so is the output folder (a sweep trains every variant before it writes), which no other nnc train
  // or sweep may be writing (run-lock.ts).
  const release = lockRunFolder(outDir);
  try {
    return await sweepInto(outDir, options, base.name, variable, specs, fileName);
  } finally {
    release();
  }
}

/** Trains every variant, then writes the sweep's table and plots into `outDir` (whose lock the caller holds) as one unit. */
async function sweepInto(outDir: string, options: SweepOptions, model: string, variable: SweepVariable, specs: Spec[], fileName: string): Promise<SweepResult> {
  const { stdout } = options.streams;
  if (!options.json) stdout.write(`sweeping ${basename(fileName)}: ${variable.name} = ${variable.values.join(", ")}\n`);

  const rows: SweepRow[] = [];
  const plots: [string, string][] = [];
  for (const [i, spec] of specs.entries()) {
    const value = variable.values[i]!;
    const run = await trainSpec(spec, dirname(options.specPath), { epochs: options.epochs, mode: "json", streams: quiet, diagnose: true });
    let boundary: string | null = null;
    if (run.train.inputs === 2 && run.train.labels) {
      boundary = `boundary-${variable.name}=${value}.svg`;
      plots.push([
        boundary,
        await boundarySvg(run.module, run.params, run.stats, run.rawTrainFeatures, run.train.labels, `${spec.name}, ${variable.name} = ${value}`),
      ]);
    }
    const row: SweepRow = {
      variable: variable.name,
      value,
      loss: run.trainEval.loss,
      accuracy: run.trainEval.accuracy,
      testLoss: run.testEval?.loss ?? null,
      testAccuracy: run.testEval?.accuracy ?? null,
      epochs: run.report.epochs,
      stoppedBy: run.report.stoppedBy,
      seconds: run.seconds,
      boundary,
      doctor: run.findings.map((f) => f.kind),
    };
    rows.push(row);
    await options.onVariant?.(row, run, spec);
    if (options.json) stdout.write(JSON.stringify({ type: "variant", ...row }, nonFiniteAsString) + "\n");
    else {
      const acc = row.accuracy === null ? "" : ` acc ${(row.accuracy * 100).toFixed(2)}%`;
      const test = row.testAccuracy === null ? "" : ` | test acc ${(row.testAccuracy * 100).toFixed(2)}%`;
      stdout.write(
        `${variable.name} = ${value}: loss ${Number(row.loss.toPrecision(4))}${acc}${test} after ${row.epochs} epochs (${row.stoppedBy}) in ${row.seconds.toFixed(2)} s\n`,
      );
    }
  }

  const table = sweepMarkdown(rows);
  const written: [string, string][] = [
    ["sweep.md", `# ${model}: sweep of ${variable.name}\n\n${table}`],
    ["sweep.csv", sweepCsv(rows)],
    ["sweep.json", jsonText({ spec: basename(fileName), variable: variable.name, values: variable.values, rows })],
    ...plots,
  ];
  const files = writeRunUnit(outDir, written);
  if (options.json) stdout.write(JSON.stringify({ type: "done", outDir, files }) + "\n");
  else stdout.write(`\n${table}\nwrote ${files.join(", ")}\n`);
  return { outDir, rows, files };
}
