// `nnc check FILE… [--samples N] [--eps E] [--tolerance T] [--atol A] [--cap N] [--seed S] [--params random|init]
// [--reporter table|json|junit|github|markdown[=FILE]]… [--reporter-output FILE] [--json]`: builds each spec's
// module, loads it in-process and compares its analytic gradients with central finite differences of its own
// loss (src/check/, docs/gradient-check.md). Prints a table per spec and a summary (or one JSON document with
// --json / --reporter json; the CI reporters of src/reporters/, docs/ci.md). Exit 0 only when every tensor of
// every spec passes, 1 otherwise. With only table/json, a spec with errors stops the command (as always); with
// a CI reporter it is reported as a failure and the other specs are still checked.
import type { Command } from "commander";
import { UserError } from "../errors.js";
import type { Precision, Spec } from "../ir.js";
import { buildAndLoad } from "../harness/load.js";
import { loadSpec, parseSpec, readSpecFile } from "../front/index.js";
import {
  DEFAULT_CHECK_OPTIONS,
  checkCheckBounds,
  checkSpec,
  checkSpecs,
  formatCheckReport,
  formatSpecReport,
  formatSummary,
  type CheckOptions,
  type CheckReport,
  type ModuleBuilder,
} from "../check/index.js";
import {
  CHECK_REPORTERS,
  CI_REPORTERS,
  collect,
  diagnosticLine,
  errorsOf,
  filePassed,
  githubCheck,
  junitCheck,
  markdownCheck,
  reporterTargets,
  writeReports,
  type FileResult,
} from "../reporters/index.js";
import { integerFlag, MAX_SEED } from "../train/run.js";
import { examples } from "./help.js";

/** The real builder: generate the module's TypeScript at the given precision (unformatted: formatting changes no behaviour) and import it. */
export const buildGeneratedModule: ModuleBuilder = (spec: Spec, precision: Precision) => buildAndLoad(spec, { precision });

/** A positive finite number flag, or a UserError naming the flag and value. */
function positiveFlag(name: string, value: string, allowZero = false): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
    throw new UserError(`${name} must be a ${allowZero ? "non-negative" : "positive"} number, got ${JSON.stringify(value)}`);
  }
  return n;
}

interface CheckFlags {
  samples?: string;
  eps?: string;
  tolerance?: string;
  atol?: string;
  cap?: string;
  seed?: string;
  params?: string;
  json?: boolean;
  reporter?: string[];
  reporterOutput?: string;
}

/** Parses and checks each file; a spec with errors becomes a result with its diagnostics (no check). */
export async function checkFiles(files: readonly string[], build: ModuleBuilder, options: Partial<CheckOptions> = {}): Promise<FileResult[]> {
  // Every file is read and parsed first: a missing file stops the command before any (long) check.
  const parsed = files.map((file) => {
    const { source, fileName } = readSpecFile(file);
    return { file, ...parseSpec(source, fileName) };
  });
  // So are the bounds of each check (a batch past the data limit, hours of finite differences).
  for (const { spec } of parsed) if (spec) checkCheckBounds(spec, options);
  const results: FileResult[] = [];
  for (const { file, spec, diagnostics } of parsed) results.push({ file, diagnostics, spec, check: spec ? await checkSpec(spec, build, options) : null });
  return results;
}

/** One report in the named format (table and json: today's outputs, over the specs that were checked). */
export function renderCheck(name: string, results: readonly FileResult[]): string {
  const checked = results.filter((r) => r.check !== null).map((r) => r.check!);
  const report: CheckReport = { tool: "nnc check", passed: results.every(filePassed), specs: checked };
  if (name === "json") return JSON.stringify(report, null, 2) + "\n";
  if (name === "junit") return junitCheck(results);
  if (name === "github") return githubCheck(results);
  if (name === "markdown") return markdownCheck(results);
  const broken = results.filter((r) => r.spec === null);
  if (broken.length === 0) return formatCheckReport(report);
  const diagnostics = broken.map((r) => [`${r.file}: not checked, it has errors:`, ...errorsOf(r).map((d) => `  ${diagnosticLine(d)}`)].join("\n"));
  const summary = checked.length > 0 ? formatSummary(report) : "nnc check: no spec checked";
  const notChecked = `${broken.length} spec${broken.length === 1 ? "" : "s"} not checked (errors): ${broken.map((r) => r.file).join(", ")}`;
  return [...checked.map(formatSpecReport), ...diagnostics, `${summary}; ${notChecked}`].join("\n\n") + "\n";
}

