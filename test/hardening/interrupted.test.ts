// Interrupted runs, as a user meets them: `nnc train` killed with SIGKILL (kill -9) at random moments,
// many times in a row, each time resumed with `--resume`. After every kill, every file in the run folder
// parses and loads (weights.json against the module, checkpoint.json as a checkpoint whose epoch never
// goes backwards); the last resume ends with weights.json and history.csv byte-identical to an
// uninterrupted run. Also: Ctrl-C then --resume (f32, momentum, cosine schedule; and `stop early` whose
// patience count spans the interruption), and --resume refusing a checkpoint that belongs to another run.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { NNC, ROOT, buildCli, nnc } from "../support/cli.js";
import { loadSpec } from "../../src/front/index.js";
import { buildAndLoad } from "../../src/harness/load.js";
import type { GeneratedModule } from "../../src/module-api.js";
import { checkWeights, readWeightsFile } from "../../src/train/weights-file.js";
import { LOCK_FILE } from "../../src/train/run-lock.js";
import { CURRENT_LINK, GENERATIONS } from "../../src/train/run-unit.js";
import { CHECKPOINT_FILE, TEMPORARY_FILE, buildCheckpoint, readCheckpoint, writeCheckpoint, type RunIdentity } from "../../src/train/checkpoint.js";
import { tempDir, writeSpec } from "../train/helpers.js";

// Adam (two slots), dropout (per-batch masks), shuffled batches: every piece of state a resume must restore.
const RESUMABLE = `model resumable
data planar n=200 seed=5
layer fc 2->6 tanh
layer dropout p=0.2
layer fc 6->1 sigmoid
loss crossentropy
init xavier seed=4
adam lr=0.01 epochs=1000 batch=32 shuffle
`;

// f32, momentum and a cosine schedule (the learning rate depends on the epoch).
const F32 = `model resumable32
data planar n=120 seed=2
layer fc 2->5 relu
layer fc 5->1 sigmoid
loss crossentropy
init he seed=1
momentum lr=0.05 beta=0.9 epochs=100000 batch=16 shuffle
schedule cosine
precision f32
`;

// Early stopping that cannot see an improvement after its first evaluation (min_delta far above any
// change of the loss): the best epoch is the first evaluated one and the run stops at evaluation 1 + 150,
// epoch 37,750 with --eval-every 250, so wherever the Ctrl-C lands before that, the checkpoint holds a
// patience count already running and best weights that are not the current ones.
const PATIENT = `model patient
data planar n=160 seed=3
split 0.25
layer fc 2->5 tanh
layer fc 5->1 sigmoid
loss crossentropy
init xavier seed=2
adam lr=0.01 epochs=100000 batch=16 shuffle
stop early monitor=val_loss patience=150 min_delta=1000
`;

/** Seeded uniform [0, 1) (mulberry32), so the kill moments are the same on every run of the test. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Launched {
  child: ChildProcess;
  /** Resolves when the child prints its first --json epoch line (training has started) or exits. */
  started: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

/** Spawns the CLI, always draining stdout and stderr (an unread pipe would block a --json run when it fills). */
function launch(args: string[]): Launched {
  const child = spawn("node", [NNC, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const started = new Promise<void>((resolve) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (out.length < 4096) out += chunk.toString("utf8");
      if (out.includes('"type":"epoch"')) resolve();
    });
    void exited.then(() => resolve());
  });
  child.stderr!.on("data", (c: Buffer) => (err += c.toString("utf8")));
  return { child, started, exited, stderr: () => err };
}

