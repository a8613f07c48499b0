// `nnc build FILE… [-o DIR]`: compiles each spec to DIR/<model>.ts (default generated/), written atomically.
// `nnc build --check [FILE…]`: compiles in memory and compares with what is on disk (default: every
// specs/*.nn against generated/); exits 1 naming each stale or missing module.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Command } from "commander";
import { UserError } from "../errors.js";
import { writeFileAtomic } from "../atomic-write.js";
import { formatDiagnostics, loadSpec, readSpecFile } from "../front/index.js";
import { compile, dumpStage, STAGES, type Observe, type StageName } from "../compile.js";
import { formatPlan, planSpec } from "../plan.js";
import { summaryText } from "../summary.js";
import { javaScriptNames, toJavaScript } from "../javascript.js";
import { useColor } from "./color.js";
import { withBakedWeights } from "./build-weights.js";
import { examples } from "./help.js";
import { nonEmptyPath } from "./paths.js";

/** The spec's name as it goes into the header: relative to the working folder when inside it (so output never holds an absolute path). */
export function specFileName(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  const inside = rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
  return (inside ? rel : path).split(sep).join("/");
}

/** Compile one spec file; diagnostics with errors become a UserError, warnings go to stderr. */
export async function buildFile(path: string): Promise<Map<string, string>> {
  const { source } = readSpecFile(path);
  const fileName = specFileName(path);
  const { diagnostics, outputs } = await compile(source, fileName);
  const color = useColor(process.stderr);
  if (outputs.size === 0) {
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    throw new UserError(`${errors} error${errors === 1 ? "" : "s"} in ${fileName}\n${formatDiagnostics(diagnostics, source, { color }).trimEnd()}`);
  }
  if (diagnostics.length > 0) process.stderr.write(formatDiagnostics(diagnostics, source, { color }));
  return outputs;
}

/**
 * What `nnc build` writes for one spec: the TypeScript module (with `--weights`, the trained weights baked in:
 * src/commands/build-weights.ts), or with `--js` its plain ES module and declarations instead.
 */
async function buildOutputs(path: string, js: boolean, weights?: string): Promise<Map<string, string>> {
  const built = await buildFile(path);
  const outputs = weights === undefined ? built : await withBakedWeights(path, built, weights);
  if (!js) return outputs;
  const plain = new Map<string, string>();
  for (const [name, text] of outputs) {
    const converted = await toJavaScript(name, text);
    const names = javaScriptNames(name);
    plain.set(names.js, converted.js);
    plain.set(names.dts, converted.dts);
  }
  return plain;
}

/** `nnc build --dump STAGE FILE…`: each spec's output of that stage on stdout; a spec that stops before it (errors) prints its diagnostics and exits 1. */
async function dumpStages(files: string[], stage: string): Promise<void> {
  if (!(STAGES as readonly string[]).includes(stage))
    throw new UserError(`nnc build --dump: no stage ${JSON.stringify(stage)} (the stages: ${STAGES.join(", ")})`);
  if (files.length === 0) throw new UserError("nnc build --dump: give at least one .nn file");
  for (const file of files) {
    const { source } = readSpecFile(file);
    const fileName = specFileName(file);
    let printed = false;
    const observe: Observe = (name, output) => {
      if (name !== (stage as StageName)) return;
      process.stdout.write(dumpStage(name, output));
      printed = true;
    };
    const { diagnostics } = await compile(source, fileName, { observe });
    if (!printed) {
      throw new UserError(
        `${fileName} stops before the ${stage} stage\n${formatDiagnostics(diagnostics, source, { color: useColor(process.stderr) }).trimEnd()}`,
      );
    }
  }
}

function defaultSpecs(): string[] {
  if (!existsSync("specs")) throw new UserError("nnc build --check: no FILE given and no specs/ folder here");
  return readdirSync("specs")
    .filter((f) => f.endsWith(".nn"))
    .sort()
    .map((f) => `specs/${f}`);
}

