// The built CLI as the tests run it: `node bin/nnc.js …` from the repository root, and the build that makes
// dist/ (npm test's pretest builds it too; a file run on its own needs it).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect } from "vitest";

export const ROOT = join(import.meta.dirname, "../..");
export const NNC = join(ROOT, "bin/nnc.js");

/** Runs `nnc ARGS…` to completion from the repository root (stdout piped: not a TTY). */
export const nnc = (...args: string[]) => spawnSync("node", [NNC, ...args], { cwd: ROOT, encoding: "utf8" });

/** `nnc ARGS…` with a deadline of `timeout` ms, from `cwd`: a hang fails the test (the result has a signal) instead of the suite. */
export const nncWithin = (timeout: number, args: string[], cwd = ROOT) => spawnSync("node", [NNC, ...args], { cwd, encoding: "utf8", timeout });

/** Builds dist/ (for use in beforeAll); fails the file when the build fails. */
export function buildCli(): void {
  const build = spawnSync("node", ["scripts/build.mjs"], { cwd: ROOT, encoding: "utf8" });
  expect(build.status, build.stderr).toBe(0);
}