/** Every file in the run folder parses and loads; returns the checkpoint's epoch (or -1). Leftover temporaries of writeFileAtomic are the only files allowed to be partial. */
function assertRunFolderLoads(dir: string, module: GeneratedModule): number {
  if (!existsSync(dir)) return -1;
  let epoch = -1;
  for (const name of readdirSync(dir)) {
    // The generation folder and its link (src/train/run-unit.ts): the names below are read through them.
    if (name === CURRENT_LINK || name === GENERATIONS) continue;
    const path = join(dir, name);
    const text = readFileSync(path, "utf8");
    if (TEMPORARY_FILE.test(name)) continue;
    if (name === "weights.json") {
      const w = checkWeights(readWeightsFile(path), module.meta, path);
      module.loadWeights(w);
    } else if (name === CHECKPOINT_FILE) {
      const c = JSON.parse(text);
      expect(c.format).toBe("nnc-checkpoint");
      expect(c.values).toHaveLength(module.meta.parameters);
      expect(c.values.every(Number.isFinite)).toBe(true);
      expect(module.loadWeights({ ...module.saveWeights(module.createParameters()), values: c.values })).toHaveLength(module.meta.parameters);
      epoch = c.epoch;
    } else if (name === "history.json") {
      expect(JSON.parse(text).model).toBe(module.meta.name);
    } else if (name === "history.csv") {
      expect(text.startsWith("epoch,learning_rate,loss")).toBe(true);
      expect(text.endsWith("\n")).toBe(true);
    } else if (name.endsWith(".svg")) {
      expect(text.trimEnd().endsWith("</svg>")).toBe(true);
    } else if (name === LOCK_FILE) {
      // The killed run's lock: its pid, which no longer runs (the next run takes it over).
      expect(text).toMatch(/^\d+\n$/);
    } else {
      throw new Error(`unexpected file in the run folder: ${name}`);
    }
  }
  return epoch;
}

beforeAll(buildCli);

describe("kill -9 at random moments, then --resume", { timeout: 900_000 }, () => {
  test("24 SIGKILLs: every file always loads, the checkpoint never goes back, the final weights equal an uninterrupted run's", async () => {
    const dir = tempDir("nnc-kill-");
    const spec = writeSpec(dir, "resumable.nn", RESUMABLE);
    const module = await buildAndLoad(loadSpec(spec));
    const reference = join(dir, "reference");
    // The uninterrupted run also measures this machine: how long start-up takes and how long training runs.
    // Kill moments are drawn as fractions of these, so the test kills as often, and as deep into training,
    // on an idle machine as on a busy one (fixed millisecond delays let an idle machine finish early).
    const t0 = Date.now();
    const r = launch(["train", spec, "--out", reference, "--json"]);
    await r.started;
    const startupMs = Date.now() - t0;
    const rEnd = await r.exited;
    const trainingMs = Date.now() - t0 - startupMs;
    expect(rEnd.code, r.stderr()).toBe(0);

    // The run folder starts with the weights of an earlier finished run: they must stay loadable throughout.
    const out = join(dir, "killed");
    mkdirSync(out);
    copyFileSync(join(reference, "weights.json"), join(out, "weights.json"));

    const rand = random(20261122);
    let kills = 0;
    let lastEpoch = -1;
    let finished = false;
    const moments: string[] = [];
    for (let attempt = 0; attempt < 60 && !finished; attempt++) {
      const resume = existsSync(join(out, CHECKPOINT_FILE));
      const { child, started, exited, stderr } = launch(["train", spec, "--out", out, "--json", "--checkpoint-every", "0", ...(resume ? ["--resume"] : [])]);
      if (kills < 24) {
        // Most kills land while training (checkpoints being written); every fourth anywhere from process start.
        const early = kills % 4 === 3;
        if (!early) await started;
        // 18 training kills, each within the first 1/30 of a full run's training time: together they cost at
        // most 0.6 of a run's worth of progress (0.3 expected), so the run is still unfinished when the 24th
        // kill lands even if later runs train faster than the measuring one (a less loaded machine).
        const delay = Math.floor(rand() * (early ? startupMs : trainingMs / 30));
        // An early kill lands before training starts even when this start-up is quicker than the measured one
        // (the measuring run is the first and slowest: a kill at its start-up's 2.6 s once landed 2 s deep into
        // a later, quicker run's training, which then finished after 7 kills).
        await (early ? Promise.race([sleep(delay), started]) : sleep(delay));
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGKILL");
          kills++;
          moments.push(`${early ? "start" : "training"}+${delay}ms`);
        }
      }
      const end = await exited;
      if (end.signal === null) {
        expect(end.code, stderr()).toBe(0);
        finished = true;
      }
      const epoch = assertRunFolderLoads(out, module);
      if (!finished) {
        expect(epoch, `checkpoint went back after kill ${kills}`).toBeGreaterThanOrEqual(lastEpoch);
        lastEpoch = epoch;
      }
    }
    expect(kills, moments.join(", ")).toBeGreaterThanOrEqual(20);
    expect(finished).toBe(true);
    expect(lastEpoch, "some kills must land after checkpoints were written").toBeGreaterThan(0);
    expect(readFileSync(join(out, "weights.json"), "utf8")).toBe(readFileSync(join(reference, "weights.json"), "utf8"));
    expect(readFileSync(join(out, "history.csv"), "utf8")).toBe(readFileSync(join(reference, "history.csv"), "utf8"));
    expect(readdirSync(out).sort()).toEqual(readdirSync(reference).sort()); // no checkpoint, no temporaries left
  });
});

