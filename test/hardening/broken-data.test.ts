// Broken data at the `nnc train` level (the built CLI, spawned as a user runs it): truncated or corrupt
// .npy / IDX / gzip, CSV with ragged rows or non-numbers, NaN/Inf, labels out of range, features and
// labels of different lengths, an empty file, a directory instead of a file, a missing file. Each gives
// exit code 1 and one clear error naming the file and the position, no stack trace, before training
// starts — and the run folder (which holds the weights of an earlier run) is left byte for byte as it was.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { NNC, ROOT, buildCli } from "../support/cli.js";
import { f64le, i64le, idxBytes, npyBytes, tempDir, write } from "../data/fixtures.js";

const NET = "model broken\nlayer fc 2->4 tanh\nlayer fc 4->3 softmax\nloss crossentropy\nsgd lr=0.1 epochs=3 batch=2\n";
const X = npyBytes("<f8", [4, 2], f64le([1, 2, 3, 4, 5, 6, 7, 8]));
const Y = npyBytes("<i8", [4], i64le([0, 1, 2, 1]));
const u8 = (values: number[]) => Uint8Array.from(values);
const IMAGES = idxBytes(0x08, [4, 1, 2], u8([1, 2, 3, 4, 5, 6, 7, 8]));
const LABELS = idxBytes(0x08, [4], u8([0, 1, 2, 1]));

interface Case {
  name: string;
  data: string;
  files: Record<string, Uint8Array | string | "DIR">;
  /** The file the message must name, and a pattern for the position in it. */
  file: string;
  position: RegExp;
}

const npy = 'data npy "x.npy" labels="y.npy"';
const idx = 'data idx "images.idx" labels="labels.idx"';
const idxGz = 'data idx "images.idx.gz" labels="labels.idx.gz"';
const csv = 'data csv "t.csv" label=y header=true';

const cases: Case[] = [
  { name: "npy truncated data", data: npy, files: { "x.npy": X.slice(0, X.length - 5), "y.npy": Y }, file: "x.npy", position: /byte|offset|bytes/ },
  { name: "npy cut inside its header", data: npy, files: { "x.npy": X.slice(0, 30), "y.npy": Y }, file: "x.npy", position: /byte|offset|header/ },
  {
    name: "npy bad magic",
    data: npy,
    files: { "x.npy": Uint8Array.from([0x50, 0x4b, ...X.slice(2)]), "y.npy": Y },
    file: "x.npy",
    position: /offset 0|byte 0/,
  },
  {
    name: "npy with NaN",
    data: npy,
    files: { "x.npy": npyBytes("<f8", [4, 2], f64le([1, 2, 3, NaN, 5, 6, 7, 8])), "y.npy": Y },
    file: "x.npy",
    position: /element 3|row 2|index 3/,
  },
  {
    name: "npy with Infinity",
    data: npy,
    files: { "x.npy": npyBytes("<f8", [4, 2], f64le([1, 2, 3, 4, 5, Infinity, 7, 8])), "y.npy": Y },
    file: "x.npy",
    position: /element 5|row 3|index 5/,
  },
  {
    name: "labels out of range",
    data: npy,
    files: { "x.npy": X, "y.npy": npyBytes("<i8", [4], i64le([0, 1, 7, 1])) },
    file: "y.npy",
    position: /element 2|row 3|index 2/,
  },
  {
    name: "features and labels of different lengths",
    data: npy,
    files: { "x.npy": X, "y.npy": npyBytes("<i8", [3], i64le([0, 1, 2])) },
    file: "y.npy",
    position: /3|4/,
  },
  { name: "empty npy file", data: npy, files: { "x.npy": new Uint8Array(0), "y.npy": Y }, file: "x.npy", position: /empty|0 bytes|offset 0|byte 0/ },
  { name: "a directory instead of a file", data: npy, files: { "x.npy": "DIR", "y.npy": Y }, file: "x.npy", position: /directory/ },
  { name: "a missing file", data: npy, files: { "y.npy": Y }, file: "x.npy", position: /no such file|not found|does not exist/ },
  {
    name: "IDX truncated",
    data: idx,
    files: { "images.idx": IMAGES.slice(0, IMAGES.length - 3), "labels.idx": LABELS },
    file: "images.idx",
    position: /byte|offset|bytes/,
  },
  {
    name: "IDX bad magic",
    data: idx,
    files: { "images.idx": Uint8Array.from([7, 7, ...IMAGES.slice(2)]), "labels.idx": LABELS },
    file: "images.idx",
    position: /offset 0|byte 0/,
  },
  {
    name: "gzip corrupt",
    data: idxGz,
    files: {
      "images.idx.gz": (() => {
        const g = idxBytes(0x08, [4, 1, 2], u8([1, 2, 3, 4, 5, 6, 7, 8]), true);
        g.fill(0x41, 12, 20);
        return g;
      })(),
      "labels.idx.gz": idxBytes(0x08, [4], u8([0, 1, 2, 1]), true),
    },
    file: "images.idx.gz",
    position: /gzip|byte|offset|corrupt|invalid/i,
  },
  {
    name: "gzip truncated",
    data: idxGz,
    files: {
      "images.idx.gz": idxBytes(0x08, [4, 1, 2], u8([1, 2, 3, 4, 5, 6, 7, 8]), true).slice(0, 25),
      "labels.idx.gz": idxBytes(0x08, [4], u8([0, 1, 2, 1]), true),
    },
    file: "images.idx.gz",
    position: /gzip|byte|offset|truncated|end/i,
  },
  { name: "CSV ragged row", data: csv, files: { "t.csv": "a,b,y\n1,2,0\n3,4\n5,6,2\n" }, file: "t.csv", position: /:3\b|line 3/ },
  { name: "CSV non-number", data: csv, files: { "t.csv": "a,b,y\n1,2,0\n3,four,1\n5,6,2\n" }, file: "t.csv", position: /:3\b|line 3/ },
  { name: "CSV NaN", data: csv, files: { "t.csv": "a,b,y\n1,2,0\n3,4,1\nNaN,6,2\n" }, file: "t.csv", position: /:4\b|line 4/ },
  { name: "CSV label out of range", data: csv, files: { "t.csv": "a,b,y\n1,2,0\n3,4,1\n5,6,3\n" }, file: "t.csv", position: /:4\b|line 4/ },
  { name: "empty CSV", data: csv, files: { "t.csv": "" }, file: "t.csv", position: /empty|no rows|no data|line/ },
];

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("node", [NNC, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every file of a folder and its bytes, to compare before and after. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((n) => [n, readFileSync(join(dir, n)).toString("base64")]),
  );
}

