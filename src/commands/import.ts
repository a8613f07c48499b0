// `nnc import MODEL.onnx [-o DIR] [--name NAME]`: an ONNX model → DIR/NAME.nn + DIR/NAME.weights.json
// (src/onnx/import.ts; what maps to what: docs/onnx.md). Everything is read, mapped and checked before
// either file is written, so a refused model (an op or attribute nnc cannot express) writes nothing; each
// file is written atomically.
import { READ_LIMITS, readFileBounded } from "../read-bounded.js";
import { join } from "node:path";
import type { Command } from "commander";
import { writeFileAtomic } from "../atomic-write.js";
import { importOnnx } from "../onnx/import.js";
import { withExamples } from "./help.js";
import { nonEmptyPath } from "./paths.js";

interface ImportFlags {
  out: string;
  name?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const command = program
    .command("import")
    .description("import an ONNX model (PyTorch, Keras via tf2onnx, …) as a .nn spec and its weights")
    .argument("<model>", "the .onnx file (opsets 11–18, IR versions 6–9)")
    .option("-o, --out <dir>", "folder for NAME.nn and NAME.weights.json", nonEmptyPath, ".")
    .option("--name <name>", "the model name (and file names); default: the .onnx file's name")
    .option("--json", "print what was written as one JSON object")
    .action((model: string, flags: ImportFlags) => runImport(model, flags));
  withExamples(command, [
    "nnc import model.onnx -o imported/ --name fashion",
    "nnc import fashion.onnx && nnc predict fashion.nn --weights fashion.weights.json --data x.npy,y.npy",
  ]);
}

export function runImport(model: string, flags: ImportFlags): void {
  const bytes = readFileBounded(model, "ONNX model", READ_LIMITS.onnx);
  const result = importOnnx(bytes, model, flags.name === undefined ? {} : { name: flags.name });
  const specPath = join(flags.out, result.specFile);
  const weightsPath = join(flags.out, result.weightsFile);
  // Weights first: a spec without its weights file is the more confusing half to be left with.
  writeFileAtomic(weightsPath, result.weightsText);
  writeFileAtomic(specPath, result.specText);
  const layers = result.spec.layers.length;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ spec: specPath, weights: weightsPath, model: result.name, layers, parameters: result.weights.parameters })}\n`);
  } else {
    process.stdout.write(`wrote ${specPath} (${layers} layer${layers === 1 ? "" : "s"}) and ${weightsPath} (${result.weights.parameters} parameters)\n`);
  }
}
