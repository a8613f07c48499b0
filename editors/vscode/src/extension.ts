// The VS Code extension: starts `nnc lsp --stdio` for .nn files and connects VS Code to it through
// vscode-languageclient (diagnostics, hover, completion, signature help, formatting, definition, rename, quick
// fixes and inlay hints all come from the server). Bundled with esbuild into dist/extension.js
// (scripts/vsix.mjs), so the packaged .vsix needs no node_modules. Highlighting is the TextMate grammar.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { commands, window, workspace, type ExtensionContext } from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

/** The nnc command: the setting, else the workspace's own install, else `nnc` on the PATH. */
function nncCommand(): string {
  const configured = workspace.getConfiguration("nnc").get<string>("path", "").trim();
  if (configured !== "") return configured;
  const bin = process.platform === "win32" ? "nnc.cmd" : "nnc";
  for (const folder of workspace.workspaceFolders ?? []) {
    const local = join(folder.uri.fsPath, "node_modules", ".bin", bin);
    if (existsSync(local)) return local;
  }
  return bin;
}

function createClient(): LanguageClient {
  const command = nncCommand();
  // TransportKind.stdio: the client adds `--stdio` to the arguments, as `nnc lsp` accepts.
  const run = { command, args: ["lsp"], transport: TransportKind.stdio, options: { shell: process.platform === "win32" } };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "nn" },
      { scheme: "untitled", language: "nn" },
    ],
  };
  return new LanguageClient("nnc", "nnc language server", serverOptions, clientOptions);
}

async function start(): Promise<void> {
  client = createClient();
  try {
    await client.start();
  } catch (error) {
    // Most often nnc is not installed where the extension looks: say how to fix it instead of a stack trace.
    const reason = error instanceof Error ? error.message : String(error);
    void window.showErrorMessage(`nnc: could not start \`${nncCommand()} lsp\` (${reason}). Install nnc (npm install -g nnc) or set "nnc.path".`);
  }
}

export async function activate(context: ExtensionContext): Promise<void> {
  context.subscriptions.push(
    commands.registerCommand("nnc.restartServer", async () => {
      await client?.stop();
      await start();
    }),
    workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("nnc.path")) {
        await client?.stop();
        await start();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