export function checkOptionsFromFlags(flags: CheckFlags): Partial<CheckOptions> {
  const options: Partial<CheckOptions> = {};
  if (flags.samples !== undefined) options.samples = integerFlag("--samples", flags.samples, 1);
  if (flags.eps !== undefined) options.eps = positiveFlag("--eps", flags.eps);
  if (flags.tolerance !== undefined) options.tolerance = positiveFlag("--tolerance", flags.tolerance);
  if (flags.atol !== undefined) options.atol = positiveFlag("--atol", flags.atol, true);
  if (flags.cap !== undefined) options.cap = integerFlag("--cap", flags.cap, 1);
  if (flags.seed !== undefined) options.seed = integerFlag("--seed", flags.seed, 0, MAX_SEED);
  if (flags.params !== undefined) {
    if (flags.params !== "random" && flags.params !== "init") throw new UserError(`--params must be random or init, got ${JSON.stringify(flags.params)}`);
    options.parameters = flags.params;
  }
  return options;
}

export function register(program: Command): void {
  const d = DEFAULT_CHECK_OPTIONS;
  program
    .command("check")
    .description("check each spec's generated gradients against finite differences (exit 1 if any tensor fails)")
    .addHelpText(
      "after",
      examples([
        "nnc check specs/gender.nn",
        "nnc check specs/*.nn --samples 20 --seed 2",
        "nnc check specs/planar.nn --json",
        "nnc check specs/*.nn --reporter github --reporter junit=nnc-check.xml --reporter markdown=summary.md",
      ]),
    )
    .argument("<files...>", "the .nn specs")
    .option("--samples <n>", `samples in the random batch (default ${d.samples})`)
    .option("--eps <e>", `central-difference step (default ${d.eps})`)
    .option("--tolerance <t>", `relative error above which an entry fails (default ${d.tolerance})`)
    .option("--atol <a>", `… if its absolute error also exceeds atol × max(1, |loss|) (default ${d.atol})`)
    .option("--cap <n>", `entries checked per tensor; larger tensors are sampled (default 1000, fewer for large models: see docs)`)
    .option("--seed <s>", `seed of parameters, batch, targets, dropout masks and samples (default ${d.seed})`)
    .option("--params <source>", "random (LeCun-normal weights, small random biases) or init (the spec's initialiser)", "random")
    .option("--reporter <name>", `output format: ${CHECK_REPORTERS.join(", ")} (default table); NAME=FILE writes it to a file; repeatable`, collect)
    .option("--reporter-output <file>", "write the report to FILE (atomically) instead of stdout")
    .option("--json", "print one JSON document instead of tables (= --reporter json)")
    .action(async (files: string[], flags: CheckFlags) => {
      const targets = reporterTargets(flags, CHECK_REPORTERS, "table");
      const options = checkOptionsFromFlags(flags);
      if (!targets.some((t) => (CI_REPORTERS as readonly string[]).includes(t.name))) {
        const specs = files.map((file) => loadSpec(file));
        const report = await checkSpecs(specs, buildGeneratedModule, options);
        writeReports(targets, (name) => (name === "json" ? JSON.stringify(report, null, 2) + "\n" : formatCheckReport(report)));
        process.exitCode = report.passed ? 0 : 1;
        return;
      }
      const results = await checkFiles(files, buildGeneratedModule, options);
      writeReports(targets, (name) => renderCheck(name, results));
      process.exitCode = results.every(filePassed) ? 0 : 1;
    });
}
