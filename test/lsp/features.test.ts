// Hover, completion, signature help and formatting over real LSP messages, checked against the tables they
// read (the maths table, the schema, the layer rules, the plan) so that a wrong lookup fails.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CompletionItem, Hover, MarkupContent, SignatureHelp, TextEdit } from "vscode-languageserver";
import { frontEnd } from "../../src/compile.js";
import { formatSpec } from "../../src/fmt/index.js";
import { ACTIVATIONS } from "../../src/maths.js";
import { layerWords } from "../../src/layers/index.js";
import { applyEdits, inMemoryClient, positionOf, type TestClient } from "./client.js";

let client: TestClient;
beforeAll(async () => {
  client = await inMemoryClient();
});
afterAll(() => client.close());

const PLANAR =
  "model planar\ndata planar\nlet H = 4\nlayer fc 2->H tanh\nlayer dropout p=0.2\nlayer fc H->1 sigmoid\nloss crossentropy\nadam lr=0.01 epochs=10 batch=32\n";
let version = 0;

async function openDoc(text: string, name = `doc${++version}.nn`): Promise<string> {
  const uri = `file:///work/${name}`;
  client.open(uri, text);
  await client.diagnostics(uri, 1);
  return uri;
}

const hoverText = async (uri: string, position: { line: number; character: number }) => {
  const hover = (await client.connection.sendRequest("textDocument/hover", { textDocument: { uri }, position })) as Hover | null;
  return hover === null ? null : (hover.contents as MarkupContent).value;
};

const completions = async (uri: string, position: { line: number; character: number }) =>
  (await client.connection.sendRequest("textDocument/completion", { textDocument: { uri }, position })) as CompletionItem[];

describe("hover", () => {
  it("on a layer: input → output shape, parameter count and the activation's formula from the maths table", async () => {
    const uri = await openDoc(PLANAR);
    const text = await hoverText(uri, positionOf(PLANAR, "layer fc 2", 2));
    expect(text).toContain("shape 2 → 4");
    expect(text).toContain("12 parameters"); // 2×4 weights + 4 biases
    expect(text).toContain(`tanh: ${ACTIVATIONS.tanh.doc}`);
    const last = await hoverText(uri, positionOf(PLANAR, "layer fc H->1", 3));
    expect(last).toContain("shape 4 → 1");
    expect(last).toContain("5 parameters");
    expect(last).toContain(ACTIVATIONS.sigmoid.doc);
  });

  it("on a dropout layer: its shape through the dropout rule, no parameters", async () => {
    const uri = await openDoc(PLANAR);
    const text = await hoverText(uri, positionOf(PLANAR, "layer dropout", 2));
    expect(text).toContain("shape 4 → 4");
    expect(text).toContain("0 parameters");
  });

  it("on model: the memory of the whole module, as the plan estimates it", async () => {
    const uri = await openDoc(PLANAR, "memory.nn");
    const plan = frontEnd(PLANAR, "/work/memory.nn", {}).plan!;
    const text = await hoverText(uri, positionOf(PLANAR, "model", 1));
    expect(text).toContain(`${plan.parameters} parameters`);
    expect(text).toContain(`(${plan.memory.total} bytes)`);
    expect(plan.parameters).toBe(17);
  });

  it("on an option: type, range, default and meaning from the schema", async () => {
    const uri = await openDoc(PLANAR);
    const text = await hoverText(uri, positionOf(PLANAR, "batch", 1));
    expect(text).toBe("**batch**: whole number ≥ 1, default 32\n\nsamples per gradient step");
    const p = await hoverText(uri, positionOf(PLANAR, "p=", 0));
    expect(p).toContain("number in [0, 1), default 0.5");
  });

  it("on a variable: its value; nothing on a blank line", async () => {
    const uri = await openDoc(PLANAR);
    expect(await hoverText(uri, positionOf(PLANAR, "H->1", 0))).toBe("`let H = 4`");
    expect(await hoverText(uri, { line: 20, character: 0 })).toBeNull();
  });

  it("still shows the shapes of the layers before an error", async () => {
    const broken = PLANAR.replace("loss crossentropy", "loss crossentropy\nsgd lr=-1");
    const uri = await openDoc(broken);
    expect(await hoverText(uri, positionOf(broken, "layer fc 2", 2))).toContain("shape 2 → 4");
    expect(await hoverText(uri, positionOf(broken, "model", 1))).toContain("not known until the spec has no errors");
  });
});

