// `nnc parse FILE [--json]`: checks a spec and prints its IR. On errors: the diagnostics on stderr (the first
// hundred, then a count), exit 1. Warnings go to stderr in every case. --json prints the whole IR (with
// source ranges) as pretty JSON with keys sorted, so the output is byte-stable across runs and versions of
// the lowering code; on errors it prints `{ "diagnostics": [...] }` instead, every one, and still exits 1.
import type { Command } from "commander";
import type { Spec } from "../ir.js";
import { ruleOf } from "../layers/index.js";
import { UserError } from "../errors.js";
import { formatDiagnostics, parseSpec, readSpecFile } from "../front/index.js";
import { useColor } from "./color.js";
import { examples } from "./help.js";

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

/** One line a person can check at a glance: `letters: 289 → 20 sigmoid → 26 sigmoid · binary_crossentropy · sgd lr=1 epochs=20 batch=1024`. */
export function summarize(spec: Spec): string {
  const t = spec.training;
  const net = [String(spec.inputs), ...spec.layers.map((layer) => ruleOf(layer).describe(layer))].join(" → ");
  const data = spec.data ? ` · data ${spec.data.train.kind === "builtin" ? spec.data.train.name : spec.data.train.kind}` : "";
  return `${spec.name}: ${net} · ${spec.loss.kind} · ${t.optimizer.kind} lr=${t.learningRate} epochs=${t.epochs} batch=${t.batchSize}${data}\n`;
}

export function register(program: Command): void {
  program
    .command("parse")
    .description("check a .nn spec and print its IR (or its errors, exit 1)")
    .addHelpText("after", examples(["nnc parse specs/gender.nn", "nnc parse --json specs/letters.nn > letters.ir.json"]))
    .argument("<file>", "the .nn spec")
    .option("--json", "print the whole IR as JSON (keys sorted, with source ranges); on errors, every diagnostic as JSON")
    .action((file: string, options: { json?: boolean }) => {
      const { source, fileName } = readSpecFile(file);
      const { spec, diagnostics } = parseSpec(source, fileName);
      const color = useColor(process.stderr);
      if (spec === null) {
        const errors = diagnostics.filter((d) => d.severity === "error").length;
        if (options.json) {
          process.stdout.write(stableJson({ diagnostics }));
          throw new UserError(`${errors} error${errors === 1 ? "" : "s"} in ${fileName} (listed as JSON on stdout)`);
        }
        throw new UserError(`${errors} error${errors === 1 ? "" : "s"} in ${fileName}\n${formatDiagnostics(diagnostics, source, { color }).trimEnd()}`);
      }
      if (diagnostics.length > 0) process.stderr.write(formatDiagnostics(diagnostics, source, { color }));
      process.stdout.write(options.json ? stableJson(spec) : summarize(spec));
    });
}
