// Compiles off the main thread (issue 20): the back end (plan → emit through ts-morph → prettier) and the
// JavaScript (TypeScript's emitter, as `nnc build --js`) take from a few hundred milliseconds to seconds, so
// the editor never waits for them. The same functions as `nnc build` (src/compile.ts, src/javascript.ts).
// Requests are handled one at a time, and one that a newer request has overtaken is skipped.
import { compile, type CompileReply, type CompileRequest } from "./core.js";

const post = (message: CompileReply): void => (self as unknown as { postMessage(message: CompileReply): void }).postMessage(message);
let latest: CompileRequest | null = null;
let busy = false;

async function drain(): Promise<void> {
  busy = true;
  while (latest !== null) {
    const request = latest;
    latest = null;
    await compile(request, post);
  }
  busy = false;
}

self.onmessage = (event: MessageEvent<CompileRequest>): void => {
  latest = event.data;
  if (!busy) void drain();
};
