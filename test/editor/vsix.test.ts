// The packed VS Code extension: `node scripts/vsix.mjs` builds a .vsix offline, and what is inside is a valid
// extension: its manifest's fields, activation, contributions (the grammar and language configuration at the
// paths it names, inside the archive), the bundled client with no node_modules, and a problem matcher that
// reads the lines `nnc parse` prints.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { formatDiagnostics, parseSpec } from "../../src/front/index.js";

const root = join(import.meta.dirname, "../..");

/** The files of a zip archive (stored or deflated entries), read from its central directory. */
function unzip(archive: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let end = archive.length - 22;
  while (end >= 0 && archive.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error("not a zip archive: no end of central directory");
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error("bad central directory entry");
    const method = archive.readUInt16LE(at + 10);
    const compressed = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.toString("utf8", at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const data = archive.subarray(dataStart, dataStart + compressed);
    files.set(name, method === 0 ? Buffer.from(data) : inflateRawSync(data));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

let files: Map<string, Buffer>;
let manifest: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a JSON manifest
const text = (name: string) => files.get(name)?.toString("utf8");

beforeAll(() => {
  const out = join(mkdtempSync(join(tmpdir(), "nnc-vsix-")), "nn-language.vsix");
  const run = spawnSync(process.execPath, [join(root, "scripts/vsix.mjs"), "--out", out], { cwd: root, encoding: "utf8", timeout: 120_000 });
  expect(run.status, run.stderr).toBe(0);
  files = unzip(readFileSync(out));
  manifest = JSON.parse(text("extension/package.json")!);
}, 150_000);

describe("the packed .vsix", () => {
  it("has the manifest fields VS Code and the marketplace read", () => {
    const root_ = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(manifest).toMatchObject({ name: "nn-language", publisher: "nnc", license: "MIT", version: root_.version });
    expect(text("extension.vsixmanifest")).toMatch(/<Identity[^>]*Id="nn-language"[^>]*Publisher="nnc"/);
    // engines.vscode must allow the VS Code API that the bundled vscode-languageclient needs.
    const client = JSON.parse(readFileSync(join(root, "node_modules/vscode-languageclient/package.json"), "utf8"));
    expect(manifest.engines.vscode).toBe(client.engines.vscode);
  });

  it("activates on .nn files and its main script is in the archive, bundled", () => {
    expect(manifest.activationEvents).toEqual(["onLanguage:nn"]);
    const main = `extension/${manifest.main.replace(/^\.\//, "")}`;
    const bundle = text(main);
    expect(bundle, main).toBeDefined();
    expect([...files.keys()].filter((f) => f.includes("node_modules/"))).toEqual([]);
    expect([...files.keys()].filter((f) => f.startsWith("extension/src/"))).toEqual([]);
    // Everything it requires is `vscode` or a Node built-in: the client library is inside the bundle.
    const required = new Set([...bundle!.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!));
    const outside = [...required].filter((r) => r !== "vscode" && !r.startsWith("node:") && !builtinModules.includes(r));
    expect(outside).toEqual([]);
    // It starts `nnc lsp` over stdio.
    expect(bundle).toContain('"lsp"');
  });

  it("contributes the nn language, its grammar and configuration at paths that exist in the archive", () => {
    const [language] = manifest.contributes.languages;
    expect(language).toMatchObject({ id: "nn", extensions: [".nn"] });
    const [grammar] = manifest.contributes.grammars;
    expect(grammar).toMatchObject({ language: "nn", scopeName: "source.nn" });
    const grammarFile = text(`extension/${grammar.path.replace(/^\.\//, "")}`);
    expect(JSON.parse(grammarFile!).scopeName).toBe("source.nn");
    expect(JSON.parse(text(`extension/${language.configuration.replace(/^\.\//, "")}`)!).comments.lineComment).toBe("#");
    expect(manifest.contributes.configuration.properties["nnc.path"].type).toBe("string");
  });

  it("has a problem matcher that reads nnc parse's diagnostic lines (file, line, column, severity, code)", () => {
    const [matcher] = manifest.contributes.problemMatchers;
    expect(matcher.name).toBe("nnc");
    const source = "layer fc 2->1 sigmoid\nlet H = 3\nsgd lr=0.1 epocs=3\n";
    const printed = formatDiagnostics(parseSpec(source, "specs/x.nn").diagnostics, source).split("\n");
    const pattern = new RegExp(matcher.pattern.regexp);
    const matched = printed.map((line) => pattern.exec(line)).filter((m) => m !== null);
    // One match per diagnostic, none on the source excerpt, caret or hint lines.
    expect(
      matched.map((m) => [m[matcher.pattern.file], m[matcher.pattern.line], m[matcher.pattern.column], m[matcher.pattern.severity], m[matcher.pattern.code]]),
    ).toEqual([
      ["specs/x.nn", "2", "5", "warning", "NN041"],
      ["specs/x.nn", "3", "12", "error", "NN010"],
    ]);
    // `nnc check`/`nnc build` print a refused spec's errors after "nnc: N errors in FILE" on stderr: the same lines.
    expect(pattern.exec("nnc: specs/x.nn:3:12: error NN010: `epocs` is not an option of `sgd`")?.[1]).toBe("specs/x.nn");
  });
});
