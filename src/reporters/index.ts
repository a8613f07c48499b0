// The reporters of `nnc check` and `nnc parse` (docs/ci.md): `--reporter NAME` picks one, `--reporter
// NAME=FILE` writes one to a file (atomically, src/atomic-write.ts), `--reporter-output FILE` sends the one
// reporter without a file there; the flag can be repeated (several reports from one run), at most one
// report goes to stdout. `--json` is `--reporter json`.
import { UserError } from "../errors.js";
import { writeFileAtomic } from "../atomic-write.js";

export { junitCheck, junitParse } from "./junit.js";
export { githubCheck, githubParse } from "./annotations.js";
export { markdownCheck, markdownParse } from "./markdown.js";
export { escapeData, escapeProperty, formatAnnotation, type Annotation } from "./github.js";
export { xmlAttr, xmlText } from "./xml.js";
export { diagnosticLine, errorsOf, filePassed, rowFailureMessage, tensorRange, warningsOf, type FileResult } from "./results.js";

/** The reporters CI systems read, shared by both commands. */
export const CI_REPORTERS = ["junit", "github", "markdown"] as const;
export const CHECK_REPORTERS = ["table", "json", ...CI_REPORTERS] as const;
export const PARSE_REPORTERS = ["text", "json", ...CI_REPORTERS] as const;

export interface ReporterTarget {
  name: string;
  /** Null: stdout. */
  file: string | null;
}

/** Commander's collector for a repeatable flag. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export interface ReporterFlags {
  reporter?: string[];
  reporterOutput?: string;
  json?: boolean;
}

/** The reports to write, from the flags; a UserError for an unknown name, two reports on stdout, or one file named twice. */
export function reporterTargets(flags: ReporterFlags, allowed: readonly string[], defaultName: string): ReporterTarget[] {
  const values = [...(flags.reporter ?? [])];
  if (flags.json === true && !values.includes("json")) values.push("json");
  if (values.length === 0) values.push(defaultName);
  const targets = values.map((value): ReporterTarget => {
    const at = value.indexOf("=");
    const name = at < 0 ? value : value.slice(0, at);
    const file = at < 0 ? null : value.slice(at + 1);
    if (!allowed.includes(name)) throw new UserError(`--reporter must be one of ${allowed.join(", ")} (optionally NAME=FILE), got ${JSON.stringify(value)}`);
    if (file === "") throw new UserError(`--reporter ${name}= needs a file name after "="`);
    return { name, file };
  });
  const toStdout = targets.filter((t) => t.file === null);
  if (flags.reporterOutput !== undefined) {
    if (flags.reporterOutput === "") throw new UserError("--reporter-output needs a file name");
    if (toStdout.length !== 1) throw new UserError(`--reporter-output takes the one reporter without a file; give each a file instead: --reporter NAME=FILE`);
    toStdout[0]!.file = flags.reporterOutput;
  } else if (toStdout.length > 1) {
    throw new UserError(
      `only one report can go to stdout (${toStdout.map((t) => t.name).join(", ")}): give the others a file, e.g. --reporter ${toStdout[1]!.name}=FILE`,
    );
  }
  const files = targets.filter((t) => t.file !== null).map((t) => t.file!);
  const twice = files.find((f, i) => files.indexOf(f) !== i);
  if (twice !== undefined) throw new UserError(`two reports would be written to ${twice}`);
  return targets;
}

/** Writes each report: to its file (atomically; a failure is a one-line UserError) or to stdout. */
export function writeReports(targets: readonly ReporterTarget[], render: (name: string) => string): void {
  // stdout first: a report that cannot be written to its file still leaves the others in the log.
  const ordered = [...targets.filter((t) => t.file === null), ...targets.filter((t) => t.file !== null)];
  for (const target of ordered) {
    const text = render(target.name);
    if (target.file === null) {
      process.stdout.write(text);
      continue;
    }
    // writeFileAtomic's own message names the path and the reason ("cannot write FILE: it is a folder …").
    writeFileAtomic(target.file, text);
  }
}
