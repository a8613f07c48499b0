// The parameter layout as named offset constants, the scratch buffers, and createParameters (the spec's
// initialiser, drawn from the module's own PRNG: one draw per weight, tensor by tensor in layout order,
// row-major; biases 0).
import type { FunctionDeclarationStructure, VariableStatementStructure } from "ts-morph";
import { INITIALIZERS, substitute } from "../maths.js";
import { constStructure, functionStructure, layoutConstantName, type EmitContext } from "./code.js";
import { kernelBufferInitializer } from "./wasm/emit.js";
import { passBufferInitializer } from "./wasm/passes.js";
import { preprocessingOfContext } from "./preprocess.js";

export function emitLayoutConstants(ctx: EmitContext): VariableStatementStructure[] {
  return ctx.plan.layout.map((t) =>
    constStructure(
      layoutConstantName(t.name),
      String(t.offset),
      `Offset of ${t.name} [${t.shape.join(", ")}] in the parameter vector (${t.size === 1 ? "1 number" : `${t.size} numbers`}${t.shape.length === 2 ? ", row-major" : ""}).`,
      { exported: true },
    ),
  );
}

export function emitBuffers(ctx: EmitContext): VariableStatementStructure[] {
  const kernels = ctx.plan.batch.kernel.kind === "wasm";
  // The fused body's block buffers FA<p> are views of the pass module's memory (src/emit/wasm/passes.ts).
  const plain = ctx.plan.buffers.map((b) =>
    constStructure(
      b.name,
      passBufferInitializer(ctx, b.name, b.size) ?? `new ${b.precision === "f32" ? "Float32Array" : "Float64Array"}(${b.size})`,
      `Scratch: ${b.holds}.`,
    ),
  );
  // On the wasm kernel path the chunk buffers are views of the kernel memory (plain arrays when it is unavailable).
  const chunk = ctx.plan.batchBuffers.map((b) =>
    constStructure(
      b.name,
      kernels ? kernelBufferInitializer(ctx, b.name, b.size) : `new ${b.precision === "f32" ? "Float32Array" : "Float64Array"}(${b.size})`,
      `Scratch: ${b.holds}.`,
    ),
  );
  return [...plain, ...chunk];
}

export function emitCreateParameters(ctx: EmitContext): FunctionDeclarationStructure {
  const { spec, plan } = ctx;
  const scheme = spec.init.scheme;
  const draw = INITIALIZERS[scheme.kind].draw;
  const pre = preprocessingOfContext(ctx);
  const body = [`const params = new ${ctx.array}(${plan.parameters + pre.size});`];
  const usesRng = draw.variables.includes("uniform") || draw.variables.includes("gaussian");
  const create = spec.init.rng === "numpy" ? "createNumpyRng" : "createRng";
  if (usesRng) body.push(`const rng = ${create}(seed ?? ${spec.init.seed});`);
  else body.push("void seed;");
  for (const t of plan.tensors) {
    if (t.role.kind !== "weight" || !usesRng) continue;
    const expr = substitute(draw.text, {
      uniform: "rng.uniform",
      gaussian: "rng.gaussian",
      fanIn: t.role.fanIn,
      fanOut: t.role.fanOut,
      std: scheme.kind === "normal" ? scheme.std : 0,
      limit: scheme.kind === "uniform" ? scheme.limit : 0,
    });
    body.push(`for (let i = ${t.offset}; i < ${t.offset + t.size}; i++) params[i] = ${expr};`);
  }
  // Identity statistics (offset 0, scale 1) until fitPreprocessing or loadWeights puts the real ones there.
  if (pre.size > 0) body.push(`params.fill(1, ${pre.offset + plan.inputs});`);
  body.push("return params;");
  const statistics = pre.size > 0 ? ` Then the ${pre.normalize} statistics, identity until fitPreprocessing: offset 0, scale 1.` : "";
  return functionStructure({
    name: "createParameters",
    exported: true,
    doc: `Fresh parameters: weights ${INITIALIZERS[scheme.kind].doc} from ${create}(seed ?? ${spec.init.seed}), one draw per weight in layout order; biases 0.${statistics}`,
    parameters: [["seed?", "number"]],
    returns: ctx.array,
    body,
  });
}
