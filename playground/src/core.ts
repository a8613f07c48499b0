// The page's compile: text → diagnostics → module (.ts, formatted) → .js, the same stages as `nnc build` and
// `nnc build --js` (src/compile.ts, src/javascript.ts). Pure; no file system (the page holds the text).
import { compileSpec, frontEnd } from "../../src/compile.js";
import { toJavaScript } from "../../src/javascript.js";

export interface CompileRequest {
  id: number;
  text: string;
  fileName: string;
}

export type CompileReply =
  | { id: number; ok: true; model: string; fileName: string; moduleTs: string; moduleJs: string; ms: number }
  | { id: number; ok: false; error: string; ms: number };

export async function compile(request: CompileRequest): Promise<CompileReply> {
  const started = performance.now();
  try {
    const front = frontEnd(request.text, request.fileName, {});
    if (front.spec === null) return { id: request.id, ok: false, error: "the spec has errors", ms: performance.now() - started };
    const module = await compileSpec(front.spec, {}, front.plan);
    const js = await toJavaScript(module.fileName, module.text);
    return {
      id: request.id,
      ok: true,
      model: front.spec.name,
      fileName: module.fileName,
      moduleTs: module.text,
      moduleJs: js.js,
      ms: performance.now() - started,
    };
  } catch (error) {
    return { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error), ms: performance.now() - started };
  }
}