describe("completion", () => {
  const labels = (items: CompletionItem[]) => items.map((i) => i.label);

  it("offers the classes' names right after a row's arrow, strings quoted", async () => {
    const text = 'classes male, "not sure", female\nlayer fc 2->3 softmax\nrow 60, 165 -> \nrow 60, 165 \n';
    const uri = await openDoc(text);
    const items = await completions(uri, { line: 2, character: 15 });
    expect(labels(items)).toEqual(["male", "not sure", "female"]);
    expect(items.map((i) => i.insertText)).toEqual(["male", '"not sure"', "female"]);
    expect(items.map((i) => i.detail)).toEqual(["class 0", "class 1", "class 2"]);
    expect(await completions(uri, { line: 3, character: 12 })).toEqual([]);
  });

  it("offers every statement keyword at the start of a line", async () => {
    const text = "layer fc 2->1 sigmoid\n\n";
    const uri = await openDoc(text);
    const got = labels(await completions(uri, { line: 1, character: 0 }));
    expect(got).toEqual(expect.arrayContaining(["model", "layer", "adam", "schedule", "stop", "precision"]));
    expect(got).not.toContain("fc");
  });

  it("offers the layer rules' words after `layer`, and a kind's options with type, range and default", async () => {
    const text = "layer \nlayer fc 2->4 \nlayer dropout \n";
    const uri = await openDoc(text);
    expect(labels(await completions(uri, { line: 0, character: 6 })).sort()).toEqual(Object.keys(layerWords()).sort());
    const afterSizes = labels(await completions(uri, { line: 1, character: 14 }));
    expect(afterSizes).toEqual(expect.arrayContaining(Object.keys(ACTIVATIONS)));
    const dropout = await completions(uri, { line: 2, character: 14 });
    expect(labels(dropout)).toEqual(["p"]);
    // dropout takes no activation (the front end says NN008 for one), so none is offered after its option either.
    const afterOption = await openDoc("layer fc 2->4 relu\nlayer dropout p=0.5 \n");
    expect(labels(await completions(afterOption, { line: 1, character: 20 }))).toEqual([]);
    expect(dropout[0]).toMatchObject({ detail: "number in [0, 1), default 0.5", insertText: "p=" });
  });

  it("offers an optimiser's options not yet written, flags without `=`", async () => {
    const text = "adam lr=0.1 \n";
    const uri = await openDoc(text);
    const items = await completions(uri, { line: 0, character: 12 });
    expect(labels(items)).toEqual(expect.arrayContaining(["epochs", "batch", "beta1", "beta2", "eps", "shuffle"]));
    expect(labels(items)).not.toContain("lr");
    expect(items.find((i) => i.label === "shuffle")?.insertText).toBe("shuffle");
    expect(items.find((i) => i.label === "beta2")?.detail).toBe("number in [0, 1), default 0.999");
  });

  it("offers a flag's values and a named option's words after `=`", async () => {
    const text = "sgd shuffle=\nstop early monitor=\n";
    const uri = await openDoc(text);
    expect(labels(await completions(uri, { line: 0, character: 12 }))).toEqual(["true", "false"]);
    expect(labels(await completions(uri, { line: 1, character: 19 }))).toEqual(["val_loss", "val_accuracy"]);
  });

  it("offers nothing inside a comment", async () => {
    const text = "# layer \n";
    const uri = await openDoc(text);
    expect(await completions(uri, { line: 0, character: 8 })).toEqual([]);
  });

  it("offers the files and folders next to the spec inside a data path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nnc-lsp-"));
    writeFileSync(join(dir, "train.npy"), "");
    mkdirSync(join(dir, "sets"));
    writeFileSync(join(dir, "sets", "labels.npy"), "");
    const text = 'layer fc 2->1 sigmoid\ndata npy "\ntest npy "sets/\n';
    const uri = pathToFileURL(join(dir, "spec.nn")).href;
    client.open(uri, text);
    await client.diagnostics(uri, 1);
    const top = await completions(uri, { line: 1, character: 10 });
    expect(labels(top).sort()).toEqual(["sets/", "train.npy"]);
    const inside = await completions(uri, { line: 2, character: 15 });
    expect(labels(inside)).toEqual(["labels.npy"]);
    // Replaces only what follows the last `/`.
    expect(inside[0]!.textEdit).toEqual({ range: { start: { line: 2, character: 15 }, end: { line: 2, character: 15 } }, newText: "labels.npy" });
  });
});

describe("signature help", () => {
  it("lists the statement's options and highlights the one being set", async () => {
    const text = "adam lr=\n";
    const uri = await openDoc(text);
    const help = (await client.connection.sendRequest("textDocument/signatureHelp", {
      textDocument: { uri },
      position: { line: 0, character: 8 },
    })) as SignatureHelp;
    const signature = help.signatures[0]!;
    expect(signature.label.startsWith("adam lr=number > 0 epochs=whole number in [1, 1000000000]")).toBe(true);
    const active = signature.parameters![help.activeParameter!]!.label as [number, number];
    expect(signature.label.slice(active[0], active[1])).toBe("lr=number > 0");
    expect(signature.parameters!.map((p) => signature.label.slice(...(p.label as [number, number])).split("=")[0])).toEqual(
      expect.arrayContaining(["beta1", "beta2", "eps", "seed"]),
    );
  });

  it("has none for a statement without options", async () => {
    const uri = await openDoc("loss mse\n");
    expect(await client.connection.sendRequest("textDocument/signatureHelp", { textDocument: { uri }, position: { line: 0, character: 9 } })).toBeNull();
  });
});

describe("formatting", () => {
  it("rewrites the document to nnc fmt's canonical layout", async () => {
    const text = "model   x\nsgd   batch=4 lr=0.5   # rate\nlayer fc 2->1   sigmoid\n";
    const uri = await openDoc(text);
    const edits = (await client.connection.sendRequest("textDocument/formatting", {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    })) as TextEdit[];
    const expected = formatSpec(text, "/work/x.nn");
    expect(expected.ok && expected.changed).toBe(true);
    expect(applyEdits(text, edits)).toBe(expected.ok ? expected.text : "");
    expect(applyEdits(text, edits)).toContain("lr=0.5 batch=4");
  });

  it("leaves a spec with a syntax error alone", async () => {
    const uri = await openDoc("layer fc 2->\n");
    expect(await client.connection.sendRequest("textDocument/formatting", { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })).toEqual([]);
  });
});
