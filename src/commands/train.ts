// `nnc train FILE`: builds the spec's module, loads and normalises its data, trains with progress and
// writes the run folder (src/train/run.ts). Exit codes: 0 done, 1 user error or non-finite loss,
// 130 stopped by Ctrl-C (the weights trained so far are saved, marked "interrupted").
import type { Command } from "commander";
import { chooseMode } from "../train/progress.js";
import { examples } from "./help.js";
import { integerFlag, MAX_EPOCHS, MAX_SEED, MAX_THREADS, runTraining } from "../train/run.js";
import { nonEmptyPath } from "./paths.js";

export function register(program: Command): void {
  program
    .command("train")
    .description("train a spec's model and write weights, history and plots to a run folder")
    .addHelpText(
      "after",
      examples([
        "nnc train specs/gender.nn",
        "nnc train specs/planar.nn --epochs 2000 --seed 3 --out runs/planar-try",
        "nnc train specs/letters.nn --json > history.jsonl",
        "nnc train fashion.nn --weights fashion.weights.json --data x.npy,y.npy --epochs 3",
        "nnc train specs/letters.nn --threads 2",
      ]),
    )
    .argument("<file>", "the .nn spec")
    .option("--data <files>", "training data instead of the spec's: X.npy,Y.npy | TABLE.csv | IMAGES.idx[.gz],LABELS.idx[.gz]")
    .option("--label <column>", "label column of a --data CSV (header name or 0-based index)")
    .option("--epochs <n>", "number of epochs (overrides the spec)")
    .option("--seed <s>", "seed for initial weights, batch order and dropout (overrides the spec's init and training seeds)")
    .option("--out <dir>", "run folder (default runs/<model>/)", nonEmptyPath)
    .option("--eval-every <n>", "compute metrics every N epochs (default 1, or epochs/1000 for long runs without stop criteria)")
    .option("--json", "print one JSON object per evaluated epoch on stdout")
    .option("--resume", "continue from the run folder's checkpoint.json (same spec, data, --seed, --epochs, --eval-every)")
    .option("--weights <file>", "start from these weights (from nnc train or nnc import) instead of the spec's init: fine-tuning")
    .option("--checkpoint-every <seconds>", "seconds between checkpoints, taken at evaluated epochs (default 10; 0 = every evaluated epoch)")
    .option("--threads <n>", "train data-parallel over N worker threads: the same weights for any N (docs/training.md); default: one thread, as before")
    .action(
      async (
        file: string,
        flags: {
          data?: string;
          label?: string;
          epochs?: string;
          seed?: string;
          out?: string;
          evalEvery?: string;
          json?: boolean;
          resume?: boolean;
          checkpointEvery?: string;
          weights?: string;
          threads?: string;
        },
      ) => {
        const result = await runTraining({
          specPath: file,
          data: flags.data,
          label: flags.label,
          epochs: flags.epochs === undefined ? undefined : integerFlag("--epochs", flags.epochs, 1, MAX_EPOCHS),
          seed: flags.seed === undefined ? undefined : integerFlag("--seed", flags.seed, 0, MAX_SEED),
          out: flags.out,
          evaluateEvery: flags.evalEvery === undefined ? undefined : integerFlag("--eval-every", flags.evalEvery, 1),
          resume: flags.resume === true,
          initialWeights: flags.weights,
          checkpointEvery: flags.checkpointEvery === undefined ? undefined : integerFlag("--checkpoint-every", flags.checkpointEvery, 0),
          mode: chooseMode(flags.json === true, process.stderr.isTTY === true),
          streams: { stdout: process.stdout, stderr: process.stderr },
          handleSigint: true,
          threads: flags.threads === undefined ? undefined : integerFlag("--threads", flags.threads, 1, MAX_THREADS),
        });
        process.exitCode = result.exitCode;
      },
    );
}
