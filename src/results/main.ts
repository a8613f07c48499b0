// `npm run results [-- --only gender,planar] [--fashion-epochs N]`: re-measures the course's rows and regenerates docs/results.md
// and the plots under docs/results/. Each row's result is also kept as docs/results/<id>.json, so a row run
// alone (--only) updates its section and the other sections keep their last measurement.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../atomic-write.js";
import { doctorRow } from "./doctor.js";
import { fashionCnnRow } from "./fashion-cnn.js";
import { fashionRow } from "./fashion.js";
import { genderRow } from "./gender.js";
import { lettersCnnRow } from "./letters-cnn.js";
import { lettersRow } from "./letters.js";
import { resultsMarkdown } from "./markdown.js";
import { planarRow } from "./planar.js";
import { squareRow } from "./square.js";
import type { RowContext, RowResult } from "./types.js";

export interface ResultsOptions {
  /** --fashion-epochs N: train the slow Fashion-MNIST row for N epochs instead of the spec's (said so in the row). */
  fashionEpochs?: number;
}

// In docs/results.md's order: each CNN row right after the MLP row it is compared with.
export const ROWS: Record<string, (ctx: RowContext, options: ResultsOptions) => Promise<RowResult>> = {
  gender: (ctx) => genderRow(ctx),
  planar: (ctx) => planarRow(ctx),
  square: (ctx) => squareRow(ctx),
  letters: (ctx) => lettersRow(ctx),
  "letters-cnn": (ctx) => lettersCnnRow(ctx),
  fashion: (ctx, options) => fashionRow(ctx, { epochs: options.fashionEpochs }),
  "fashion-cnn": (ctx) => fashionCnnRow(ctx),
  doctor: (ctx) => doctorRow(ctx),
};

export async function runResults(root: string, only: string[] | null, log: (line: string) => void, options: ResultsOptions = {}): Promise<RowResult[]> {
  const docs = join(root, "docs");
  const outDir = join(docs, "results");
  const ctx: RowContext = { root, outDir, log };
  for (const id of only ?? []) if (!(id in ROWS)) throw new Error(`unknown row ${JSON.stringify(id)} (rows: ${Object.keys(ROWS).join(", ")})`);
  for (const [id, row] of Object.entries(ROWS)) {
    if (only && !only.includes(id)) continue;
    log(`row ${id}`);
    const result = await row(ctx, options);
    writeFileAtomic(join(outDir, `${id}.json`), JSON.stringify(result, null, 2) + "\n");
    for (const c of result.checks) log(`  ${c.pass ? "pass" : "FAIL"}: ${c.what}: ${c.measured}`);
  }
  const results = Object.keys(ROWS)
    .map((id) => join(outDir, `${id}.json`))
    .filter((path) => existsSync(path))
    .map((path) => JSON.parse(readFileSync(path, "utf8")) as RowResult);
  writeFileAtomic(join(docs, "results.md"), resultsMarkdown(results, "npm run results"));
  return results;
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]).endsWith(join("src", "results", "main.ts"));
if (isMain) {
  const at = process.argv.indexOf("--only");
  const only = at >= 0 ? (process.argv[at + 1] ?? "").split(",").filter((s) => s !== "") : null;
  const fe = process.argv.indexOf("--fashion-epochs");
  const fashionEpochs = fe >= 0 ? Number(process.argv[fe + 1]) : undefined;
  if (fashionEpochs !== undefined && !(Number.isInteger(fashionEpochs) && fashionEpochs >= 1)) {
    process.stderr.write(`results: --fashion-epochs must be a whole number ≥ 1, got ${JSON.stringify(process.argv[fe + 1])}\n`);
    process.exit(1);
  }
  const started = performance.now();
  runResults(process.cwd(), only, (line) => process.stdout.write(line + "\n"), { fashionEpochs }).then(
    (results) => {
      const failed = results.flatMap((r) => r.checks.filter((c) => !c.pass).map((c) => `${r.id}: ${c.what}`));
      process.stdout.write(
        `wrote docs/results.md (${results.length} rows) in ${((performance.now() - started) / 1000).toFixed(0)} s; ${failed.length ? `failing: ${failed.join("; ")}` : "all checks pass"}\n`,
      );
    },
    (error: unknown) => {
      process.stderr.write(`results: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
