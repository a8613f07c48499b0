// The dense layer on the WebAssembly kernel path: its product in the kernels (f<p> or p<p> forward, w<p>
// and x<p> backward) and its element-wise work in TS on the kernel memory's views, or in the f32
// element-wise kernels the plan chose (plan.kernels: s<p>, h<p>, and o for the output with the loss).
import type { EmitContext } from "../../emit/code.js";
import { biasGradient } from "../../emit/matmul.js";
import { chunkActivation, chunkDelta } from "./chunk.js";
import { denseMatmul, type PlannedDense } from "./plan.js";

/** The kernel forward of the chunk's n rows (already in XB or the previous chunk buffer), then the activation; with outputByLoss the o kernel does the activation. */
export function denseKernelForward(ctx: EmitContext, l: PlannedDense, kernel: "f" | "p", outputByLoss: boolean): string[] {
  const lines = [`k.${kernel}${l.position}(n);`];
  const elementwise = ctx.plan.kernels?.activations.find((a) => a.layer === l.position);
  if (elementwise !== undefined) return outputByLoss ? lines : [...lines, `k.${elementwise.name}(n);`];
  return [...lines, ...chunkActivation(l)];
}

/** dL/dz in TS, dL/db onto KG, then the kernels' dW (w<p>) and dX (x<p>, into the caller's gin only when given). */
export function denseKernelBackward(ctx: EmitContext, l: PlannedDense): string[] {
  const lines = [...chunkDelta(l), ...biasGradient(denseMatmul(l), "KG"), `k.w${l.position}(n);`];
  if (l.gradientTarget.kind === "buffer") lines.push(`k.x${l.position}(n);`);
  if (l.gradientTarget.kind === "sample")
    lines.push("if (gin !== null) {", `k.x${l.position}(n);`, `gin.set(GINB.subarray(0, n * ${ctx.plan.inputs}), xo);`, "}");
  return lines;
}
