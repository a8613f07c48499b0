// Diagnostics latency of `nnc lsp` (issue 19's budget: under 20 ms for a 1 KB spec once the server is warm).
//
//   npx tsx bench/lsp.ts [--changes N] [--process]
//
// The server runs in this process over an in-memory stream pair (the same serve() that `nnc lsp` runs), or with
// --process as `node bin/nnc.js lsp --stdio` (needs `npm run build`; adds the pipes). A client sends real LSP
// messages: it opens the spec, sends 100 warm-up edits, then N timed edits (default 300), each an incremental
// didChange that alternates between a valid spec (the whole front end runs, limits and plan included) and one
// with a misspelt option (a diagnostic with a hint); the time is from sending the change to receiving the
// publishDiagnostics notification for that version. Prints median, p95 and max per spec, the first (cold) open,
// the start-up (start → initialize answered), and the front end alone (analyse) for comparison. Not a test: timings depend on the machine and its load.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";
import type { PublishDiagnosticsParams } from "vscode-languageserver";
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { analyse } from "../src/lsp/analysis.js";
import { serve } from "../src/lsp/server.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const argument = (name: string) => process.argv[process.argv.indexOf(name) + 1];
const CHANGES = process.argv.includes("--changes") ? Number(argument("--changes")) : 300;
const WARMUP = 100;

/** A 1 KB spec of statements (few comments): 12 layers, every training statement, options on most lines. */
function statementSpec(): string {
  const lines = [
    "# bench/lsp.ts: a 1 KB spec, mostly statements",
    "model bench",
    "data planar n=400 noise=0.2 petals=4 seed=1",
    "let H = 16",
    "layer fc 2->H tanh",
  ];
  for (let i = 0; i < 5; i++) lines.push("layer fc H->H relu", "layer dropout p=0.1");
  lines.push(
    "layer fc H->1 sigmoid",
    "loss crossentropy",
    "init normal std=0.01 seed=3",
    "adam lr=0.001 beta1=0.9 beta2=0.999 eps=1e-8 epochs=10 batch=32 shuffle seed=7",
  );
  lines.push(
    "schedule step factor=0.5 every=4 min=0.0001",
    "split 0.2 seed=1",
    "normalize z-score",
    "stop early monitor=val_loss patience=5",
    "stop loss < 0.01",
  );
  let text = lines.join("\n") + "\n";
  while (text.length < 1000) text += `# padding to 1 KB ${"-".repeat(40)}\n`;
  return text;
}

function inMemory(): MessageConnection {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  serve(createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient)));
  return createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
}

function child(): MessageConnection {
  const server = spawn(process.execPath, [join(ROOT, "bin/nnc.js"), "lsp", "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
  process.on("exit", () => server.kill());
  return createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const ms = (x: number) => `${x.toFixed(2)} ms`;

async function measure(connection: MessageConnection, name: string, text: string, option: string): Promise<void> {
  const uri = `file:///bench/${name}`;
  const waiting = new Map<number, () => void>();
  connection.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
    if (p.uri === uri && p.version !== undefined) waiting.get(p.version)?.();
  });
  const published = (version: number) => new Promise<void>((resolve) => waiting.set(version, resolve));
  let version = 1;
  let first = published(version);
  const opened = performance.now();
  void connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "nn", version, text } });
  await first;
  const cold = performance.now() - opened;
  // The edit: the option's name, e.g. `epochs` ↔ `epocs` (valid ↔ NN010 with a "did you mean").
  const at = text.indexOf(`${option}=`);
  const before = text.slice(0, at).split("\n");
  const start = { line: before.length - 1, character: before[before.length - 1]!.length };
  const end = { line: start.line, character: start.character + option.length };
  const typo = option.slice(0, -2) + option.slice(-1);
  const times: number[] = [];
  for (let i = 0; i < WARMUP + CHANGES; i++) {
    version++;
    const broken = version % 2 === 0;
    const range = broken ? { start, end } : { start, end: { line: end.line, character: end.character - 1 } };
    first = published(version);
    const t0 = performance.now();
    void connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ range, text: broken ? typo : option }] });
    await first;
    if (i >= WARMUP) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const alone: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    analyse(text, `/bench/${name}`);
    alone.push(performance.now() - t0);
  }
  alone.sort((a, b) => a - b);
  console.log(
    `${name} (${Buffer.byteLength(text)} bytes): change → diagnostics median ${ms(quantile(times, 0.5))}, p95 ${ms(quantile(times, 0.95))}, max ${ms(times.at(-1)!)} over ${CHANGES} changes; first (cold) open ${ms(cold)}; front end alone median ${ms(quantile(alone, 0.5))}`,
  );
}

const started = performance.now();
const connection = process.argv.includes("--process") ? child() : inMemory();
connection.listen();
await connection.sendRequest("initialize", { processId: null, rootUri: null, capabilities: {} });
const initialized = performance.now() - started;
void connection.sendNotification("initialized", {});
console.log(
  `nnc lsp diagnostics latency (${process.argv.includes("--process") ? "child process over stdio" : "in-process, in-memory streams"}; Node ${process.version}); start → initialize answered ${ms(initialized)}`,
);
await measure(connection, "statements.nn", statementSpec(), "epochs");
await measure(connection, "fashion.nn", readFileSync(join(ROOT, "specs/fashion.nn"), "utf8"), "epochs");
await connection.sendRequest("shutdown");
process.exit(0);
