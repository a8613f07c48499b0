// Go to definition, references, rename, code actions and inlay hints over real LSP messages: the edits are
// applied to the text and the result checked (a fix must make its diagnostic go away).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CodeAction, Diagnostic, InlayHint, Location, WorkspaceEdit } from "vscode-languageserver";
import { parseSpec } from "../../src/front/index.js";
import { applyEdits, inMemoryClient, positionOf, type TestClient } from "./client.js";

let client: TestClient;
beforeAll(async () => {
  client = await inMemoryClient();
});
afterAll(() => client.close());

let count = 0;
async function openDoc(text: string): Promise<{ uri: string; diagnostics: Diagnostic[] }> {
  const uri = `file:///edits/spec${++count}.nn`;
  client.open(uri, text);
  return { uri, diagnostics: await client.diagnostics(uri, 1) };
}

const VARS = "let H = 4\nsweep H = 1, 2\nlayer fc 2->H tanh\nlayer fc H->1 sigmoid\n";

describe("definition, references, rename", () => {
  it("goes from a use to the let that declares it", async () => {
    const { uri } = await openDoc(VARS);
    const location = (await client.connection.sendRequest("textDocument/definition", {
      textDocument: { uri },
      position: positionOf(VARS, "H->1"),
    })) as Location;
    expect(location).toEqual({ uri, range: { start: { line: 0, character: 4 }, end: { line: 0, character: 5 } } });
  });

  it("finds every occurrence (with and without the declaration)", async () => {
    const { uri } = await openDoc(VARS);
    const refs = (await client.connection.sendRequest("textDocument/references", {
      textDocument: { uri },
      position: positionOf(VARS, "2->H", 3),
      context: { includeDeclaration: false },
    })) as Location[];
    expect(refs.map((r) => r.range.start)).toEqual([positionOf(VARS, "H = 1"), positionOf(VARS, "H tanh"), positionOf(VARS, "H->1")]);
  });

  it("renames the let, the sweep and every size that uses it, and the spec still means the same", async () => {
    const { uri } = await openDoc(VARS);
    const prepared = await client.connection.sendRequest("textDocument/prepareRename", { textDocument: { uri }, position: positionOf(VARS, "H tanh") });
    expect(prepared).toEqual({ range: { start: positionOf(VARS, "H tanh"), end: positionOf(VARS, "H tanh", 1) }, placeholder: "H" });
    const edit = (await client.connection.sendRequest("textDocument/rename", {
      textDocument: { uri },
      position: positionOf(VARS, "H tanh"),
      newName: "hidden",
    })) as WorkspaceEdit;
    const renamed = applyEdits(VARS, edit.changes![uri]!);
    expect(renamed).toBe("let hidden = 4\nsweep hidden = 1, 2\nlayer fc 2->hidden tanh\nlayer fc hidden->1 sigmoid\n");
    const shapes = (text: string) => parseSpec(text, "x.nn").spec?.layers.map((l) => ({ ...l, range: null }));
    expect(shapes(renamed)).toEqual(shapes(VARS));
    expect(shapes(renamed)).toHaveLength(2);
  });

  it("refuses a name that is no variable name, and a rename away from a variable", async () => {
    const { uri } = await openDoc(VARS);
    await expect(
      client.connection.sendRequest("textDocument/rename", { textDocument: { uri }, position: positionOf(VARS, "H tanh"), newName: "layer" }),
    ).rejects.toThrow(/not a variable name/);
    await expect(
      client.connection.sendRequest("textDocument/rename", { textDocument: { uri }, position: positionOf(VARS, "H tanh"), newName: "2x" }),
    ).rejects.toThrow(/not a variable name/);
    expect(await client.connection.sendRequest("textDocument/prepareRename", { textDocument: { uri }, position: positionOf(VARS, "tanh") })).toBeNull();
  });
});

async function actions(uri: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
  return (await client.connection.sendRequest("textDocument/codeAction", {
    textDocument: { uri },
    range: diagnostics[0]!.range,
    context: { diagnostics },
  })) as CodeAction[];
}

