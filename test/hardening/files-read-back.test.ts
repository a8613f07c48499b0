// Files nnc reads back are checked against a schema before use (src/schema/, docs/guarantees.md section 8):
// weights files (nnc predict, nnc export, nnc build --weights, nnc train --weights all go through
// checkWeights) and --resume checkpoints. Each broken variant is one UserError `PATH: FIELD: what is wrong
// (expected …)`; through the CLI (predict, export, train --resume) it is one line, exit 1, no stack trace. A property test mutates a good
// weights file at random places with random JSON and requires a UserError or a valid result, nothing else.
// Also: features near the largest double are refused before anything is written, naming the column.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { NNC, ROOT, buildCli } from "../support/cli.js";
import { tempDir } from "../train/helpers.js";
import { loadSpec } from "../../src/front/index.js";
import { buildAndLoad } from "../../src/harness/load.js";
import type { GeneratedModule } from "../../src/module-api.js";
import { UserError } from "../../src/errors.js";
import { checkWeights } from "../../src/train/weights-file.js";
import { CHECKPOINT_FILE, readCheckpoint, type RunIdentity } from "../../src/train/checkpoint.js";

const SPEC = `model readback
layer fc 2->3 sigmoid
layer fc 3->1 sigmoid
loss mse
init normal std=0.5 seed=2
sgd lr=0.5 epochs=4 batch=1 shuffle
normalize z-score
row 60.3, 165 -> 1
row 72.6, 183 -> 0
row 68.9, 178 -> 0
row 54.4, 152 -> 1
`;

const dir = tempDir("nnc-readback-");
const spec = join(dir, "readback.nn");
const out = join(dir, "run");
let module: GeneratedModule;
let good: Record<string, unknown>;
let goodCheckpoint: Record<string, unknown>;

const cli = (...args: string[]) => spawnSync("node", [NNC, ...args], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
/** `nnc ARGS…` without blocking, so the CLI cases below run side by side. */
const cliAsync = (...args: string[]) =>
  new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn("node", [NNC, ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], timeout: 30_000 });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (status) => resolve({ status, stderr }));
  });
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

beforeAll(async () => {
  buildCli();
  writeFileSync(spec, SPEC);
  // SIGINT-free way to keep a checkpoint: train, then write the last one back (a finished run removes it).
  const r = cli("train", spec, "--out", out, "--checkpoint-every", "0", "--json");
  expect(r.status, r.stderr).toBe(0);
  good = JSON.parse(readFileSync(join(out, "weights.json"), "utf8")) as Record<string, unknown>;
  module = await buildAndLoad(loadSpec(spec));
  const stop = spawnSync("node", [NNC, "train", spec, "--out", join(dir, "stopped"), "--checkpoint-every", "0", "--epochs", "8", "--json"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NNC_TEST_KILL_AT: "7" },
  });
  expect(stop.signal).toBe("SIGKILL");
  goodCheckpoint = JSON.parse(readFileSync(join(dir, "stopped", CHECKPOINT_FILE), "utf8")) as Record<string, unknown>;
}, 60_000);

/** Runs checkWeights on `json`; returns the message of its UserError (fails the test on any other error). */
function refusal(json: unknown): string | null {
  try {
    checkWeights(json, module.meta, "w.json");
    return null;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return error.message;
  }
}

type Edit = [string, (w: Record<string, unknown>) => void, RegExp];
const layout = (w: Record<string, unknown>) => w["layout"] as Record<string, unknown>[];

