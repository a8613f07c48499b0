// An LSP client for the tests: real JSON-RPC messages (vscode-jsonrpc) to the server, either in this process
// over an in-memory stream pair (fast: most tests) or to `node bin/nnc.js lsp --stdio` as a child process
// (what an editor starts). It records every published diagnostics notification.
import { spawn, type ChildProcess } from "node:child_process";
import { PassThrough } from "node:stream";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import type { Diagnostic, InitializeResult, PublishDiagnosticsParams } from "vscode-languageserver";
import { serve } from "../../src/lsp/server.js";

export interface TestClient {
  connection: MessageConnection;
  initialize: InitializeResult;
  /** Every publishDiagnostics notification received, oldest first. */
  published: PublishDiagnosticsParams[];
  /** The next diagnostics published for `uri` at `version` (or later), waiting for them. */
  diagnostics(uri: string, version?: number): Promise<Diagnostic[]>;
  open(uri: string, text: string, version?: number): void;
  change(uri: string, version: number, changes: { range?: { start: Pos; end: Pos }; text: string }[]): void;
  close(): Promise<void>;
}

type Pos = { line: number; character: number };

/** `exit`: send the exit notification (a child process ends on it; the in-process server would end the test runner's process, so it gets only `shutdown`). */
async function start(connection: MessageConnection, stop: () => void, exit: boolean): Promise<TestClient> {
  const published: PublishDiagnosticsParams[] = [];
  const waiters: (() => void)[] = [];
  connection.onNotification("textDocument/publishDiagnostics", (params: PublishDiagnosticsParams) => {
    published.push(params);
    for (const wake of waiters.splice(0)) wake();
  });
  connection.listen();
  const initialize = (await connection.sendRequest("initialize", {
    processId: null,
    rootUri: null,
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
  })) as InitializeResult;
  await connection.sendNotification("initialized", {});
  const client: TestClient = {
    connection,
    initialize,
    published,
    async diagnostics(uri, version) {
      for (;;) {
        const found = [...published].reverse().find((p) => p.uri === uri && (version === undefined || (p.version ?? -1) >= version));
        if (found) return found.diagnostics;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    open(uri, text, version = 1) {
      void connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "nn", version, text } });
    },
    change(uri, version, contentChanges) {
      void connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges });
    },
    async close() {
      await connection.sendRequest("shutdown");
      if (exit) await connection.sendNotification("exit");
      connection.dispose();
      stop();
    },
  };
  return client;
}

/** The server in this process, over two in-memory streams. */
export function inMemoryClient(): Promise<TestClient> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  // A MessageReader/Writer (not raw streams): the server then does not exit the process when the streams end.
  serve(createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient)));
  const connection = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  return start(
    connection,
    () => {
      toServer.end();
      toClient.end();
    },
    false,
  );
}

/** `node bin/nnc.js lsp --stdio` as a child process (dist/ must be built). */
export function processClient(bin: string, cwd: string): { client: Promise<TestClient>; child: ChildProcess } {
  const child = spawn("node", [bin, "lsp", "--stdio"], { cwd, stdio: ["pipe", "pipe", "pipe"] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  return { client: start(connection, () => undefined, true), child };
}

/** A document position of the `n`-th (0-based) occurrence of `needle` in `text`, plus `delta` characters. */
export function positionOf(text: string, needle: string, delta = 0, n = 0): Pos {
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${JSON.stringify(needle)} not found ${n + 1} times`);
  }
  const offset = at + delta;
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

/** The text with LSP edits applied (edits of one document, non-overlapping). */
export function applyEdits(text: string, edits: readonly { range: { start: Pos; end: Pos }; newText: string }[]): string {
  const lines = text.split(/(?<=\r\n|\r(?!\n)|\n)/);
  const offsetOf = (p: Pos) => lines.slice(0, p.line).reduce((sum, l) => sum + l.length, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offsetOf(b.range.start) - offsetOf(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offsetOf(e.range.start)) + e.newText + out.slice(offsetOf(e.range.end));
  return out;
}
