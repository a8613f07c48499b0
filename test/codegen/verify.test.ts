// The plan verifier (src/plan/verify.ts) between plan and emit: clean on every plan the planner makes, and
// each invariant it names caught when a plan is broken on purpose.
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSpec } from "../../src/front/index.js";
import { planSpec, type Plan, type PlanOptions } from "../../src/plan.js";
import { assertPlan, verifyPlan } from "../../src/plan/verify.js";
import { randomSpec } from "../support/random-spec.js";

const OPTIONS: PlanOptions[] = [
  {},
  { unrollLimit: 0 },
  { batchShape: "blocked", chunkLimit: 3 },
  { batchShape: "blocked", kernel: "ts" },
  { sampleShape: "fused", unrollLimit: Infinity },
  { precision: "f32", batchShape: "blocked", unrollLimit: 0 },
];
const specs = readdirSync("specs")
  .filter((f) => f.endsWith(".nn"))
  .sort()
  .map((f) => parseSpec(readFileSync(`specs/${f}`, "utf8"), f).spec!);

/** A deep copy (Maps included) to break. */
function copy(plan: Plan): Plan {
  return structuredClone(plan);
}

describe("verifyPlan", () => {
  it("finds nothing wrong with the plans of specs/ and 80 random specs under six plan options", () => {
    const all = [...specs, ...Array.from({ length: 80 }, (_, i) => randomSpec(i + 1))];
    const problems = all.flatMap((spec) => OPTIONS.flatMap((o) => verifyPlan(planSpec(spec, o)).map((p) => `${spec.name} ${JSON.stringify(o)}: ${p}`)));
    expect(problems).toEqual([]);
  });

  const blocked = planSpec(specs.find((s) => s.name === "letters")!);
  const perSample = planSpec(randomSpec(12, { dropout: true }), { batchShape: "per-sample" });
  const breakages: [string, Plan, (p: Plan) => void, string][] = [
    ["a tensor out of place", perSample, (p) => void (p.tensors[1]!.offset += 1), "starts at"],
    ["a layout that misses parameters", perSample, (p) => void (p.parameters += 1), "the layout covers"],
    ["a buffer declared twice", perSample, (p) => void p.buffers.push({ ...p.buffers[0]! }), "declared twice"],
    ["a layer reading a buffer that is not there", perSample, (p) => void (p.layers[1]!.input = { kind: "buffer", name: "A99" }), "A99"],
    ["an output of the wrong size", perSample, (p) => void (p.buffers.find((b) => b.name === p.output)!.size += 1), "not the"],
    ["a matrix product past the parameters", blocked, (p) => void (p.matmuls[1]!.weightOffset = p.parameters - 10), "leave the parameters"],
    ["a chunk buffer of the wrong size", blocked, (p) => void (p.batchBuffers[0]!.size -= 1), "rows ×"],
    ["overlapping kernel regions", blocked, (p) => void p.kernels!.memory.offsets.set("G", 16), "overlap"],
    ["a kernel region past the memory", blocked, (p) => void (p.kernels!.memory.pages = 1), "leaves the"],
    ["an unaligned kernel region", blocked, (p) => void p.kernels!.memory.offsets.set("GINB", p.kernels!.memory.offsets.get("GINB")! + 8), "aligned"],
  ];
  for (const [what, plan, breakIt, message] of breakages) {
    it(`catches ${what}`, () => {
      expect(verifyPlan(plan)).toEqual([]);
      const broken = copy(plan);
      breakIt(broken);
      const problems = verifyPlan(broken);
      expect(problems.join("\n")).toContain(message);
      expect(() => assertPlan(broken)).toThrow(/is malformed \(a bug in nnc/);
    });
  }
});
