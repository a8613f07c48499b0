// `nnc predict FILE [--weights W] [--input "v1,v2" | --data F]`: applies the saved normalisation to raw
// inputs and prints each output and predicted class by name; with labelled rows (--data, or the spec's own
// data when neither flag is given), each row's true label, the wrong ones marked, then the loss, accuracy,
// confusion matrix and per-class accuracy (src/train/predict.ts, src/report/predict-command.ts). --weights defaults to the run
// folder `nnc train` writes (runs/<model>/weights.json). Refuses weights whose network differs from the
// spec's, naming how.
import type { Command } from "commander";
import { runPredict } from "../train/predict.js";
import { examples } from "./help.js";

export function register(program: Command): void {
  program
    .command("predict")
    .description("predict with trained weights: prints outputs and the predicted class; with labelled rows, the confusion matrix")
    .addHelpText(
      "after",
      examples([
        'nnc predict specs/gender.nn --input "60,165" --input "80,190"',
        "nnc predict specs/gender.nn",
        "nnc predict specs/letters.nn --weights runs/letters/weights.json --data ../data/letters/val-x.npy,../data/letters/val-y.npy --json",
      ]),
    )
    .argument("<file>", "the .nn spec the weights were trained from")
    .option("--weights <file>", "weights.json written by nnc train (default: runs/<model>/weights.json)")
    .option("--input <values>", 'one raw input row, e.g. "89,190" (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option("--data <files>", "labelled rows (X.npy,Y.npy | TABLE.csv | IMAGES.idx,LABELS.idx): predictions with true labels, loss, accuracy, confusion matrix")
    .option("--label <column>", "label column of a --data CSV (header name or 0-based index)")
    .option("--json", "one JSON object per row, then a summary object")
    .action(async (file: string, flags: { weights?: string; input: string[]; data?: string; label?: string; json?: boolean }) => {
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