/** Applies the action and returns the codes parseSpec still reports. */
function codesAfter(text: string, uri: string, action: CodeAction): { text: string; codes: string[] } {
  const fixed = applyEdits(text, action.edit!.changes![uri]!);
  return { text: fixed, codes: parseSpec(fixed, "x.nn").diagnostics.map((d) => d.code) };
}

describe("code actions", () => {
  it.each([
    ["an unknown statement", "lyer fc 2->1 sigmoid\n", "NN004", "layer fc 2->1 sigmoid\n"],
    ["an unknown layer kind", "layer fx 2->1 sigmoid\n", "NN006", "layer fc 2->1 sigmoid\n"],
    ["an unknown option", "layer fc 2->1 sigmoid\nsgd epocs=3\n", "NN010", "layer fc 2->1 sigmoid\nsgd epochs=3\n"],
    ["an unknown activation", "layer fc 2->1 sigmoi\n", "NN006", "layer fc 2->1 sigmoid\n"],
    ["an unknown variable", "let H = 3\nlayer fc 2->HH tanh\nlayer fc H->1 sigmoid\n", "NN016", "let H = 3\nlayer fc 2->H tanh\nlayer fc H->1 sigmoid\n"],
  ])("'did you mean' for %s", async (_what, text, code, fixed) => {
    const { uri, diagnostics } = await openDoc(text);
    const d = diagnostics.find((x) => x.code === code);
    expect(d, JSON.stringify(diagnostics)).toBeDefined();
    const [action] = await actions(uri, [d!]);
    expect(action!.isPreferred).toBe(true);
    const after = codesAfter(text, uri, action!);
    expect(after.text).toBe(fixed);
    expect(after.codes).toEqual([]);
  });

  it("crossentropy after a linear output: switch to mse, or make the output sigmoid (softmax for several outputs)", async () => {
    const text = "layer fc 2->4 tanh\nlayer fc 4->3\nloss crossentropy\n";
    const { uri, diagnostics } = await openDoc(text);
    expect(diagnostics.map((d) => d.code)).toEqual(["NN023"]);
    const found = await actions(uri, diagnostics);
    expect(found.map((a) => a.title)).toEqual(["Use `loss mse`", "Make the output layer sigmoid", "Make the output layer softmax"]);
    expect(codesAfter(text, uri, found[0]!)).toEqual({ text: "layer fc 2->4 tanh\nlayer fc 4->3\nloss mse\n", codes: [] });
    expect(codesAfter(text, uri, found[1]!)).toEqual({ text: "layer fc 2->4 tanh\nlayer fc 4->3 sigmoid\nloss crossentropy\n", codes: [] });
    expect(codesAfter(text, uri, found[2]!).codes).toEqual([]);
  });

  it("crossentropy after a one-output relu layer: replaces the activation, no softmax offered", async () => {
    const text = "layer fc 2->1 relu\nloss crossentropy\n";
    const { uri, diagnostics } = await openDoc(text);
    const found = await actions(uri, diagnostics);
    expect(found.map((a) => a.title)).toEqual(["Use `loss mse`", "Make the output layer sigmoid"]);
    expect(codesAfter(text, uri, found[1]!).text).toBe("layer fc 2->1 sigmoid\nloss crossentropy\n");
  });

  it("widths that do not chain (NN020): takes the previous layer's outputs", async () => {
    const text = "layer fc 2->4 tanh\nlayer fc 5->1 sigmoid\n";
    const { uri, diagnostics } = await openDoc(text);
    const [action] = await actions(
      uri,
      diagnostics.filter((d) => d.code === "NN020"),
    );
    expect(codesAfter(text, uri, action!)).toEqual({ text: "layer fc 2->4 tanh\nlayer fc 4->1 sigmoid\n", codes: [] });
  });

  it("softmax over one output (NN024) becomes sigmoid; an unused let (NN041) is removed with its line", async () => {
    const text = "let K = 2\nlayer fc 2->1 softmax\n";
    const { uri, diagnostics } = await openDoc(text);
    expect(diagnostics.map((d) => d.code).sort()).toEqual(["NN024", "NN041"]);
    const softmax = await actions(
      uri,
      diagnostics.filter((d) => d.code === "NN024"),
    );
    expect(codesAfter(text, uri, softmax[0]!).text).toBe("let K = 2\nlayer fc 2->1 sigmoid\n");
    const unused = await actions(
      uri,
      diagnostics.filter((d) => d.code === "NN041"),
    );
    expect(codesAfter(text, uri, unused[0]!).text).toBe("layer fc 2->1 softmax\n");
  });

  it("a repeated statement (NN014) is removed; `input` against the first layer (NN021) takes what `input` says", async () => {
    const text = "input 3\nlayer fc 2->1 sigmoid\nloss mse\nloss mse # again\n";
    const { uri, diagnostics } = await openDoc(text);
    expect(diagnostics.map((d) => d.code).sort()).toEqual(["NN014", "NN021"]);
    const repeat = await actions(
      uri,
      diagnostics.filter((d) => d.code === "NN014"),
    );
    expect(codesAfter(text, uri, repeat[0]!)).toEqual({ text: "input 3\nlayer fc 2->1 sigmoid\nloss mse\n", codes: ["NN021"] });
    const input = await actions(
      uri,
      diagnostics.filter((d) => d.code === "NN021"),
    );
    expect(codesAfter(text, uri, input[0]!).text).toBe("input 3\nlayer fc 3->1 sigmoid\nloss mse\nloss mse # again\n");
  });

  it("stop early without validation data (NN030): adds a split", async () => {
    const text = "data planar\nlayer fc 2->1 sigmoid\nstop early patience=3\n";
    const { uri, diagnostics } = await openDoc(text);
    expect(diagnostics.map((d) => d.code)).toEqual(["NN030"]);
    const [action] = await actions(uri, diagnostics);
    expect(codesAfter(text, uri, action!)).toEqual({ text: "data planar\nlayer fc 2->1 sigmoid\nsplit 0.2\nstop early patience=3\n", codes: [] });
  });

  it("offers nothing for a diagnostic without a known fix, or from another tool", async () => {
    const text = "layer fc 2->1 sigmoid\nsgd lr=-1\n";
    const { uri, diagnostics } = await openDoc(text);
    expect(diagnostics.map((d) => d.code)).toEqual(["NN012"]);
    expect(await actions(uri, diagnostics)).toEqual([]);
    expect(await actions(uri, [{ ...diagnostics[0]!, code: "NN010", source: "other", data: { hint: "did you mean `x`?" } }])).toEqual([]);
  });
});

