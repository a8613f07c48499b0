// Compiles off the main thread (issue 20): the back end (plan → emit through ts-morph → prettier) and the
// JavaScript (TypeScript's emitter, as `nnc build --js`) take hundreds of milliseconds, so the editor never waits
// for them. The same functions as `nnc build` (src/compile.ts, src/javascript.ts), so the bytes are the same.
import { compile, type CompileReply, type CompileRequest } from "./core.js";

self.onmessage = async (event: MessageEvent<CompileRequest>): Promise<void> => {
  const reply: CompileReply = await compile(event.data);
  (self as unknown as { postMessage(message: CompileReply): void }).postMessage(reply);
};
