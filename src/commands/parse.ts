// `nnc parse FILE [--json]`: checks a spec and prints its IR. On errors: the diagnostics on stderr (the first
// hundred, then a count), exit 1. Warnings go to stderr in every case. --json prints the whole IR (with
// source ranges) as pretty JSON with keys sorted, so the output is byte-stable across runs and versions of
// the lowering code; on errors it prints `{ "diagnostics": [...] }` instead, every one, and still exits 1.
// `--reporter junit|github|markdown` (src/reporters/, docs/ci.md) takes several files and reports every
// diagnostic of each in that format (exit 1 if any has an error); `--reporter json` is --json.
import type { Command } from "commander";
import { UserError } from "../errors.js";
import { formatDiagnostics, parseSpec, readSpecFile } from "../front/index.js";
import { useColor } from "./color.js";
import {
  PARSE_REPORTERS,
  collect,
  filePassed,
  githubParse,
  junitParse,
  markdownParse,
  reporterTargets,
  writeReports,
  type FileResult,
} from "../reporters/index.js";
import { examples } from "./help.js";
import { oneLineSummary, summaryText } from "../summary.js";

/** JSON with object keys sorted at every level, 2-space indented, ending with a newline. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(value), null, 2) + "\n";
}

/** The one-line summary `nnc parse` prints (src/summary.ts). */
export const summarize = oneLineSummary;

/** A CI report (junit, github, markdown) of `nnc parse` over several files. */
export function renderParse(name: string, results: readonly FileResult[]): string {
  if (name === "junit") return junitParse(results);
  if (name === "github") return githubParse(results);
  return markdownParse(results);
}

interface ParseFlags {
  json?: boolean;
  summary?: boolean;
  reporter?: string[];
  reporterOutput?: string;
}

export function register(program: Command): void {
  program
    .command("parse")
    .description("check .nn specs and print the IR (or the errors, exit 1)")
    .addHelpText(
      "after",
      examples([
        "nnc parse specs/gender.nn",
        "nnc parse --summary specs/letters-cnn.nn",
        "nnc parse --json specs/letters.nn > letters.ir.json",
        "nnc parse --reporter github specs/*.nn",
      ]),
    )
    .argument("<files...>", "the .nn spec (several with --reporter junit, github or markdown)")
    .option("--json", "print the whole IR as JSON (keys sorted, with source ranges); on errors, every diagnostic as JSON (= --reporter json)")
    .option("--summary", "print the model summary table: each layer's output shape, parameters and activation; totals; the module's memory")
    .option("--reporter <name>", `output format: ${PARSE_REPORTERS.join(", ")} (default text); NAME=FILE writes it to a file; repeatable`, collect)
    .option("--reporter-output <file>", "write the report to FILE (atomically) instead of stdout")
    .action((files: string[], flags: ParseFlags) => {
      const targets = reporterTargets(flags, PARSE_REPORTERS, "text");
      const ci = targets.filter((t) => t.name !== "text" && t.name !== "json");
      if (ci.length > 0) {
        if (ci.length !== targets.length) throw new UserError("nnc parse: --reporter text or json cannot be combined with junit, github or markdown");
        const results: FileResult[] = files.map((file) => {
          const { source, fileName } = readSpecFile(file);
          return { file, ...parseSpec(source, fileName), check: null };
        });
        writeReports(targets, (name) => renderParse(name, results));
        process.exitCode = results.every(filePassed) ? 0 : 1;
        return;
      }
      if (files.length !== 1) throw new UserError(`nnc parse takes one file (got ${files.length}); --reporter junit, github or markdown take several`);
      const file = files[0]!;
      const json = targets[0]!.name === "json";
      if (flags.summary && (json || targets[0]!.file !== null))
        throw new UserError("nnc parse: --summary prints a table; it cannot be combined with --json or --reporter");
      const { source, fileName } = readSpecFile(file);
      const { spec, diagnostics } = parseSpec(source, fileName);
      const color = useColor(process.stderr);
      if (spec === null) {
        const errors = diagnostics.filter((d) => d.severity === "error").length;
        if (json) {
          writeReports(targets, () => stableJson({ diagnostics }));
          const where = targets[0]!.file === null ? "on stdout" : `in ${targets[0]!.file}`;
          throw new UserError(`${errors} error${errors === 1 ? "" : "s"} in ${fileName} (listed as JSON ${where})`);
        }
        throw new UserError(`${errors} error${errors === 1 ? "" : "s"} in ${fileName}\n${formatDiagnostics(diagnostics, source, { color }).trimEnd()}`);
      }
      if (diagnostics.length > 0) process.stderr.write(formatDiagnostics(diagnostics, source, { color }));
      if (flags.summary) {
        process.stdout.write(summaryText(spec));
        return;
      }
      writeReports(targets, () => (json ? stableJson(spec) : summarize(spec)));
    });
}
