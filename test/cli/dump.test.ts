// `nnc build --dump STAGE`: every compiler stage's output can be printed (src/compile.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { STAGES } from "../../src/compile.js";
import { loadSpec } from "../../src/front/index.js";
import { formatPlan, planSpec } from "../../src/plan.js";
import { buildCli, nnc } from "../support/cli.js";

beforeAll(buildCli);

describe("nnc build --dump STAGE", () => {
  it("prints each stage of specs/planar.nn", () => {
    const out = Object.fromEntries(STAGES.map((stage) => [stage, nnc("build", "--dump", stage, "specs/planar.nn")]));
    for (const stage of STAGES) expect(out[stage]!.status, `${stage}: ${out[stage]!.stderr}`).toBe(0);
    expect(JSON.parse(out.parse!.stdout).statements.map((s: { keyword: { text: string } }) => s.keyword.text)).toContain("layer");
    expect(JSON.parse(out.lower!.stdout)).toMatchObject({ name: "planar", inputs: 2, outputs: 1 });
    expect(JSON.parse(out.validate!.stdout)).toEqual([]);
    expect(JSON.parse(out.limits!.stdout)).toEqual([]);
    expect(out.plan!.stdout).toBe(`${formatPlan(planSpec(loadSpec("specs/planar.nn")))}\n`);
    expect(out.verify!.stdout).toContain("every invariant holds");
    expect(out.emit!.stdout).toContain("export function lossAndGradient(");
    expect(out.format!.stdout).toBe(readFileSync("generated/planar.ts", "utf8"));
  });

  it("refuses a stage that does not exist, naming the stages", () => {
    const r = nnc("build", "--dump", "codegen", "specs/planar.nn");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no stage "codegen" (the stages: parse, lower, validate, limits, plan, verify, emit, format)');
  });

  it("prints a spec's errors (exit 1) when it stops before the stage, and the stages before it", () => {
    const dir = mkdtempSync(join(tmpdir(), "nnc-dump-"));
    const file = join(dir, "broken.nn");
    writeFileSync(file, "input 2\nlayer fc 2->3 tanh\nlayer fc 4->1 sigmoid\nloss mse\nsgd lr=0.1 epochs=1 batch=1\n");
    const plan = nnc("build", "--dump", "plan", file);
    expect(plan.status).toBe(1);
    expect(plan.stderr).toContain("stops before the plan stage");
    expect(plan.stderr).toContain("NN020");
    const validate = nnc("build", "--dump", "validate", file);
    expect(validate.status).toBe(0);
    expect(JSON.parse(validate.stdout).map((d: { code: string }) => d.code)).toContain("NN020");
    rmSync(dir, { recursive: true, force: true });
  });
});
