// `nnc sweep FILE [--var H=1,2,3] [--out DIR] [--json]`: trains one variant per value of the spec's
// `sweep` statement (or --var) and writes a results table plus a decision-boundary plot per variant
// (src/sweep/run.ts).
import type { Command } from "commander";
import { integerFlag, MAX_EPOCHS } from "../train/run.js";
import { parseVarFlag, runSweep } from "../sweep/run.js";
import { examples } from "./help.js";
import { nonEmptyPath } from "./paths.js";

export function register(program: Command): void {
  program
    .command("sweep")
    .description("train one variant per value of a `let` variable and tabulate the results")
    .addHelpText("after", examples(["nnc sweep specs/planar.nn", "nnc sweep specs/planar.nn --var H=2,4,8 --out runs/planar-h --json"]))
    .argument("<file>", "the .nn spec (with `let` and usually `sweep`)")
    .option("--var <name=values>", "variable and values to sweep, e.g. H=1,2,3 (instead of the spec's sweep statement)")
    .option("--epochs <n>", "number of epochs for every variant (overrides the spec)")
    .option("--out <dir>", "sweep folder (default runs/<model>-sweep/)", nonEmptyPath)
    .option("--json", "one JSON object per variant on stdout, then a done line")
    .action(async (file: string, flags: { var?: string; epochs?: string; out?: string; json?: boolean }) => {
      await runSweep({
        specPath: file,
        variable: flags.var === undefined ? undefined : parseVarFlag(flags.var),
        epochs: flags.epochs === undefined ? undefined : integerFlag("--epochs", flags.epochs, 1, MAX_EPOCHS),
        out: flags.out,
        json: flags.json === true,
        streams: { stdout: process.stdout, stderr: process.stderr },
      });
    });
}
