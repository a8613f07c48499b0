// `nnc export SPEC.nn --weights W.json [-o MODEL.onnx] [--float64]`: the spec and its trained weights as an
// ONNX model (src/onnx/write.ts; docs/onnx.md) that takes the same raw inputs as `nnc predict`. The weights
// are checked against the spec (model name, spec hash, layout) as predict checks them; the file is written
// atomically, and only after everything is checked.
import { basename, dirname, join } from "node:path";
import type { Command } from "commander";
import { loadSpec } from "../front/index.js";
import { parameterCount, parameterLayout } from "../interpreter/parameters.js";
import { exportOnnx, EXPORT_OPSET } from "../onnx/write.js";
import { checkWeights, readWeightsFile } from "../train/weights-file.js";
import { withExamples } from "./help.js";
import { writeFileAtomic } from "../atomic-write.js";
import { nonEmptyPath } from "./paths.js";

interface ExportFlags {
  weights: string;
  out?: string;
  float64?: boolean;
}

export function register(program: Command): void {
  const command = program
    .command("export")
    .description(`export a spec and its trained weights as an ONNX model (opset ${EXPORT_OPSET}) taking nnc predict's raw inputs`)
    .argument("<file>", "the .nn spec the weights were trained from")
    .requiredOption("--weights <file>", "weights.json written by nnc train (or nnc import)")
    .option("-o, --out <file>", "the .onnx file to write (default: MODEL.onnx beside the weights)", nonEmptyPath)
    .option("--float64", "double tensors: weights bit for bit (default float32, which every ONNX runtime runs)")
    .action((file: string, flags: ExportFlags) => runExport(file, flags));
  withExamples(command, [
    "nnc export specs/planar.nn --weights runs/planar/weights.json -o planar.onnx",
    "nnc export specs/gender.nn --weights runs/gender/weights.json --float64",
  ]);
}

export function runExport(file: string, flags: ExportFlags): void {
  const spec = loadSpec(file);
  const meta = { name: spec.name, specHash: spec.sourceHash, layout: parameterLayout(spec), parameters: parameterCount(spec), inputs: spec.inputs };
  const weights = checkWeights(readWeightsFile(flags.weights, meta.parameters + 2 * meta.inputs), meta, flags.weights);
  const bytes = exportOnnx({ spec, params: weights.values, normalization: weights.normalization, float64: flags.float64 === true });
  const out = flags.out ?? join(dirname(flags.weights), `${spec.name}.onnx`);
  writeFileAtomic(out, bytes);
  process.stdout.write(
    `wrote ${out} (ONNX opset ${EXPORT_OPSET}, ${flags.float64 ? "float64" : "float32"}, from ${basename(file)} and ${basename(flags.weights)})\n`,
  );
}
