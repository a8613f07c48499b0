// `nnc data letters` through the real commander wiring, in-process (spawning the CLI would only add start-up time).
import { describe, expect, it, vi } from "vitest";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { register, parseCount } from "../../src/commands/data.js";
import { readNpy } from "../../src/data/npy.js";
import { UserError } from "../../src/errors.js";

const DEJAVU = "/usr/share/fonts/truetype/dejavu";

async function run(args: string[]): Promise<string> {
  const program = new Command("nnc").exitOverride();
  register(program);
  let printed = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    printed += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(["node", "nnc", ...args]);
  } finally {
    spy.mockRestore();
  }
  return printed;
}

describe("nnc data letters", () => {
  it("writes train/val x and y as .npy with the documented shapes and dtypes, plus a PNG preview", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "nnc-letters-")), "set");
    mkdirSync(out);
    writeFileSync(join(out, "train-x.npy"), "stale contents from an earlier run");
    const printed = await run(["data", "letters", "--out", out, "--train", "104", "--val", "52", "--seed", "9", "--fonts", DEJAVU]);
    expect(printed).toMatch(/104 training \+ 52 validation glyphs/);
    // Exactly the outputs: no temporary files left behind by the atomic writes.
    expect(readdirSync(out).sort()).toEqual(["info.json", "preview.png", "train-x.npy", "train-y.npy", "val-x.npy", "val-y.npy"]);
    const trainX = readNpy(join(out, "train-x.npy"));
    expect(trainX.dtype).toBe("float32");
    expect(trainX.shape).toEqual([104, 17, 17]);
    expect(trainX.data.every((v) => v >= 0 && v <= 1)).toBe(true);
    const trainY = readNpy(join(out, "train-y.npy"));
    expect(trainY.dtype).toBe("uint8");
    expect(trainY.shape).toEqual([104]);
    expect(new Set(trainY.data).size).toBe(26); // 104 = 4 × 26, balanced
    expect(readNpy(join(out, "val-x.npy")).shape).toEqual([52, 17, 17]);
    expect(readNpy(join(out, "val-y.npy")).shape).toEqual([52]);
    const png = readFileSync(join(out, "preview.png"));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const info = JSON.parse(readFileSync(join(out, "info.json"), "utf8"));
    expect(info.seed).toBe(9);
    expect(info.fonts.length).toBeGreaterThan(0);
  });

  it("writes the same bytes for the same seed, and different validation and training streams", async () => {
    const base = mkdtempSync(join(tmpdir(), "nnc-letters-"));
    await run(["data", "letters", "--out", join(base, "a"), "--train", "52", "--val", "52", "--fonts", DEJAVU]);
    await run(["data", "letters", "--out", join(base, "b"), "--train", "52", "--val", "52", "--fonts", DEJAVU]);
    const bytes = (dir: string, name: string): Buffer => readFileSync(join(base, dir, name));
    expect(bytes("a", "train-x.npy").equals(bytes("b", "train-x.npy"))).toBe(true);
    expect(bytes("a", "val-y.npy").equals(bytes("b", "val-y.npy"))).toBe(true);
    // Same size sets, but the validation glyphs are not a copy of the training glyphs.
    expect(bytes("a", "train-x.npy").equals(bytes("a", "val-x.npy"))).toBe(false);
  });

  it("refuses bad counts and seeds with a UserError naming the flag and value, writing nothing", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "nnc-letters-")), "never");
    for (const [flag, value, message] of [
      ["--train", "abc", /--train must be a whole number, got 'abc'/],
      ["--train", "0", /--train must be between 1 and 1000000, got 0/],
      ["--train", "1.5", /--train must be a whole number/],
      ["--val", "-3", /--val must be a whole number, got '-3'/],
      ["--seed", "99999999999", /--seed must be between 0 and 4294967295/],
    ] as const) {
      await expect(run(["data", "letters", "--out", out, flag, value, "--fonts", DEJAVU])).rejects.toThrow(message);
    }
    expect(existsSync(out)).toBe(false);
    expect(() => parseCount("--train", "2000000", 1, 1_000_000)).toThrow(UserError);
    expect(parseCount("--train", "50000", 1, 1_000_000)).toBe(50000);
  });

  it("names the font package when a --fonts directory holds no usable font", async () => {
    const empty = mkdtempSync(join(tmpdir(), "nnc-nofonts-"));
    await expect(run(["data", "letters", "--out", join(empty, "o"), "--train", "26", "--val", "26", "--fonts", empty])).rejects.toThrow(
      /install a font package \(e\.g\. `apt-get install fonts-dejavu-core`\)/,
    );
  });
});
