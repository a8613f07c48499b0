// `nnc build` and `nnc build --check`, run in-process through commander (as the CLI wires them).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, describe, expect, it, vi } from "vitest";
import { register } from "../../src/commands/build.js";
import { UserError } from "../../src/errors.js";

const out = mkdtempSync(join(tmpdir(), "nnc-build-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function nnc(...args: string[]): Promise<string> {
  const program = new Command("nnc").exitOverride();
  register(program);
  const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  try {
    await program.parseAsync(["node", "nnc", ...args]);
    return write.mock.calls.map((c) => String(c[0])).join("");
  } finally {
    write.mockRestore();
  }
}

describe("nnc build", () => {
  const golden = "test/golden/planar";
  it("writes DIR/<model>.ts: the same text the golden test pins", async () => {
    expect(await nnc("build", `${golden}/input.nn`, "-o", out)).toContain(`wrote ${join(out, "planar.ts")}`);
    expect(readFileSync(join(out, "planar.ts"), "utf8")).toBe(readFileSync(`${golden}/expected.ts`, "utf8"));
  });

  it("--check passes when up to date, and names stale and missing modules", async () => {
    await nnc("build", `${golden}/input.nn`, "-o", out);
    expect(await nnc("build", "--check", `${golden}/input.nn`, "-o", out)).toContain("1 module up to date");
    writeFileSync(join(out, "planar.ts"), "// edited\n");
    await expect(nnc("build", "--check", `${golden}/input.nn`, "-o", out)).rejects.toThrow(/planar\.ts: stale/);
    rmSync(join(out, "planar.ts"));
    const error = await nnc("build", "--check", `${golden}/input.nn`, "-o", out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/planar\.ts: missing/);
  });

  it("reports a bad spec at its file, line and column, as a UserError", async () => {
    const bad = join(out, "bad.nn");
    writeFileSync(bad, "model bad\nlayer fc 2->3 tanh\nlayer fc 4->1 sigmoid\n");
    const error = await nnc("build", bad, "-o", out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain(`${bad}:3:`);
  });

  it("--plan prints the plan instead of writing", async () => {
    const text = await nnc("build", "--plan", `${golden}/input.nn`);
    expect(text).toContain("plan planar (f64): 17 parameters");
    expect(text).toContain("layer1.weight [4, 2] at 0 (8)");
    expect(text).toContain("forward unrolled: forward 2→4: 8 multiply-adds ≤ 512");
  });

  it("generated/ is up to date with specs/ (what CI checks)", async () => {
    expect(await nnc("build", "--check")).toMatch(/modules? up to date in generated\//);
  });
});
