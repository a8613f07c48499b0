// `nnc predict FILE --weights W (--input "v1,v2" | --data F)`: applies the saved normalisation to raw
// inputs and prints each output and predicted class (src/train/predict.ts). Refuses weights whose model
// name, spec hash or shape differ from the spec, naming which.
import type { Command } from "commander";
import { runPredict } from "../train/predict.js";
import { examples } from "./help.js";

export function register(program: Command): void {
  program
    .command("predict")
    .description("predict with trained weights: prints outputs and the predicted class")
    .addHelpText(
      "after",
      examples([
        'nnc predict specs/gender.nn --weights runs/gender/weights.json --input "60,165" --input "80,190"',
        "nnc predict specs/letters.nn --weights runs/letters/weights.json --data ../data/letters/val-x.npy,../data/letters/val-y.npy --json",
      ]),
    )
    .argument("<file>", "the .nn spec the weights were trained from")
    .requiredOption("--weights <file>", "weights.json written by nnc train")
    .option("--input <values>", 'one raw input row, e.g. "89,190" (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option("--data <files>", "labelled rows (X.npy,Y.npy | TABLE.csv | IMAGES.idx,LABELS.idx): predictions plus loss and accuracy")
    .option("--label <column>", "label column of a --data CSV (header name or 0-based index)")
    .option("--json", "one JSON object per row")
    .action(async (file: string, flags: { weights: string; input: string[]; data?: string; label?: string; json?: boolean }) => {
      process.exitCode = await runPredict({
        specPath: file,
        weightsPath: flags.weights,
        inputs: flags.input,
        data: flags.data,
        label: flags.label,
        json: flags.json === true,
        streams: { stdout: process.stdout, stderr: process.stderr },
      });
    });
}
