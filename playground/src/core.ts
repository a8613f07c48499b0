// The page's compile: text → diagnostics → module (.ts, formatted) → .js, the same stages as `nnc build` and
// `nnc build --js` (src/compile.ts, src/javascript.ts). Pure; no file system (the page holds the text).
// Two replies per request: the .ts first (plan, emit, prettier), then the .js, whose declaration emit
// builds a whole TypeScript program and takes longer — the page shows the module without waiting for it.
import { compileSpec, frontEnd } from "../../src/compile.js";
import { toJavaScript } from "../../src/javascript.js";

export interface CompileRequest {
  id: number;
  text: string;
  fileName: string;
}

export type CompileReply =
  | { id: number; phase: "ts"; model: string; fileName: string; moduleTs: string; ms: number }
  | { id: number; phase: "js"; moduleJs: string; ms: number }
  | { id: number; phase: "error"; error: string; ms: number };

export async function compile(request: CompileRequest, reply: (message: CompileReply) => void): Promise<void> {
  const started = performance.now();
  const ms = (): number => performance.now() - started;
  try {
    const front = frontEnd(request.text, request.fileName, {});
    if (front.spec === null) return reply({ id: request.id, phase: "error", error: "the spec has errors", ms: ms() });
    const module = await compileSpec(front.spec, {}, front.plan);
    reply({ id: request.id, phase: "ts", model: front.spec.name, fileName: module.fileName, moduleTs: module.text, ms: ms() });
    const js = await toJavaScript(module.fileName, module.text);
    reply({ id: request.id, phase: "js", moduleJs: js.js, ms: ms() });
  } catch (error) {
    reply({ id: request.id, phase: "error", error: error instanceof Error ? error.message : String(error), ms: ms() });
  }
}