beforeAll(buildCli);

describe("nnc train on broken data", { timeout: 600_000 }, () => {
  const root = tempDir();
  const prepared = cases.map((c, i) => {
    const dir = join(root, `case${i}`);
    mkdirSync(dir);
    for (const [name, content] of Object.entries(c.files)) {
      if (content === "DIR") mkdirSync(join(dir, name));
      else write(dir, name, content);
    }
    const spec = write(dir, "broken.nn", `${NET}${c.data}\n`);
    const out = join(dir, "run");
    mkdirSync(out);
    writeFileSync(join(out, "weights.json"), '{"format": "nnc-weights", "earlier": "run"}\n');
    writeFileSync(join(out, "history.csv"), "epoch,learning_rate,loss\n1,0.1,0.5\n");
    return { ...c, spec, out, before: snapshot(out) };
  });
  // Two CLI processes at a time (two cores); each case is still its own process.
  const results = new Map<string, Promise<Awaited<ReturnType<typeof run>>>>();
  const queue = [...prepared];
  const running: Promise<unknown>[] = [];
  const start = () => {
    const c = queue.shift();
    if (!c) return;
    const p = run(["train", c.spec, "--out", c.out]);
    results.set(c.name, p);
    running.push(p.then(start));
  };

  test.each(prepared)("$name: exit 1, names $file and the position, no stack trace, run folder untouched", async (c) => {
    if (results.size === 0) {
      start();
      start();
    }
    while (!results.has(c.name)) await Promise.race(running);
    const r = await results.get(c.name)!;
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(c.file);
    expect(r.stderr, r.stderr).toMatch(c.position);
    expect(r.stderr).not.toMatch(/\n\s+at .*(\.js|\.ts):\d+/); // no stack trace
    expect(
      r.stderr
        .trim()
        .split("\n")
        .filter((l) => l.startsWith("nnc:")).length,
      r.stderr,
    ).toBe(1); // one error
    expect(r.stdout).not.toMatch(/^epoch /m); // training never started
    expect(snapshot(c.out)).toEqual(c.before);
  });
});
