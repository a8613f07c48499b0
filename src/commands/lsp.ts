// `nnc lsp [--stdio]`: the language server for .nn files over stdin/stdout (src/lsp/server.ts). Editors start
// it (editors/vscode, and Neovim, Helix, Emacs as docs/editor.md shows). The server's code and the
// vscode-languageserver package are loaded only here, when the command runs, so other commands start no slower.
import type { Command } from "commander";
import { withExamples } from "./help.js";

export function register(program: Command): void {
  const command = program
    .command("lsp")
    .description("run the language server for .nn files over stdin/stdout (for editors: diagnostics, hover, completion, formatting, …)")
    // Language clients pass --stdio (vscode-languageclient's TransportKind.stdio does); stdio is the only transport.
    .option("--stdio", "talk LSP over stdin/stdout (the default and only transport)")
    .action(async () => {
      const { startStdioServer } = await import("../lsp/server.js");
      startStdioServer();
    });
  withExamples(command, ["nnc lsp --stdio    # started by an editor, not by hand"]);
}