interface BuildFlags {
  out: string;
  js?: boolean;
  /** --weights: bake these trained weights into the one spec's module. */
  weights?: string;
  check?: boolean;
  plan?: boolean;
  dump?: string;
  summary?: boolean;
}

export function register(program: Command): void {
  program
    .command("build")
    .description("compile .nn specs to standalone TypeScript modules (DIR/<model>.ts); --check compares instead of writing")
    .addHelpText(
      "after",
      examples([
        "nnc build specs/gender.nn",
        "nnc build specs/*.nn --out generated",
        "nnc build --check specs/*.nn",
        "nnc build specs/planar.nn --js --out public",
        "nnc build specs/gender.nn --weights runs/gender/weights.json --out public",
      ]),
    )
    .argument("[files...]", "the .nn specs (with --check: default specs/*.nn)")
    .option("-o, --out <dir>", "output folder", nonEmptyPath, "generated")
    .option("--weights <file>", "bake these trained weights (weights.json) into the module: predictTrained(x) (docs/module.md)", nonEmptyPath)
    .option("--js", "write a plain ES module DIR/<model>.js and its declarations DIR/<model>.d.ts instead of the .ts (docs/web.md)")
    .option("--check", "exit 1 when a module in the output folder is missing or differs from what the specs give")
    .option("--summary", "after writing each module, print its spec's one-line summary and model summary table (as nnc parse --summary)")
    .option("--plan", "print each spec's plan (layout, buffers, memory, unroll decisions) instead of writing")
    .option("--dump <stage>", `print one compiler stage's output instead of writing (${STAGES.join(", ")}; docs/architecture.md)`)
    .action(async (files: string[], options: BuildFlags) => {
      if (options.weights !== undefined && files.length !== 1) throw new UserError("nnc build --weights: give exactly one .nn file (the one trained)");
      if (options.dump !== undefined) {
        await dumpStages(files, options.dump);
        return;
      }
      if (options.plan === true) {
        for (const file of files) process.stdout.write(`${formatPlan(planSpec(loadSpec(file)))}\n`);
        return;
      }
      if (options.check === true) {
        const specs = files.length > 0 ? files : defaultSpecs();
        const problems: string[] = [];
        for (const spec of specs) {
          for (const [name, text] of await buildOutputs(spec, options.js === true, options.weights)) {
            const target = join(options.out, name);
            if (!existsSync(target)) problems.push(`${target}: missing (from ${spec})`);
            else if (readFileSync(target, "utf8") !== text) problems.push(`${target}: stale (differs from what ${spec} gives)`);
          }
        }
        if (problems.length > 0)
          throw new UserError(
            `${problems.join("\n")}\nrun: nnc build ${specs.join(" ")}${options.out === "generated" ? "" : ` -o ${options.out}`}${options.js === true ? " --js" : ""}`,
          );
        process.stdout.write(`${specs.length} module${specs.length === 1 ? "" : "s"} up to date in ${options.out}/\n`);
        return;
      }
      if (files.length === 0) throw new UserError("nnc build: give at least one .nn file (or --check)");
      // Every module is compiled before the first is written: a spec with errors, or two specs naming the same
      // model (the second would silently replace the first's module), writes nothing.
      const built: { file: string; outputs: Map<string, string> }[] = [];
      const from = new Map<string, string>();
      for (const file of files) {
        const outputs = await buildOutputs(file, options.js === true, options.weights);
        for (const [name] of outputs) {
          const earlier = from.get(name);
          if (earlier !== undefined) {
            throw new UserError(
              `${file} and ${earlier} both give ${join(options.out, name)} (the same model name): rename one with its \`model\` statement; nothing was written`,
            );
          }
          from.set(name, file);
        }
        built.push({ file, outputs });
      }
      for (const { file, outputs } of built) {
        for (const [name, text] of outputs) {
          const target = join(options.out, name);
          writeFileAtomic(target, text);
          process.stdout.write(`wrote ${target} (${Buffer.byteLength(text, "utf8")} bytes)\n`);
        }
        if (options.summary === true) process.stdout.write(summaryText(loadSpec(file)));
      }
    });
}
