// `node bin/nnc.js lsp --stdio` as an editor starts it: the built CLI (dist/, bundled by scripts/build.mjs)
// answers real LSP messages on stdin/stdout and exits 0 after shutdown + exit. And the LSP code is not on the
// CLI's start-up path: the modules dist/cli.js loads statically never import vscode-languageserver.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Hover, MarkupContent } from "vscode-languageserver";
import { buildCli, NNC, nnc, ROOT } from "../support/cli.js";
import { processClient } from "./client.js";

beforeAll(() => buildCli());

describe("nnc lsp over stdio", () => {
  it("publishes diagnostics, answers a hover and exits 0 on shutdown + exit", async () => {
    const { client: started, child } = processClient(NNC, ROOT);
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const client = await started;
    expect(client.initialize.serverInfo?.name).toBe("nnc");
    expect(client.initialize.capabilities.inlayHintProvider).toBe(true);
    const uri = "file:///tmp/stdio.nn";
    const text = "layer fc 3->5 relu\nlayer fc 5->2 softmax\nloss crossentropy\nsgd lr=0.1 bach=8\n";
    client.open(uri, text);
    const [d] = await client.diagnostics(uri, 1);
    expect(d).toMatchObject({ code: "NN010", range: { start: { line: 3, character: 11 }, end: { line: 3, character: 15 } } });
    const hover = (await client.connection.sendRequest("textDocument/hover", { textDocument: { uri }, position: { line: 1, character: 2 } })) as Hover;
    expect((hover.contents as MarkupContent).value).toContain("shape 5 → 2");
    await client.close();
    expect(await exited).toBe(0);
    expect(stderr).toBe("");
  });

  it("is listed by nnc --help and has examples", () => {
    const help = nnc("--help");
    expect(help.stdout).toMatch(/^ {2}lsp\b/m);
    expect(nnc("lsp", "--help").stdout).toContain("$ nnc lsp --stdio");
  });

  it("is loaded lazily: nothing dist/cli.js imports statically reaches vscode-languageserver", () => {
    const dist = join(ROOT, "dist");
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = readFileSync(join(dist, file), "utf8");
      expect(code, file).not.toMatch(/from\s*["']vscode-languageserver/);
      // Static imports only (`import … from "./x.js"` / `import "./x.js"`), not `import("./x.js")`.
      for (const m of code.matchAll(/(?:^|;|\n)\s*(?:import|export)\s*(?:[^"'()]*?from\s*)?["']\.\/([^"']+)["']/g)) visit(m[1]!);
    };
    visit("cli.js");
    expect(seen.size).toBeGreaterThan(1);
    // And the lsp command's own chunk does import it (the check above would pass if the server were simply missing).
    const all = readFileSync(join(dist, "cli.js"), "utf8");
    const lspChunk = /["']\.\/(lsp-[A-Z0-9]+\.js)["']/.exec(all)?.[1];
    expect(lspChunk).toBeDefined();
    const chunkAndDeps = [lspChunk!, ...[...readFileSync(join(dist, lspChunk!), "utf8").matchAll(/["']\.\/([^"']+\.js)["']/g)].map((m) => m[1]!)];
    expect(chunkAndDeps.some((f) => /from\s*["']vscode-languageserver/.test(readFileSync(join(dist, f), "utf8")))).toBe(true);
  });
});