describe("inlay hints", () => {
  const hints = async (uri: string, lines = 100) =>
    (await client.connection.sendRequest("textDocument/inlayHint", {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } },
    })) as InlayHint[];

  it("shows each layer's output shape at the end of its line, dropout included", async () => {
    const text = "model m\nlayer fc 2->8 relu\nlayer dropout p=0.5\nlayer fc 8->3 softmax   \nloss crossentropy\n";
    const { uri } = await openDoc(text);
    const got = await hints(uri);
    expect(got.map((h) => [h.position, h.label])).toEqual([
      [{ line: 1, character: 18 }, "→ 8"],
      [{ line: 2, character: 19 }, "→ 8"],
      [{ line: 3, character: 21 }, "→ 3"],
    ]);
    expect(got[2]!.tooltip).toBe("layer 3: 8 → 3, 27 parameters");
  });

  it("only in the requested range, and only as far as the shapes are known", async () => {
    const text = "layer fc 2->4 tanh\nlayer fc 4->x tanh\nlayer fc 4->1 sigmoid\n";
    const { uri } = await openDoc(text);
    expect((await hints(uri)).map((h) => h.label)).toEqual(["→ 4"]);
    const ok = "layer fc 2->4 tanh\nlayer fc 4->1 sigmoid\n";
    const second = await openDoc(ok);
    const only = (await client.connection.sendRequest("textDocument/inlayHint", {
      textDocument: { uri: second.uri },
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } },
    })) as InlayHint[];
    expect(only.map((h) => h.label)).toEqual(["→ 1"]);
  });
});
