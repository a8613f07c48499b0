// `nnc fmt FILE… [--check | --write]`: prints each spec in the canonical layout (src/fmt/format.ts).
//   no flag  → the formatted text of each file on stdout, one after the other (files are not touched);
//   --write  → rewrites each file that is not canonical (atomically), naming it on stdout;
//   --check  → names each file that is not canonical on stdout and exits 1 if there is any.
// A file with a syntax error is refused (its diagnostics on stderr, exit 1) and never rewritten; the other
// files are still processed.
import type { Command } from "commander";
import { writeFileAtomic } from "../atomic-write.js";
import { UserError } from "../errors.js";
import { formatDiagnostics, readSpecFile } from "../front/index.js";
import { formatSpec } from "../fmt/index.js";
import { useColor } from "./color.js";
import { withExamples } from "./help.js";

interface FmtOptions {
  check?: boolean;
  write?: boolean;
}

export function register(program: Command): void {
  const command = program
    .command("fmt")
    .description("print .nn specs in the canonical layout (or --write them back, or --check them)")
    .argument("<files...>", "the .nn specs")
    .option("--check", "list the files that are not formatted and exit 1 if any (changes nothing)")
    .option("--write", "rewrite the files that are not formatted, in place")
    .action((files: string[], options: FmtOptions) => runFmt(files, options));
  withExamples(command, ["nnc fmt specs/gender.nn", "nnc fmt --write specs/*.nn", "nnc fmt --check specs/*.nn"]);
}

export function runFmt(files: readonly string[], options: FmtOptions): void {
  if (options.check && options.write) throw new UserError("use --check or --write, not both");
  const color = useColor(process.stderr);
  const refused: string[] = [];
  const unformatted: string[] = [];
  for (const file of files) {
    const { source, fileName } = readSpecFile(file);
    const result = formatSpec(source, fileName);
    if (!result.ok) {
      process.stderr.write(formatDiagnostics(result.diagnostics, source, { color }));
      refused.push(fileName);
      continue;
    }
    if (options.check) {
      if (result.changed) {
        unformatted.push(fileName);
        process.stdout.write(`${fileName}\n`);
      }
    } else if (options.write) {
      if (result.changed) {
        writeFileAtomic(fileName, result.text);
        process.stdout.write(`formatted ${fileName}\n`);
      }
    } else {
      process.stdout.write(result.text);
    }
  }
  const problems: string[] = [];
  if (refused.length > 0) problems.push(`not formatted because of syntax errors: ${refused.join(", ")}`);
  if (unformatted.length > 0) problems.push(`${unformatted.length} file${unformatted.length === 1 ? " is" : "s are"} not formatted (run nnc fmt --write)`);
  if (problems.length > 0) throw new UserError(problems.join("; "));
}
