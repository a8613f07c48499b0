// Diagnostics as you type, over real LSP messages: open, incremental change, close; codes, severities, the
// hint, and ranges in LSP's UTF-16 positions (astral characters and CRLF line ends included).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiagnosticSeverity } from "vscode-languageserver";
import { parseSpec } from "../../src/front/index.js";
import { inMemoryClient, positionOf, type TestClient } from "./client.js";

let client: TestClient;
beforeAll(async () => {
  client = await inMemoryClient();
});
afterAll(() => client.close());

const XOR = "model xor\nlayer fc 2->4 tanh\nlayer fc 4->1 sigmoid\nloss crossentropy\nsgd lr=0.5 epocs=1000 batch=4\n";

describe("publishDiagnostics", () => {
  it("reports a misspelt option on open with its code, range, severity and hint", async () => {
    const uri = "file:///specs/open.nn";
    client.open(uri, XOR);
    const diagnostics = await client.diagnostics(uri, 1);
    expect(diagnostics).toHaveLength(1);
    const [d] = diagnostics;
    expect(d!.code).toBe("NN010");
    expect(d!.severity).toBe(DiagnosticSeverity.Error);
    expect(d!.source).toBe("nnc");
    // `epocs` on line 5 (0-based 4): its start and its exclusive end.
    expect(d!.range).toEqual({ start: positionOf(XOR, "epocs"), end: positionOf(XOR, "epocs", 5) });
    expect(d!.message).toContain("hint: did you mean `epochs`?");
    expect(d!.data).toEqual({ hint: "did you mean `epochs`?" });
  });

  it("updates on an incremental change: fixing the word clears it, breaking another line reports that one", async () => {
    const uri = "file:///specs/change.nn";
    client.open(uri, XOR);
    await client.diagnostics(uri, 1);
    const at = positionOf(XOR, "epocs", 4);
    client.change(uri, 2, [{ range: { start: at, end: at }, text: "h" }]);
    expect(await client.diagnostics(uri, 2)).toEqual([]);
    // `tanh` becomes `tanx`: an unknown activation (NN006) on line 2.
    client.change(uri, 3, [{ range: { start: { line: 1, character: 17 }, end: { line: 1, character: 18 } }, text: "x" }]);
    const after = await client.diagnostics(uri, 3);
    expect(after.map((d) => d.code)).toEqual(["NN006"]);
    expect(after[0]!.range).toEqual({ start: { line: 1, character: 14 }, end: { line: 1, character: 18 } });
  });

  it("sends every diagnostic parseSpec finds, in its order, with warnings as warnings", async () => {
    const uri = "file:///specs/many.nn";
    const text = "lyer fc 2->1\nlet H = 3\nlayer fc 2->1 sigmod\nsgd lr=-1 batch=0.5\nloss crossentropy\n";
    client.open(uri, text);
    const got = await client.diagnostics(uri, 1);
    const expected = parseSpec(text, "/specs/many.nn").diagnostics;
    expect(expected.length).toBeGreaterThanOrEqual(5);
    expect(got.map((d) => d.code)).toEqual(expected.map((d) => d.code));
    expect(got.map((d) => d.range.start.line + 1)).toEqual(expected.map((d) => d.range.startLine));
    const unused = got.find((d) => d.code === "NN041");
    expect(unused?.severity).toBe(DiagnosticSeverity.Warning);
    expect(got.find((d) => d.code === "NN004")?.message).toContain("did you mean `layer`?");
  });

  it("counts characters in UTF-16 code units: an emoji (two units) before the error on the same line", async () => {
    const uri = "file:///specs/emoji.nn";
    const text = 'layer fc 2->1 sigmoid\ndata npy "😀.npy" labels=3\n';
    client.open(uri, text);
    const [d] = await client.diagnostics(uri, 1);
    expect(d!.code).toBe("NN011");
    // The `3` is UTF-16 index 25 of its line ("😀" is two code units; counting code points would give 24), and
    // LSP's default position encoding is UTF-16.
    const line = text.split("\n")[1]!;
    expect(line.indexOf("3")).toBe(25);
    expect([...line].indexOf("3")).toBe(24);
    expect(d!.range).toEqual({ start: { line: 1, character: 25 }, end: { line: 1, character: 26 } });
  });

  it("puts ranges on the right line in a CRLF file", async () => {
    const uri = "file:///specs/crlf.nn";
    const text = XOR.replace(/\n/g, "\r\n");
    client.open(uri, text);
    const [d] = await client.diagnostics(uri, 1);
    expect(d!.range).toEqual({ start: { line: 4, character: 11 }, end: { line: 4, character: 16 } });
  });

  it("clears a document's diagnostics when it is closed", async () => {
    const uri = "file:///specs/close.nn";
    client.open(uri, XOR);
    expect(await client.diagnostics(uri, 1)).toHaveLength(1);
    const before = client.published.length;
    void client.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
    await expect.poll(() => client.published.slice(before).find((p) => p.uri === uri)?.diagnostics).toEqual([]);
  });
});

describe("documents that are not files", () => {
  it("names an unsaved spec's model after the last part of its URI (no NN015 for `untitled:`)", async () => {
    const uri = "untitled:Untitled-1";
    client.open(uri, "layer fc 2->1 sigmoid\n");
    expect(await client.diagnostics(uri, 1)).toEqual([]);
  });
});

describe("fast typing", () => {
  it("publishes for the latest version when changes arrive together, and never an outdated text's diagnostics last", async () => {
    const uri = "file:///specs/typing.nn";
    const text = "layer fc 2->1 sigmoid\nsgd lr=0.1\n";
    client.open(uri, text);
    await client.diagnostics(uri, 1);
    const before = client.published.length;
    // Type `epocs=3` one character at a time, then fix it to `epochs=3`, all without waiting.
    const typed = " epocs=3";
    for (let i = 0; i < typed.length; i++) {
      client.change(uri, i + 2, [{ range: { start: { line: 1, character: 10 + i }, end: { line: 1, character: 10 + i } }, text: typed[i]! }]);
    }
    const last = typed.length + 2;
    client.change(uri, last, [{ range: { start: { line: 1, character: 15 }, end: { line: 1, character: 15 } }, text: "h" }]);
    expect(await client.diagnostics(uri, last)).toEqual([]);
    const versions = client.published
      .slice(before)
      .filter((p) => p.uri === uri)
      .map((p) => p.version!);
    expect(versions.at(-1)).toBe(last);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(versions.length).toBeLessThanOrEqual(typed.length + 1);
  });
});