const WEIGHTS_CASES: Edit[] = [
  ["version 2", (w) => (w["version"] = 2), /^w\.json: version: got 2 \(expected 1\)$/],
  ["a null layout entry", (w) => (layout(w)[1] = null as never), /^w\.json: layout\[1\]: got null \(expected a tensor/],
  ["an empty layout entry", (w) => (layout(w)[0] = {}), /^w\.json: layout\[0\]\.name: got undefined \(expected a non-empty string\)$/],
  ["a mistyped shape", (w) => (layout(w)[0]!["shape"] = "3x2"), /^w\.json: layout\[0\]\.shape: got "3x2" \(expected a list of whole numbers ≥ 1\)$/],
  ["a null shape", (w) => (layout(w)[2]!["shape"] = null), /^w\.json: layout\[2\]\.shape: got null/],
  ["a fractional offset", (w) => (layout(w)[1]!["offset"] = 2.5), /^w\.json: layout\[1\]\.offset: got 2\.5 \(expected a whole number ≥ 0\)$/],
  ["a string offset", (w) => (layout(w)[1]!["offset"] = "6"), /^w\.json: layout\[1\]\.offset: got "6"/],
  [
    "an extra key in a layout entry",
    (w) => (layout(w)[0]!["dtype"] = "f64"),
    /^w\.json: layout\[0\]\.dtype: unknown key \(expected only name, offset, shape, size\)$/,
  ],
  ["a size that is not the shape's product", (w) => (layout(w)[0]!["size"] = 5), /^w\.json: layout\[0\]\.size: got 5 \(expected 6, the product/],
  [
    "reordered layout entries (the offsets swapped with them)",
    (w) => {
      const [a, b] = layout(w);
      [a!["name"], b!["name"], a!["shape"], b!["shape"], a!["size"], b!["size"]] = [b!["name"], a!["name"], b!["shape"], a!["shape"], b!["size"], a!["size"]];
    },
    /weights do not match the spec:\n(.*\n)* {2}- shape: layer1\.weight \[3, 2\] is at offset 6 in the weights, 0 in the spec/,
  ],
  ["a layout that is an object", (w) => (w["layout"] = {}), /^w\.json: layout: got an empty object \(expected a list of tensors\)$/],
  [
    "a __proto__ key at the top",
    (w) => Object.defineProperty(w, "__proto__", { value: { polluted: 1 }, enumerable: true }),
    /^w\.json: __proto__: a "__proto__" key is not allowed$/,
  ],
  [
    "a __proto__ key in a layout entry",
    (w) => Object.defineProperty(layout(w)[0]!, "__proto__", { value: {}, enumerable: true }),
    /^w\.json: layout\[0\]\.__proto__: a "__proto__" key/,
  ],
  ["a wrong parameter count", (w) => (w["parameters"] = 12), /12 parameters in the weights, 13 in the spec/],
  ["values one short", (w) => (w["values"] as number[]).pop(), /^w\.json: "values" must be 13 finite numbers$/],
  ["a null value", (w) => ((w["values"] as unknown[])[3] = null), /^w\.json: values\[3\]: got null \(expected a finite number\)$/],
  ["values as a string", (w) => (w["values"] = "0,1"), /^w\.json: values: got "0,1" \(expected a list of finite numbers\)$/],
  ["a numeric model", (w) => (w["model"] = 7), /^w\.json: model: got 7 \(expected a non-empty string\)$/],
  ["an empty model", (w) => (w["model"] = ""), /^w\.json: model: got "" \(expected a non-empty string\)$/],
  [
    "normalisation as [null, null]",
    (w) => ((w["normalization"] as Record<string, unknown>)["offset"] = [null, null]),
    /^w\.json: normalization\.offset\[0\]: got null/,
  ],
  ["a zero data scale", (w) => (w["dataScale"] = 0), /^w\.json: dataScale: got 0 \(expected a finite number > 0\)$/],
  ["classes that are numbers", (w) => (w["classes"] = [0, 1]), /^w\.json: classes\[0\]: got 0 \(expected a string\)$/],
  ["precision f16", (w) => (w["precision"] = "f16"), /^w\.json: precision: got "f16" \(expected "f64" or "f32"\)$/],
];

describe("weights files: every field checked, one line naming it", () => {
  test("the good file loads, and so does one whose layout lists the same tensors in another order", () => {
    expect(refusal(clone(good))).toBeNull();
    const reversed = clone(good);
    layout(reversed).reverse();
    expect(refusal(reversed)).toBeNull();
  });
  test.each(WEIGHTS_CASES)("%s", (_name, edit, message) => {
    const w = clone(good);
    edit(w);
    const text = refusal(w);
    expect(text).toMatch(message);
  });

  test("random JSON anywhere in the file: a UserError or a valid load, never another error", () => {
    const paths: (string | number)[][] = [
      ["version"],
      ["model"],
      ["parameters"],
      ["layout"],
      ["layout", 0],
      ["layout", 1, "shape"],
      ["layout", 0, "offset"],
      ["values"],
      ["values", 2],
      ["normalization"],
      ["normalization", "scale"],
      ["run"],
      ["dataScale"],
      ["classes"],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, value) => {
        const w = clone(good);
        let at: Record<string | number, unknown> = w;
        for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
        at[path[path.length - 1]!] = value;
        const text = refusal(w);
        if (text !== null) expect(text.split("\n")[0]).toMatch(/^w\.json: /);
      }),
      { numRuns: 400, seed: 21 },
    );
  });

  test("nnc predict and nnc export: one line, exit 1, no stack trace", () => {
    const bad = clone(good);
    layout(bad)[1] = null as never;
    const path = join(dir, "bad-weights.json");
    writeFileSync(path, JSON.stringify(bad));
    for (const args of [
      ["predict", spec, "--weights", path, "--input", "60,170"],
      ["export", spec, "--weights", path, "-o", join(dir, "x.onnx")],
    ]) {
      const r = cli(...args);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`nnc: ${path}: layout[1]: got null (expected a tensor {name, offset, shape, size})\n`);
    }
  });
});

