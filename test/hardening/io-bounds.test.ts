// Reads are bounded and writes fail clearly (issue 21): the built CLI, spawned as a user runs it, given
// files that never end, pipes nobody writes, devices, gzip bombs, sparse giants, read-only and full file
// systems, paths below a file, empty paths, symlinks and closed pipes. Each ends within seconds with one
// `nnc:` line naming the path and the reason, no stack trace, and nothing written or replaced.
import { spawnSync, execFileSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NNC, ROOT, buildCli, nncWithin } from "../support/cli.js";
import { idxBytes, tempDir, write } from "../data/fixtures.js";

/** `nnc ARGS…` with a deadline: a hang fails the test instead of the suite. */
const run = (args: string[], options: { cwd?: string } = {}) => nncWithin(20_000, args, options.cwd);

/** Exit 1, exactly one `nnc:` line matching `pattern`, no stack trace. */
function expectOneLineError(r: ReturnType<typeof run>, pattern: RegExp): void {
  expect(r.signal, `killed (a hang?): ${r.stderr}`).toBeNull();
  expect(r.status, r.stderr).toBe(1);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^nnc: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
}

const NET = "model io\nlayer fc 2->3 tanh\nlayer fc 3->1 sigmoid\nloss crossentropy\nsgd lr=0.5 epochs=2 batch=2\n";
const ROWS = "row 0, 0 -> 0\nrow 0, 1 -> 1\nrow 1, 0 -> 1\nrow 1, 1 -> 0\n";

let dir: string;
let spec: string;
let weights: string;
beforeAll(() => {
  buildCli();
  dir = tempDir();
  spec = write(dir, "io.nn", NET + ROWS);
  const trained = run(["train", spec, "--out", join(dir, "run")]);
  expect(trained.status, trained.stderr).toBe(0);
  weights = join(dir, "run", "weights.json");
}, 120_000);

