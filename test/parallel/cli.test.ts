// nnc train --threads N as a user runs it: the same weights.json values for 1, 2 and 3 threads (an f32 net, so the
// WebAssembly kernels run in the helpers), a bad count refused by name.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { buildCli, nnc } from "../support/cli.js";
import { tempDir, writeSpec } from "../train/helpers.js";

beforeAll(buildCli);

const SPEC = [
  "model threads",
  "precision f32",
  "data circles n=600 seed=2",
  // Layer 2 is too big to unroll: the plan blocks the batch and runs the f32x4 WebAssembly kernels.
  "layer fc 2->128 relu",
  "layer fc 128->64 tanh",
  "layer fc 64->1 sigmoid",
  "loss crossentropy",
  "init xavier seed=4",
  "sgd lr=0.5 epochs=4 batch=128 shuffle",
].join("\n");

describe("nnc train --threads", { timeout: 180_000 }, () => {
  const dir = tempDir();
  const spec = writeSpec(dir, "threads.nn", SPEC);

  test("the spec runs on the WebAssembly kernels", () => {
    const r = nnc("build", "--plan", spec);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/kernel wasm/);
  });

  test("1, 2 and 3 threads write the same weights; --threads 0 is refused", () => {
    const values: string[] = [];
    for (const threads of ["1", "2", "3"]) {
      const out = join(dir, `t${threads}`);
      const r = nnc("train", spec, "--out", out, "--threads", threads);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^stopped after 4 epochs/m);
      const weights = JSON.parse(readFileSync(join(out, "weights.json"), "utf8")) as { values: number[] };
      expect(weights.values.length).toBe(2 * 128 + 128 + 128 * 64 + 64 + 64 + 1);
      values.push(JSON.stringify(weights.values));
    }
    expect(values[1]).toBe(values[0]);
    expect(values[2]).toBe(values[0]);
    const bad = nnc("train", spec, "--out", join(dir, "bad"), "--threads", "0");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--threads/);
  });
});