type CheckpointEdit = [string, (c: Record<string, unknown>) => void, RegExp];
const history = (c: Record<string, unknown>) => c["history"] as Record<string, unknown>[];

const CHECKPOINT_CASES: CheckpointEdit[] = [
  ["a null history row", (c) => (history(c)[0] = null as never), /: history\[0\]: got null \(expected an epoch's metrics/],
  ["a string history row", (c) => (history(c)[1] = "epoch 2" as never), /: history\[1\]: got "epoch 2"/],
  ["an empty history row", (c) => (history(c)[0] = {}), /: history\[0\]\.epoch: got undefined \(expected a whole number from 0 to \d+\)$/],
  ["a null loss", (c) => (history(c)[0]!["loss"] = null), /: history\[0\]\.loss: got null \(expected a number/],
  ["an extra key in a row", (c) => (history(c)[0]!["note"] = "x"), /: history\[0\]\.note: unknown key/],
  [
    "50× too many rows",
    (c) => (c["history"] = Array.from({ length: 50 }, () => history(c)).flat()),
    /: history: got a list of \d+ \(expected at most \d+ entries\)$/,
  ],
  ["a history that is an object", (c) => (c["history"] = {}), /: history: got an empty object \(expected a list of epoch metrics\)$/],
  ["a __proto__ key", (c) => Object.defineProperty(c, "__proto__", { value: {}, enumerable: true }), /: __proto__: a "__proto__" key is not allowed$/],
];

describe("--resume checkpoints: the history and every field checked", () => {
  test("the good checkpoint resumes", () => {
    const folder = join(dir, "resume-good");
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, CHECKPOINT_FILE), JSON.stringify(goodCheckpoint));
    const r = cli("train", spec, "--out", folder, "--resume", "--epochs", "8", "--checkpoint-every", "0");
    expect(r.status, r.stderr).toBe(0);
  });

  test.each(CHECKPOINT_CASES)("%s: one UserError naming the field", (_name, edit, message) => {
    const c = clone(goodCheckpoint);
    expect(history(c).length).toBeGreaterThan(1);
    edit(c);
    const folder = join(dir, "resume-in-process");
    mkdirSync(folder, { recursive: true });
    const path = join(folder, CHECKPOINT_FILE);
    writeFileSync(path, JSON.stringify(c));
    const g = goodCheckpoint as unknown as RunIdentity;
    const run: RunIdentity = {
      epochs: g.epochs,
      seed: g.seed,
      initSeed: g.initSeed,
      evaluateEvery: g.evaluateEvery,
      dataHash: g.dataHash,
      samples: g.samples,
      testDataHash: g.testDataHash,
    };
    let text = "";
    try {
      readCheckpoint(folder, module.meta, run, module.createOptimizer());
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      text = error.message;
    }
    expect(text).toMatch(new RegExp(`^${escaped(path)}${message.source}`));
  });

  test.concurrent.each(CHECKPOINT_CASES.slice(0, 2))(
    "through nnc train --resume, %s: one line, exit 1, no stack trace",
    async (name, edit, message) => {
      const folder = join(dir, `resume-${name.replace(/\W+/g, "-")}`);
      mkdirSync(folder, { recursive: true });
      const c = clone(goodCheckpoint);
      edit(c);
      const path = join(folder, CHECKPOINT_FILE);
      writeFileSync(path, JSON.stringify(c));
      const r = await cliAsync("train", spec, "--out", folder, "--resume", "--epochs", "8", "--checkpoint-every", "0");
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(new RegExp(`^nnc: ${escaped(path)}${message.source}`));
      expect(r.stderr).not.toMatch(/\n\s+at /);
    },
    30_000,
  );
});

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("non-finite normalisation statistics", () => {
  test("refused before anything is written, naming the column; the previous run's files stay", () => {
    const before = readFileSync(join(out, "weights.json"), "utf8");
    const huge = join(dir, "huge.nn");
    writeFileSync(huge, SPEC.replace("row 60.3, 165", "row 60.3, 1.7e308").replace("row 72.6, 183", "row 72.6, 1.6e308"));
    const r = cli("train", huge, "--out", out);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^nnc: .*huge\.nn: feature column 2 of 2: its z-score statistics overflow \(offset Infinity\).*nothing was written\n$/);
    expect(r.stderr).not.toMatch(/learning rate/);
    expect(readFileSync(join(out, "weights.json"), "utf8")).toBe(before);
  });
});
