// The plan verifier: the invariants every emitter relies on, checked on the plan itself between plan and
// emit (src/compile.ts runs it on every module; tests plant broken plans). A problem here is a bug in the
// planner or in a layer rule, never a user's mistake: compile throws it as an internal error rather than
// emit a module that reads a buffer that is not there or writes past a region.
import type { Plan } from "../plan.js";
import { ruleOf } from "../layers/index.js";
import { batchName, type InputGradientTarget, type InputSource } from "./base.js";

/** Every violated invariant of `plan`, one line each; empty when the plan is well formed. */
export function verifyPlan(plan: Plan): string[] {
  const problems: string[] = [];
  const problem = (text: string): void => void problems.push(text);

  // The parameter layout covers 0 … parameters − 1 exactly: contiguous, in order, no overlap, sizes = shapes.
  let next = 0;
  const tensorNames = new Set<string>();
  for (const t of plan.tensors) {
    if (tensorNames.has(t.name)) problem(`tensor ${t.name} is laid out twice`);
    tensorNames.add(t.name);
    if (t.offset !== next) problem(`tensor ${t.name} starts at ${t.offset}, not at ${next} where the previous one ends`);
    const size = t.shape.reduce((product, n) => product * n, 1);
    if (t.size !== size) problem(`tensor ${t.name} has size ${t.size} but shape [${t.shape.join(", ")}] holds ${size}`);
    next = t.offset + t.size;
  }
  if (next !== plan.parameters) problem(`the layout covers ${next} numbers but the plan has ${plan.parameters} parameters`);
  if (plan.layout.length !== plan.tensors.length || plan.layout.some((t, i) => t.name !== plan.tensors[i]!.name || t.offset !== plan.tensors[i]!.offset)) {
    problem("meta's layout and the placed tensors disagree");
  }

  // Buffer names are unique; everything a layer reads or writes exists, with the right size.
  const sizes = new Map<string, number>();
  for (const b of [...plan.buffers, ...plan.batchBuffers]) {
    if (sizes.has(b.name)) problem(`buffer ${b.name} is declared twice`);
    if (!(Number.isInteger(b.size) && b.size > 0)) problem(`buffer ${b.name} has size ${b.size}`);
    sizes.set(b.name, b.size);
  }
  // The fused body keeps some buffers in locals (its rules say which): those are not declared.
  const locals = new Set(plan.sample.shape === "fused" ? plan.layers.flatMap((l) => ruleOf(l).fused.locals?.(l) ?? []) : []);
  // A blocked plan has no per-sample backward: its buffers (its rules say which) live only as chunk copies,
  // or not at all (a convolution's dL/dz is its channel-last chunk-only buffer instead).
  if (plan.batch.shape === "blocked")
    for (const name of plan.layers.flatMap((l) => ruleOf(l).blocked.sampleBackwardBuffers?.(l) ?? [])) if (name !== plan.outputDelta) locals.add(name);
  const exists = (name: string | null, what: string): void => {
    if (name !== null && !sizes.has(name) && !locals.has(name)) problem(`${what} ${name} is not a planned buffer`);
  };
  const source = (s: InputSource | InputGradientTarget, what: string): void => (s.kind === "buffer" ? exists(s.name, what) : undefined);
  plan.layers.forEach((l, index) => {
    if (l.position !== index + 1) problem(`layer ${index + 1} has position ${l.position}`);
    if (!sizes.has(l.a)) problem(`layer ${l.position}'s output ${l.a} is not a planned buffer`);
    exists(l.z, `layer ${l.position}'s pre-activations`);
    exists(l.dz, `layer ${l.position}'s dL/dz`);
    exists(l.ga, `layer ${l.position}'s dL/da`);
    source(l.input, `layer ${l.position}'s input`);
    source(l.gradientTarget, `layer ${l.position}'s input gradient`);
    const expected = index === 0 ? "sample" : plan.layers[index - 1]!.a;
    const actual = l.input.kind === "sample" ? "sample" : l.input.name;
    if (actual !== expected) problem(`layer ${l.position} reads ${actual}, not the previous layer's output ${expected}`);
  });
  if (!sizes.has(plan.output)) problem(`the output ${plan.output} is not a planned buffer`);
  else if (sizes.get(plan.output) !== plan.outputs)
    problem(`the output ${plan.output} holds ${sizes.get(plan.output)} numbers, not the ${plan.outputs} outputs`);
  exists(plan.outputDelta, "the output delta");

  // The blocked strategy's products read and write chunk buffers of the right size, and stay inside the parameters.
  const chunk = plan.batch.chunk;
  for (const m of plan.matmuls) {
    const region = (name: string, width: number, what: string): void => {
      if (!sizes.has(name)) problem(`matmul ${m.id}'s ${what} ${name} is not a planned chunk buffer`);
      else if (sizes.get(name) !== chunk * m.rowsPerSample * width)
        problem(`matmul ${m.id}'s ${what} ${name} holds ${sizes.get(name)} numbers, not ${chunk * m.rowsPerSample} rows × ${width}`);
    };
    if (m.input.kind === "buffer") region(m.input.name, m.inputs, "input");
    if (m.inputGradient.kind === "buffer") region(m.inputGradient.name, m.inputs, "input gradient");
    region(m.output, m.outputs, "output");
    region(m.delta, m.outputs, "delta");
    if (m.weightOffset < 0 || m.weightOffset + m.inputs * m.outputs > plan.parameters)
      problem(`matmul ${m.id}'s weights [${m.weightOffset}, +${m.inputs * m.outputs}) leave the parameters`);
    if (m.biasOffset < 0 || m.biasOffset + m.outputs > plan.parameters)
      problem(`matmul ${m.id}'s biases [${m.biasOffset}, +${m.outputs}) leave the parameters`);
  }
  if (plan.batch.shape === "per-sample" && (plan.matmuls.length > 0 || plan.batchBuffers.length > 0))
    problem("a per-sample plan has chunk buffers or matrix products");

  // The kernel memory: one region per chunk buffer plus P, G, XB, GINB; aligned, non-overlapping, inside the pages.
  if ((plan.kernels !== null) !== (plan.batch.kernel.kind === "wasm"))
    problem(`kernel ${plan.batch.kernel.kind} but ${plan.kernels === null ? "no" : "a"} kernel plan`);
  if (plan.kernels !== null) {
    const { offsets, sizes: regionSizes, elementBytes, pages } = plan.kernels.memory;
    const spans: [string, number, number][] = [];
    for (const [name, at] of offsets) {
      const bytes = regionSizes.get(name)! * elementBytes.get(name)!;
      if (at % 16 !== 0) problem(`kernel region ${name} at byte ${at} is not 16-byte aligned`);
      if (at + bytes > pages * 65536) problem(`kernel region ${name} [${at}, ${at + bytes}) leaves the ${pages} pages of memory`);
      spans.push([name, at, at + bytes]);
    }
    spans.sort((a, b) => a[1] - b[1]);
    for (let i = 1; i < spans.length; i++) if (spans[i]![1] < spans[i - 1]![2]) problem(`kernel regions ${spans[i - 1]![0]} and ${spans[i]![0]} overlap`);
    for (const name of ["P", "G", "XB", "GINB", ...plan.batchBuffers.map((b) => b.name)])
      if (!offsets.has(name)) problem(`kernel memory has no region ${name}`);
    for (const b of plan.batchBuffers)
      if (regionSizes.get(b.name) !== undefined && regionSizes.get(b.name) !== b.size)
        problem(`kernel region ${b.name} holds ${regionSizes.get(b.name)} numbers, the buffer ${b.size}`);
    if (regionSizes.get("P") !== plan.parameters || regionSizes.get("G") !== plan.parameters) problem("kernel regions P and G do not hold the parameters");
  }
  return problems;
}

/** verifyPlan, throwing an internal error that lists the problems. */
export function assertPlan(plan: Plan): void {
  const problems = verifyPlan(plan);
  if (problems.length > 0) throw new Error(`plan ${plan.name} is malformed (a bug in nnc, please report):\n  ${problems.join("\n  ")}`);
}