describe("every read is bounded", () => {
  it("a FIFO as spec, weights or data is refused at once (no writer: it would block forever)", () => {
    const fifo = join(dir, "pipe.npy");
    execFileSync("mkfifo", [fifo]);
    expectOneLineError(run(["parse", fifo]), /pipe \(FIFO\)/);
    expectOneLineError(run(["predict", spec, "--weights", fifo, "--input", "0,1"]), /pipe \(FIFO\)/);
    expectOneLineError(run(["train", spec, "--data", `${fifo},${fifo}`, "--out", join(dir, "never")]), /pipe \(FIFO\)/);
    expect(existsSync(join(dir, "never"))).toBe(false);
  });

  it("a device (/dev/zero) is not a file", () => {
    expectOneLineError(
      run(["predict", spec, "--weights", "/dev/zero", "--input", "0,1"]),
      /\/dev\/zero: the weights file must be a file, but this is a character device/,
    );
    expectOneLineError(run(["parse", "/dev/zero"]), /character device/);
  });

  it("a file that never ends (/proc/self/pagemap reports size 0) stops at the documented cap", () => {
    const r = run(["parse", "/proc/self/pagemap"]);
    expectOneLineError(r, /\/proc\/self\/pagemap: the spec is larger than nnc's limit of 16 MiB/);
  });

  it("a sparse file past the cap is refused from its size, before reading", () => {
    const big = join(dir, "big.csv");
    writeFileSync(big, "a,b,y\n");
    truncateSync(big, 2 * 1024 ** 3);
    const started = Date.now();
    expectOneLineError(
      run(["train", spec, "--data", big, "--label", "y", "--out", join(dir, "never")]),
      /big\.csv: the CSV file is larger than nnc's limit of 1 GiB/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("a gzip bomb stops inflating where its IDX header says the data ends", () => {
    const header = idxBytes(0x08, [4, 1, 2], new Uint8Array(8));
    const bomb = gzipSync(Buffer.concat([header, Buffer.alloc(64 * 1024 * 1024)]));
    expect(bomb.length).toBeLessThan(200_000);
    write(dir, "bomb.idx.gz", bomb);
    write(dir, "labels.idx", idxBytes(0x08, [4], Uint8Array.from([0, 1, 1, 0])));
    const r = run(["train", spec, "--data", `${join(dir, "bomb.idx.gz")},${join(dir, "labels.idx")}`, "--out", join(dir, "never")]);
    expectOneLineError(r, /bomb\.idx\.gz: inflates to more than the 24 bytes its IDX header declares/);
  });

  it("a header declaring more values than nnc decodes is refused before inflating or decoding", () => {
    // 60000 × 100 × 100 unsigned bytes: 600 MB in the file would be 4.5 GB as float64.
    const header = Buffer.from([0, 0, 0x08, 3, 0, 0, 0xea, 0x60, 0, 0, 0, 100, 0, 0, 0, 100]);
    write(dir, "huge.idx.gz", gzipSync(Buffer.concat([header, Buffer.alloc(1000)])));
    const r = run(["train", spec, "--data", `${join(dir, "huge.idx.gz")},${join(dir, "labels.idx")}`, "--out", join(dir, "never")]);
    expectOneLineError(r, /huge\.idx\.gz: dimensions 60000×100×100 are 600,000,000 values, 4\.47 GiB as float64: more than nnc's limit of 1 GiB/);
  });

  it("a weights file with a UTF-8 byte-order mark loads (editors on Windows write one)", () => {
    const bom = join(dir, "bom.json");
    writeFileSync(bom, "\ufeff" + readFileSync(weights, "utf8"));
    const plain = run(["predict", spec, "--weights", weights, "--input", "0,1"]);
    const marked = run(["predict", spec, "--weights", bom, "--input", "0,1"]);
    expect(marked.status, marked.stderr).toBe(0);
    expect(marked.stdout).toBe(plain.stdout);
  });

  it("says why a path cannot be read: a symlink loop, a name too long, not a folder", () => {
    symlinkSync(join(dir, "loop-b"), join(dir, "loop-a"));
    symlinkSync(join(dir, "loop-a"), join(dir, "loop-b"));
    expectOneLineError(run(["parse", join(dir, "loop-a")]), /too many levels of symbolic links/);
    expectOneLineError(run(["parse", join(dir, `${"n".repeat(300)}.nn`)]), /file name too long/);
    expectOneLineError(run(["parse", join(spec, "inside.nn")]), /a part of the path is a file, not a folder/);
    expectOneLineError(run(["parse", join(dir, "missing.nn")]), /missing\.nn: cannot read the spec: no such file/);
  });
});

describe("every write fails clearly and replaces nothing", () => {
  it("an empty --out (an unset shell variable) is a usage error, and nothing lands in the working folder", () => {
    const cwd = join(dir, "cwd");
    mkdirSync(cwd);
    const r = run(["train", spec, "--out", ""], { cwd });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/argument '' is invalid\. the path is empty/);
    expect(existsSync(join(cwd, "weights.json"))).toBe(false);
  });

  it("--out below a file, a device as the output, an output folder that is a file", () => {
    expectOneLineError(run(["train", spec, "--out", join(spec, "run")]), /cannot write .*io\.nn\/run: a part of the path is a file, not a folder/);
    expectOneLineError(run(["build", spec, "-o", "/dev/null"]), /cannot write \/dev\/null\/io\.ts: a part of the path is a file, not a folder/);
    expectOneLineError(run(["export", spec, "--weights", weights, "-o", "/dev/null"]), /cannot write \/dev\/null: it is a special file/);
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
  });

  it("nnc build of two specs with the same model name writes neither (the second would replace the first)", () => {
    const twin = write(dir, "twin.nn", NET + ROWS);
    const out = join(dir, "twins");
    expectOneLineError(run(["build", spec, twin, "-o", out]), /twin\.nn and .*io\.nn both give .*io\.ts \(the same model name\).*nothing was written/);
    expect(existsSync(out)).toBe(false);
  });

  it("fmt --write keeps a symlink a symlink and the file's permissions, and leaves a read-only file alone", () => {
    const real = write(dir, "real.nn", "model   fmt\nlayer fc 2->1 sigmoid\nloss crossentropy\n");
    chmodSync(real, 0o640);
    const link = join(dir, "link.nn");
    symlinkSync(real, link);
    const r = run(["fmt", "--write", link]);
    expect(r.status, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(readFileSync(real, "utf8")).toMatch(/^model fmt\n/);
    expect(statSync(real).mode & 0o777).toBe(0o640);

    const locked = write(dir, "locked.nn", "model   locked\nlayer fc 2->1 sigmoid\nloss crossentropy\n");
    chmodSync(locked, 0o444);
    expectOneLineError(run(["fmt", "--write", locked]), /locked\.nn: the file is read-only \(chmod u\+w/);
    expect(readFileSync(locked, "utf8")).toMatch(/^model {3}locked/);
  });

  it("a closed pipe (`| head`) ends nnc quietly, a full stdout (/dev/full) is one line", () => {
    const piped = spawnSync("sh", ["-c", `node ${NNC} build --dump emit specs/letters.nn | head -c 10 >/dev/null`], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(piped.status).toBe(0);
    expect(piped.stderr).toBe("");
    const full = spawnSync("sh", ["-c", `node ${NNC} build --dump emit ${spec} >/dev/full`], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    expect(full.status).toBe(1);
    expect(full.stderr).toBe("nnc: cannot write to standard output: no space left on device\n");
  });
});

/** A tmpfs of `size` mounted read-only or not, or null where this process may not mount (not root). */
const mounts: string[] = [];
function mountTmpfs(options: string): string | null {
  const at = join(tempDir(), "mnt");
  mkdirSync(at);
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", at], { encoding: "utf8" });
  if (r.status !== 0) return null;
  mounts.push(at);
  return at;
}
afterAll(() => {
  for (const at of mounts) spawnSync("umount", [at]);
  rmSync(dir, { recursive: true, force: true });
});

const root = process.getuid?.() === 0 && spawnSync("mount", ["--version"]).status === 0;
describe.skipIf(!root)("full and read-only file systems (a tmpfs; needs root: skipped, and reported so, where it cannot mount)", () => {
  it("a read-only file system: one line naming it, nothing written", () => {
    const ro = mountTmpfs("ro,size=1m");
    expect(ro, "mount -t tmpfs failed as root").not.toBeNull();
    expectOneLineError(run(["train", spec, "--out", join(ro!, "run")]), /cannot write .*run.*: read-only file system/);
    expectOneLineError(run(["build", spec, "-o", ro!]), /cannot write .*io\.ts: read-only file system/);
    // A sweep finds out before it trains its first variant.
    const sweep = run(["sweep", "specs/planar.nn", "--out", join(ro!, "sweep")]);
    expectOneLineError(sweep, /cannot write into .*sweep: read-only file system/);
    expect(sweep.stdout).toBe("");
  });

  it("a full disk: one line, no temporary left behind, the earlier file kept", () => {
    const small = mountTmpfs("size=256k");
    expect(small, "mount -t tmpfs failed as root").not.toBeNull();
    const out = join(small!, "generated");
    expect(run(["build", spec, "-o", out]).status).toBe(0);
    const before = readFileSync(join(out, "io.ts"), "utf8");
    // Fill what is left, then build a bigger module over the first.
    spawnSync("sh", ["-c", `head -c 100000000 /dev/zero > ${join(small!, "filler")}`]);
    const wide = write(dir, "io2.nn", NET.replace("2->3 tanh\nlayer fc 3->1", "2->300 tanh\nlayer fc 300->1").replace("model io", "model io") + ROWS);
    expectOneLineError(run(["build", wide, "-o", out]), /cannot write .*io\.ts: no space left on device/);
    expect(readFileSync(join(out, "io.ts"), "utf8")).toBe(before);
    expect(
      execFileSync("ls", ["-a", out], { encoding: "utf8" })
        .split("\n")
        .filter((n) => n.endsWith(".tmp")),
    ).toEqual([]);
  });
});
