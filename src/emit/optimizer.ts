// learningRate (the schedule), createOptimizer (state slots) and step (L2, then the optimiser's update
// for every parameter). The update statements are the maths table's text with the spec's constants.
import type { FunctionDeclarationStructure } from "ts-morph";
import { OPTIMIZERS, SCHEDULES, WEIGHT_DECAY, substitute } from "../maths.js";
import { functionStructure, type EmitContext } from "./code.js";

/** The learning rate of epoch `epoch` as expression text (the schedule's formula with the spec's constants). */
function rateExpression(ctx: EmitContext, epoch: string): string {
  const t = ctx.spec.training;
  const s = t.schedule;
  const bindings: Record<string, string | number> = { lr: t.learningRate, e: epoch };
  if (s.kind === "step") Object.assign(bindings, { factor: s.factor, every: s.every, min: s.min });
  if (s.kind === "exponential") Object.assign(bindings, { gamma: s.gamma, min: s.min });
  if (s.kind === "cosine") Object.assign(bindings, { min: s.min, period: s.period });
  return substitute(SCHEDULES[s.kind].rate.text, bindings);
}

export function emitSchedule(ctx: EmitContext): FunctionDeclarationStructure {
  const t = ctx.spec.training;
  const s = t.schedule;
  return functionStructure({
    name: "learningRate",
    exported: true,
    doc: `The learning rate of 0-based epoch \`epoch\`: ${s.kind} schedule, ${SCHEDULES[s.kind].doc} (lr = ${t.learningRate}).`,
    parameters: [["epoch", "number"]],
    returns: "number",
    body: [...(s.kind === "constant" ? ["void epoch;"] : []), `return ${rateExpression(ctx, "epoch")};`],
  });
}

function slotName(slot: string): string {
  return `slot${slot[0]!.toUpperCase()}${slot.slice(1)}`;
}

export function emitOptimizer(ctx: EmitContext): FunctionDeclarationStructure[] {
  const { spec, plan } = ctx;
  const o = spec.training.optimizer;
  const math = OPTIMIZERS[o.kind];
  const hyper: Record<string, number | boolean> = {};
  for (const name of math.hyper) hyper[name] = (o as unknown as Record<string, number | boolean>)[name]!;
  const slotBindings: Record<string, string> = {};
  for (const slot of math.slots) slotBindings[slot] = `${slotName(slot)}[i]`;
  const createOptimizer = functionStructure({
    name: "createOptimizer",
    exported: true,
    doc: `Fresh ${o.kind} state: t = 0${math.slots.length > 0 ? ` and zeroed slots ${math.slots.join(", ")} (${plan.parameters} each)` : ""}.`,
    parameters: [],
    returns: "OptimizerState",
    body: [`return { t: 0, slots: { ${math.slots.map((s) => `${s}: new ${ctx.array}(${plan.parameters})`).join(", ")} } };`],
  });
  const body: string[] = [];
  if (spec.training.weightDecay !== 0) {
    const decay = substitute(WEIGHT_DECAY.text, { g: "grad[i]", p: "params[i]", l2: spec.training.weightDecay });
    for (const t of plan.tensors) {
      if (t.role.kind !== "weight") continue;
      body.push(`for (let i = ${t.offset}; i < ${t.offset + t.size}; i++) grad[i] = ${decay}; // L2 on ${t.name}`);
    }
  }
  body.push("state.t += 1;");
  if (/(?<![.\w$])t(?![\w$])/.test(math.prelude)) body.push("const t = state.t;");
  // Tiny nets (the fused per-sample shape) take a step per sample or per small batch: the update is unrolled
  // and a constant schedule's rate written in place, so the step is straight-line code (docs/performance.md,
  // optimisation 7).
  const tiny = plan.sample.shape === "fused";
  if (tiny && spec.training.schedule.kind === "constant")
    body.push("void epoch;", `const lr = ${rateExpression(ctx, "epoch")}; // the constant schedule's rate`);
  else body.push("const lr = learningRate(epoch);");
  for (const slot of math.slots) body.push(`const ${slotName(slot)} = state.slots["${slot}"];`);
  if (math.prelude !== "") body.push(substitute(math.prelude, hyper));
  const kernelStep = plan.kernels?.step ?? null;
  if (kernelStep !== null) {
    // The update in the kernels (u, src/emit/wasm/kernels.ts): the TS loop's arithmetic in f64x2, each stored
    // value rounded as the loop's typed-array stores round it. With the copies in and out, SGD ~5× the TS loop,
    // Adam ~2× (Fashion's 235,146 parameters in f32: 4.2 → 2.0 ms a step; docs/performance.md).
    const adam = kernelStep.kind === "adam";
    body.push(
      "if (KERNELS !== null) {",
      // params may hold more than the trainable values (preprocessing statistics after them): the first ones only
      `KP.set(params.subarray(0, ${plan.parameters}));`,
      `KG.set(grad.subarray(0, ${plan.parameters}));`,
      ...(adam ? ["KM.set(slotM);", "KV.set(slotV);"] : []),
      "KP_SNAPSHOT = null;",
      "KLR[0] = lr;",
      ...(adam ? ["KLR[1] = c1;", "KLR[2] = c2;"] : []),
      "KERNELS.u(0);",
      "params.set(KP);",
      ...(adam ? ["slotM.set(KM);", "slotV.set(KV);"] : []),
      "return;",
      "}",
    );
  }
  if (tiny) {
    for (let i = 0; i < plan.parameters; i++) {
      const slots: Record<string, string> = {};
      for (const slot of math.slots) slots[slot] = `${slotName(slot)}[${i}]`;
      body.push(substitute(math.update, { ...hyper, ...slots, p: `params[${i}]`, g: `grad[${i}]`, lr: "lr" }));
    }
  } else {
    body.push(
      `for (let i = 0; i < ${plan.parameters}; i++) {`,
      substitute(math.update, { ...hyper, ...slotBindings, p: "params[i]", g: "grad[i]", lr: "lr" }),
      "}",
    );
  }
  const step = functionStructure({
    name: "step",
    exported: true,
    doc: `One ${o.kind} update (${math.doc})${spec.training.weightDecay !== 0 ? `, after adding L2 ${spec.training.weightDecay}·w to the weights' gradients (grad is modified)` : ""}, at learningRate(epoch). Allocates nothing.`,
    parameters: [
      ["params", ctx.array],
      ["grad", ctx.array],
      ["state", "OptimizerState"],
      ["epoch", "number"],
    ],
    returns: "void",
    body,
  });
  return [createOptimizer, step];
}
