// `nnc predict` as a user runs it (the built CLI, in a fresh folder): the weights `nnc train` wrote found
// without --weights and named; class names from the spec; labelled rows with their true label, the wrong
// ones marked; the confusion matrix checked against a count made here from the rows as written in the spec
// and each row's output (≥ 0.5: the second class); a CSV of class names; the missing-weights message.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "nnc-predict-"));

function nnc(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, "bin/nnc.js"), ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The rows as written: inputs and the class name. Two people are in the data twice with both labels, so
 * whatever the network learns, at least two rows are wrong. */
const ROWS: [number, number, "male" | "female"][] = [
  [60.3, 165, "female"],
  [72.6, 183, "male"],
  [55, 160, "female"],
  [80, 190, "male"],
  [66, 172, "female"],
  [66, 172, "male"],
  [75, 178, "male"],
  [75, 178, "female"],
];
const CLASSES = ["male", "female"];
const SPEC = `model people
classes male, female
layer fc 2->1 sigmoid
sgd lr=0.5 epochs=300 batch=8
normalize z-score
${ROWS.map(([kg, cm, who]) => `row ${kg}, ${cm} -> ${who}`).join("\n")}
`;

beforeAll(() => {
  execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root });
  writeFileSync(join(dir, "people.nn"), SPEC);
}, 300_000);

describe("nnc predict", () => {
  it("says how to get weights when the run folder has none", () => {
    const r = nnc("predict", "people.nn", "--input", "60,165");
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("nnc: no trained weights at runs/people/weights.json: run `nnc train people.nn` first, or give --weights FILE\n");
  });

  it("after nnc train, finds runs/<model>/weights.json, names it and prints class names", () => {
    expect(nnc("train", "people.nn").status).toBe(0);
    const r = nnc("predict", "people.nn", "--input", "55,160", "--input", "85,195");
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("runs/people/weights.json");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const m = /^[\d.]+, [\d.]+ → ([\d.e-]+) → (\w+)$/.exec(line);
      expect(m, line).not.toBeNull();
      expect(m![2]).toBe(CLASSES[Number(m![1]) >= 0.5 ? 1 : 0]);
    }
  });

  it("on the spec's rows: true labels, wrong rows marked, confusion matrix as counted here", () => {
    const json = nnc("predict", "people.nn", "--json");
    expect(json.status).toBe(0);
    const objects = json.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const rows = objects.slice(0, -1) as { output: number[]; name: string; labelName: string; correct: boolean }[];
    const summary = objects.at(-1) as { type: string; confusion: { counts: number[][]; classes: string[]; perClass: { accuracy: number | null }[] } };
    expect(rows).toHaveLength(ROWS.length);
    // The independent count: true class from the spec text, predicted from the output value.
    const counts = [
      [0, 0],
      [0, 0],
    ];
    rows.forEach((row, i) => {
      const truth = CLASSES.indexOf(ROWS[i]![2]);
      const predicted = row.output[0]! >= 0.5 ? 1 : 0;
      counts[truth]![predicted]!++;
      expect(row.labelName).toBe(ROWS[i]![2]);
      expect(row.name).toBe(CLASSES[predicted]);
      expect(row.correct).toBe(truth === predicted);
    });
    expect(summary.type).toBe("summary");
    expect(summary.confusion.classes).toEqual(CLASSES);
    expect(summary.confusion.counts).toEqual(counts);
    expect(counts[0]![1]! + counts[1]![0]!).toBeGreaterThanOrEqual(2);
    expect(summary.confusion.perClass.map((c) => c.accuracy)).toEqual(counts.map((row, t) => row[t]! / (row[0]! + row[1]!)));

    const text = nnc("predict", "people.nn");
    const lines = text.stdout.split("\n");
    rows.forEach((row, i) => {
      expect(lines[i]).toContain(`→ ${row.name} (true: ${ROWS[i]![2]})`);
      expect(lines[i]!.endsWith("✗ wrong")).toBe(!row.correct);
    });
    const wrong = rows.filter((r) => !r.correct).length;
    expect(lines[ROWS.length]).toMatch(new RegExp(`^${ROWS.length} rows: loss [\\d.e-]+, accuracy [\\d.]+% \\(${wrong} wrong\\)$`));
    expect(text.stdout).toContain("confusion matrix (rows: true class, columns: predicted)");
    const header = lines.find((l) => l.trim().startsWith("male") && l.includes("female") && !l.includes(":"))!;
    expect(header.trim().split(/\s+/)).toEqual(CLASSES);
  });

  it("--data with a CSV of class names maps them by the spec's classes", () => {
    writeFileSync(join(dir, "people.csv"), "kg,cm,sex\n" + ROWS.map(([kg, cm, who]) => `${kg},${cm},${who}`).join("\n") + "\n");
    const fromCsv = nnc("predict", "people.nn", "--data", "people.csv", "--label", "sex", "--json");
    const fromSpec = nnc("predict", "people.nn", "--json");
    expect(fromCsv.status).toBe(0);
    expect(fromCsv.stdout).toBe(fromSpec.stdout);
    writeFileSync(join(dir, "typo.csv"), "kg,cm,sex\n60,165,femal\n");
    const typo = nnc("predict", "people.nn", "--data", "typo.csv", "--label", "sex");
    expect(typo.status).toBe(1);
    expect(typo.stderr).toMatch(/typo\.csv:2: .*"femal" \(row 1\) is not one of the spec's classes \(male, female\); did you mean "female"\?\n$/);
  });

  it("a model trained on a CSV of names without classes: the weights carry the names, predict prints them", () => {
    writeFileSync(join(dir, "sex.csv"), "kg,cm,sex\n" + ROWS.map(([kg, cm, who]) => `${kg},${cm},${who}`).join("\n") + "\n");
    writeFileSync(join(dir, "csv.nn"), 'model bycsv\nlayer fc 2->1 sigmoid\nsgd lr=0.5 epochs=300 batch=8\nnormalize z-score\ndata csv "sex.csv" label=sex\n');
    const trained = nnc("train", "csv.nn");
    expect(trained.status).toBe(0);
    // Sorted by code unit: "female" < "male", so female is class 0 (output < 0.5).
    expect(trained.stderr).toContain("training with `classes female, male`");
    const r = nnc("predict", "csv.nn", "--input", "55,160", "--json");
    const row = JSON.parse(r.stdout) as { output: number[]; name: string };
    expect(row.name).toBe(row.output[0]! >= 0.5 ? "male" : "female");
    const labelled = nnc("predict", "csv.nn", "--json");
    const summary = JSON.parse(labelled.stdout.trimEnd().split("\n").at(-1)!) as { confusion: { classes: string[] } };
    expect(summary.confusion.classes).toEqual(["female", "male"]);
  });
});