describe("Ctrl-C then --resume", { timeout: 300_000 }, () => {
  test("f32 + momentum + cosine schedule: the resumed run ends byte-identical to the uninterrupted one", async () => {
    const dir = tempDir("nnc-resume-");
    const spec = writeSpec(dir, "r32.nn", F32);
    const reference = join(dir, "reference");
    // Evaluated (and checkpointed) every 250 epochs: 400 checkpoints over ~4 s of training on an idle machine.
    expect(nnc("train", spec, "--out", reference, "--json", "--eval-every", "250").status).toBe(0);

    const out = join(dir, "stopped");
    const { child, started, exited, stderr } = launch(["train", spec, "--out", out, "--json", "--checkpoint-every", "0", "--eval-every", "250"]);
    await started;
    // Ctrl-C as soon as the first checkpoint exists (1 % into training). No fixed delay after it: on a fast
    // machine a delay of a few hundred milliseconds let the whole run finish before the signal arrived.
    for (let i = 0; i < 20_000 && !existsSync(join(out, CHECKPOINT_FILE)); i++) await sleep(5);
    child.kill("SIGINT");
    const end = await exited;
    expect(end.code, stderr()).toBe(130);
    const checkpoint = JSON.parse(readFileSync(join(out, CHECKPOINT_FILE), "utf8"));
    expect(checkpoint.epoch).toBeGreaterThan(0);
    expect(checkpoint.epoch).toBeLessThan(100000);
    expect(checkpoint.precision).toBe("f32");
    expect(Object.keys(checkpoint.optimizer.slots)).toEqual(["v"]);

    const resumed = nnc("train", spec, "--out", out, "--resume", "--eval-every", "250");
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming from ${join(out, CHECKPOINT_FILE)} after epoch ${checkpoint.epoch} of 100000`);
    expect(readFileSync(join(out, "weights.json"), "utf8")).toBe(readFileSync(join(reference, "weights.json"), "utf8"));
    expect(readFileSync(join(out, "history.csv"), "utf8")).toBe(readFileSync(join(reference, "history.csv"), "utf8"));
    expect(existsSync(join(out, CHECKPOINT_FILE))).toBe(false);
  });
});

describe("Ctrl-C then --resume with stop early", { timeout: 300_000 }, () => {
  test("the patience count, best value and best weights carry over: same stop epoch, byte-identical files", async () => {
    const dir = tempDir("nnc-resume-early-");
    const spec = writeSpec(dir, "patient.nn", PATIENT);
    const reference = join(dir, "reference");
    expect(nnc("train", spec, "--out", reference, "--eval-every", "250").status).toBe(0);
    const whole = JSON.parse(readFileSync(join(reference, "weights.json"), "utf8"));
    expect(whole.run.stoppedBy).toBe("early");
    expect(whole.run.epochs).toBe(250 * 151);

    const out = join(dir, "stopped");
    const { child, started, exited, stderr } = launch(["train", spec, "--out", out, "--json", "--checkpoint-every", "0", "--eval-every", "250"]);
    await started;
    // Ctrl-C as soon as the second checkpoint exists (the first is taken at the best epoch, before any wait).
    const evaluated = () => (existsSync(join(out, CHECKPOINT_FILE)) ? JSON.parse(readFileSync(join(out, CHECKPOINT_FILE), "utf8")).epoch : 0);
    for (let i = 0; i < 20_000 && evaluated() < 500; i++) await sleep(5);
    child.kill("SIGINT");
    expect((await exited).code, stderr()).toBe(130);
    const checkpoint = JSON.parse(readFileSync(join(out, CHECKPOINT_FILE), "utf8"));
    expect(checkpoint.version).toBe(2);
    expect(checkpoint.testDataHash).toMatch(/^[0-9a-f]{64}$/); // the validation split decides the stop: a resume must see the same
    expect(checkpoint.epoch).toBeGreaterThanOrEqual(500);
    expect(checkpoint.epoch).toBeLessThan(whole.run.epochs); // the stop comes after the interruption...
    expect(checkpoint.earlyStopping.bestEpoch).toBe(249); // ...and the patience count spans it
    expect(checkpoint.earlyStopping.waited).toBe(checkpoint.epoch / 250 - 1);

    const resumed = nnc("train", spec, "--out", out, "--resume", "--eval-every", "250");
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`after epoch ${checkpoint.epoch} of 100000`);
    expect(readFileSync(join(out, "weights.json"), "utf8")).toBe(readFileSync(join(reference, "weights.json"), "utf8"));
    expect(readFileSync(join(out, "history.csv"), "utf8")).toBe(readFileSync(join(reference, "history.csv"), "utf8"));
    expect(existsSync(join(out, CHECKPOINT_FILE))).toBe(false);

    // The same checkpoint as an older nnc wrote it (version 1, no early-stopping state) is refused, clearly.
    const old = join(dir, "old");
    mkdirSync(old);
    const { earlyStopping: _dropped, ...v1 } = { ...checkpoint, version: 1 };
    writeFileSync(join(old, CHECKPOINT_FILE), JSON.stringify(v1));
    const refused = nnc("train", spec, "--out", old, "--resume", "--eval-every", "250");
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/version 1 checkpoint.*stop early.*Train again without --resume/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("--resume refuses what it cannot continue", { timeout: 300_000 }, () => {
  const dir = tempDir("nnc-resume-refuse-");
  const specPath = writeSpec(
    dir,
    "g.nn",
    "model g\nlayer fc 2->3 tanh\nlayer fc 3->1 sigmoid\nloss crossentropy\nadam lr=0.1 epochs=50 batch=2\nrow 0, 0 -> 0\nrow 0, 1 -> 1\nrow 1, 0 -> 1\nrow 1, 1 -> 0\n",
  );

  test("no checkpoint: exit 1, a message naming the folder, no stack trace", () => {
    const r = nnc("train", specPath, "--out", join(dir, "empty"), "--resume");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`no checkpoint in ${join(dir, "empty")}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test("a checkpoint from another seed, epoch count, spec or data is refused, naming each difference", async () => {
    const module = await buildAndLoad(loadSpec(specPath));
    const run: RunIdentity = { epochs: 50, seed: 1, initSeed: 1, evaluateEvery: 1, dataHash: "d".repeat(64), samples: 4, testDataHash: null };
    const opt = module.createOptimizer();
    const out = join(dir, "other");
    writeCheckpoint(out, buildCheckpoint(module.meta, run, 10, module.createParameters(), opt, { kind: "none", offset: [0, 0], scale: [1, 1] }, []));
    expect(readCheckpoint(out, module.meta, run, opt).checkpoint.epoch).toBe(10);
    expect(() => readCheckpoint(out, module.meta, { ...run, seed: 2, epochs: 60 }, opt)).toThrow(
      /seed: checkpoint 1, this run 2[\s\S]*epochs|epochs[\s\S]*seed/,
    );
    expect(() => readCheckpoint(out, { ...module.meta, specHash: "x" }, run, opt)).toThrow(/spec hash.*the spec changed/);
    expect(() => readCheckpoint(out, module.meta, { ...run, dataHash: "e".repeat(64) }, opt)).toThrow(/training data hash/);
    expect(() => readCheckpoint(out, module.meta, { ...run, testDataHash: "f".repeat(64) }, opt)).toThrow(
      /test data hash: checkpoint null.*the test data changed/,
    );
    // A real CLI resume against it: the data hash differs from the spec's rows, so it is refused with exit 1.
    const r = nnc("train", specPath, "--out", out, "--resume");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/does not belong to this run/);
    // Corrupt checkpoints: truncated JSON, wrong lengths, NaN smuggled as a string.
    const text = readFileSync(join(out, CHECKPOINT_FILE), "utf8");
    for (const broken of [text.slice(0, text.length / 2), text.replace(/"values": \[[^\]]*\]/, '"values": [1,2]'), text.replace(/"t":\d+/, '"t":"NaN"')]) {
      writeFileSync(join(out, CHECKPOINT_FILE), broken);
      expect(() => readCheckpoint(out, module.meta, run, opt)).toThrow(/--resume: .*checkpoint/);
    }
  });
});
