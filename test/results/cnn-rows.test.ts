// The two CNN rows (letters-cnn, fashion-cnn) at small scale: one epoch on a small generated letters set, so the
// targets are missed and the checks must say so with the figure the run measured; the MLP comparison against a
// committed row's JSON, both ways; the filters picture in the output folder.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { writeLettersDataset } from "../../src/commands/data.js";
import { DEFAULT_FONT_DIRS } from "../../src/datasets/letters/fonts.js";
import { beatsMlpCheck, committedMlpFigure } from "../../src/results/cnn.js";
import { fashionCnnRow } from "../../src/results/fashion-cnn.js";
import { lettersCnnRow } from "../../src/results/letters-cnn.js";
import { ROWS } from "../../src/results/main.js";
import type { RowContext, RowResult } from "../../src/results/types.js";

const ROOT = process.cwd();
const context = (): RowContext => ({ root: ROOT, outDir: mkdtempSync(join(tmpdir(), "nnc-cnn-results-")), log: () => undefined });
let dataDir = "";
beforeAll(() => {
  dataDir = join(mkdtempSync(join(tmpdir(), "nnc-cnn-letters-")), "letters");
  writeLettersDataset({ out: dataDir, train: 600, val: 200, seed: 3, fonts: DEFAULT_FONT_DIRS });
});

/** A committed MLP row as main.ts writes it, with `measured` as its first check's figure. */
function writeMlpRow(outDir: string, id: string, what: string, measured: string): void {
  const row: RowResult = {
    id,
    title: id,
    specs: [],
    checks: [{ what, target: "", measured, pass: true }],
    body: "",
    seconds: 1,
    measuredAt: "2026-11-22T06:39:42.041Z",
  };
  writeFileSync(join(outDir, `${id}.json`), JSON.stringify(row));
}

/** The held-out accuracy of the body's per-epoch table's last row. */
const lastTableAccuracy = (row: RowResult): string => /\| \d+ \| [^|]+ \| [\d.]+ % \| ([\d.]+ %) \|\n\n!\[/.exec(row.body)![1]!;

describe("comparison with the MLP row", () => {
  test("reads the committed figure and compares both ways; a missing row fails and says so", () => {
    const outDir = context().outDir;
    writeMlpRow(outDir, "letters", "letters.nn (cross-entropy) validation accuracy", "98.80 % after 20 epochs; first ≥ 98 % at epoch 12");
    const mlp = committedMlpFigure(outDir, "letters", "letters.nn");
    expect(mlp).toMatchObject({ accuracy: 0.988, measuredAt: "2026-11-22T06:39:42.041Z" });
    const above = beatsMlpCheck(0.9996, mlp, "letters.nn", "letters", "validation accuracy");
    expect(above).toMatchObject({ pass: true, measured: "99.96 % vs 98.80 % (MLP: 98.80 % after 20 epochs, measured 2026-11-22): +1.16 points" });
    expect(beatsMlpCheck(0.98, mlp, "letters.nn", "letters", "validation accuracy")).toMatchObject({ pass: false });
    expect(committedMlpFigure(outDir, "fashion", "test accuracy")).toBeNull();
    expect(beatsMlpCheck(0.95, null, "fashion.nn", "fashion", "test accuracy").measured).toContain("docs/results/fashion.json is missing");
  });
});

describe("CNN rows at small scale", () => {
  test("letters-cnn: 1 epoch on 600 glyphs misses 99.2 % and says by how much; filters and curves are written", async () => {
    const ctx = context();
    writeMlpRow(ctx.outDir, "letters", "letters.nn (cross-entropy) validation accuracy", "0.00 % after 20 epochs");
    const row = await lettersCnnRow(ctx, { dataDir, epochs: 1 });
    expect(row.id).toBe("letters-cnn");
    expect(row.checks.map((c) => c.what)).toEqual(["letters-cnn.nn validation accuracy", 'beats letters.nn (the MLP, row "letters")']);
    const [target, mlp] = row.checks as [RowResult["checks"][0], RowResult["checks"][0]];
    const figure = lastTableAccuracy(row);
    expect(target.measured).toMatch(new RegExp(`^${figure} after 1 epochs; [\\d.]+ points short$`));
    const short = Number(/([\d.]+) points short/.exec(target.measured)![1]);
    expect(short).toBeCloseTo(99.2 - Number.parseFloat(figure), 1);
    expect(target.pass).toBe(false);
    expect(mlp.measured.startsWith(`${figure} vs 0.00 %`)).toBe(true);
    expect(mlp.pass).toBe(Number.parseFloat(figure) > 0);
    expect(row.body).toContain("600 training and 200 validation glyphs");
    const svg = readFileSync(join(ctx.outDir, "letters-cnn-filters.svg"), "utf8");
    expect(svg.match(/class="filter"/g)).toHaveLength(6); // conv 6, one channel
    expect(row.body).toContain("![letters-cnn: learned first-layer filters](results/letters-cnn-filters.svg)");
    expect(readFileSync(join(ctx.outDir, "letters-cnn-curves.svg"), "utf8")).toMatch(/^<svg/);
  }, 60_000);

  test("fashion-cnn: a small conv spec stands in; the target check is the measured test accuracy against 91 %", async () => {
    const ctx = context();
    const spec = join(ctx.outDir, "tiny-cnn.nn");
    const npy = (name: string) => `"${join(dataDir, `${name}-x.npy`)}" labels="${join(dataDir, `${name}-y.npy`)}"`;
    writeFileSync(
      spec,
      `model tiny-cnn\ndata npy ${npy("train")}\ntest npy ${npy("val")}\ninput 1x17x17\nlayer conv 2 relu kernel=4\nlayer maxpool 2\nlayer fc 98->26 softmax\nloss crossentropy\ninit he seed=1\nadam lr=0.002 epochs=2 batch=100 shuffle\n`,
    );
    const row = await fashionCnnRow(ctx, { spec, dataDir: ctx.outDir });
    const [target, mlp] = row.checks as [RowResult["checks"][0], RowResult["checks"][0]];
    expect(target.target).toBe("≥ 91 % within 10 epochs");
    expect(target.measured).toMatch(new RegExp(`^${lastTableAccuracy(row)} \\(test loss [\\d.]+\\) after 2 epochs; [\\d.]+ points short$`));
    expect(target.pass).toBe(false);
    expect(mlp).toMatchObject({ pass: false }); // no docs/results/fashion.json in this folder
    expect(row.body.match(/^\| \d+ \|/gm)).toHaveLength(2);
    expect(readFileSync(join(ctx.outDir, "fashion-cnn-filters.svg"), "utf8").match(/class="filter"/g)).toHaveLength(2);
  }, 60_000);

  test("fashion-cnn without the data set: not run, FAIL, with the install hint", async () => {
    const row = await fashionCnnRow(context(), { dataDir: "/nonexistent/fashion-mnist" });
    expect(row.checks[0]).toMatchObject({ pass: false });
    expect(row.checks[0]!.measured).toContain("apt-get install dataset-fashion-mnist");
  });

  test("the runner lists each CNN row right after the MLP row it beats", () => {
    const ids = Object.keys(ROWS);
    expect(ids.indexOf("letters-cnn")).toBe(ids.indexOf("letters") + 1);
    expect(ids.indexOf("fashion-cnn")).toBe(ids.indexOf("fashion") + 1);
  });
});
