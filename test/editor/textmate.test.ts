// The VS Code grammar (editors/vscode/syntaxes/nn.tmLanguage.json), tokenised the way VS Code does it
// (vscode-textmate + the Oniguruma wasm): specific tokens of the shipped specs get the expected scopes, and
// the keyword lists are derived from the compiler itself (grammar/tokens.ts statement keywords,
// src/front/schema.ts kind and activation words), so a new word without highlighting fails here.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import * as onig from "vscode-oniguruma";
import * as vsctm from "vscode-textmate";
import { statementKeywords } from "../../grammar/tokens.js";
import { activationWords, kindOptions } from "../../src/front/schema.js";

const root = join(import.meta.dirname, "../..");
const grammarPath = join(root, "editors/vscode/syntaxes/nn.tmLanguage.json");
const specFiles = readdirSync(join(root, "specs")).filter((f) => f.endsWith(".nn"));

interface Token {
  text: string;
  scopes: string[];
}

let grammar: vsctm.IGrammar;

beforeAll(async () => {
  const require = createRequire(import.meta.url);
  const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new onig.OnigScanner(patterns),
      createOnigString: (s: string) => new onig.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) => (scopeName === "source.nn" ? vsctm.parseRawGrammar(readFileSync(grammarPath, "utf8"), grammarPath) : null),
  });
  const loaded = await registry.loadGrammar("source.nn");
  if (!loaded) throw new Error("grammar source.nn did not load");
  grammar = loaded;
});

/** Tokens of each line of `text` (whitespace-only tokens dropped). */
function tokenize(text: string): Token[][] {
  let state = vsctm.INITIAL;
  return text.split(/\r\n|\r|\n/).map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes })).filter((t) => t.text.trim() !== "");
  });
}

/** The innermost scope of the first token whose text is `text` (after trimming). */
function scopeOf(line: string, text: string): string | undefined {
  const token = tokenize(line)[0]!.find((t) => t.text.trim() === text);
  return token?.scopes.at(-1);
}

describe("editors/vscode", () => {
  it("package.json contributes language nn for .nn files with the source.nn grammar", () => {
    const pkg = JSON.parse(readFileSync(join(root, "editors/vscode/package.json"), "utf8"));
    expect(pkg.contributes.languages[0]).toMatchObject({ id: "nn", extensions: [".nn"], configuration: "./language-configuration.json" });
    expect(pkg.contributes.grammars[0]).toMatchObject({ language: "nn", scopeName: "source.nn", path: "./syntaxes/nn.tmLanguage.json" });
    const config = JSON.parse(readFileSync(join(root, "editors/vscode/language-configuration.json"), "utf8"));
    expect(config.comments.lineComment).toBe("#");
    expect(config.brackets).toContainEqual(["(", ")"]);
  });
});

describe("TextMate grammar on the shipped specs", () => {
  it("scopes the tokens of letters.nn", () => {
    const text = readFileSync(join(root, "specs/letters.nn"), "utf8");
    const lines = tokenize(text);
    const find = (lineStart: string, token: string) => {
      const i = text.split("\n").findIndex((l) => l.startsWith(lineStart));
      expect(i, lineStart).toBeGreaterThanOrEqual(0);
      return lines[i]!.find((t) => t.text === token)?.scopes.at(-1);
    };
    expect(find("# letters.nn", "letters.nn")).toBeUndefined(); // the whole comment is one token …
    expect(lines[0]![0]!.scopes).toContain("comment.line.number-sign.nn"); // … scoped as a comment
    expect(lines[0]!.every((t) => t.scopes.includes("comment.line.number-sign.nn"))).toBe(true);
    expect(find("layer fc 289", "layer")).toBe("keyword.other.statement.nn");
    expect(find("layer fc 289", "fc")).toBe("keyword.other.layer-kind.nn");
    expect(find("layer fc 289", "289")).toBe("constant.numeric.nn");
    expect(find("layer fc 289", "->")).toBe("keyword.operator.arrow.nn");
    expect(find("layer fc 289", "20")).toBe("constant.numeric.nn");
    expect(find("layer fc 289", "sigmoid")).toBe("support.function.activation.nn");
    expect(find("data npy", "labels")).toBe("variable.parameter.option.nn");
    expect(find("data npy", "=")).toBe("keyword.operator.assignment.nn");
    expect(find("sgd", "shuffle")).toBe("variable.parameter.option.nn");
    expect(find("loss", "crossentropy")).toBe("support.constant.kind.nn");
    expect(find("model", "letters")).toBe("entity.name.type.model.nn");
    const path = lines[text.split("\n").findIndex((l) => l.startsWith("data npy"))]!.find((t) => t.text.includes("train-x.npy"));
    expect(path?.scopes).toContain("string.quoted.double.nn");
  });

  it("scopes stop comparisons, let variables, rows and leaky_relu(alpha)", () => {
    expect(scopeOf("stop loss < 0.1", "stop")).toBe("keyword.other.statement.nn");
    expect(scopeOf("stop loss < 0.1", "loss")).toBe("support.constant.kind.nn");
    expect(scopeOf("stop loss < 0.1", "<")).toBe("keyword.operator.comparison.nn");
    expect(scopeOf("stop accuracy >= 0.98", ">=")).toBe("keyword.operator.comparison.nn");
    expect(scopeOf("let H = 4", "H")).toBe("variable.other.nn");
    expect(scopeOf("layer fc 2->H tanh", "H")).toBe("variable.other.nn");
    expect(scopeOf("row 60.3, 165 -> 1", "60.3")).toBe("constant.numeric.nn");
    expect(scopeOf("row 60.3, 165 -> 1", ",")).toBe("punctuation.separator.comma.nn");
    expect(scopeOf("layer fc 2->-3 leaky_relu(0.1)", "-3")).toBe("constant.numeric.nn");
    expect(scopeOf("layer fc 2->4 leaky_relu(0.1)", "leaky_relu")).toBe("support.function.activation.nn");
    expect(scopeOf("layer fc 2->4 leaky_relu(0.1)", "0.1")).toBe("constant.numeric.nn");
    expect(scopeOf("sgd lr=1e-3 epochs=2", "1e-3")).toBe("constant.numeric.nn");
    expect(scopeOf("loss mse; sgd lr=1", "sgd")).toBe("keyword.other.statement.nn");
    expect(scopeOf("model x_1", "x_1")).toBe("entity.name.type.model.nn");
  });

  it("scopes shaped layers: dims, the conv and pool words, their options and same", () => {
    const [input] = tokenize("input 1x17x17");
    expect(input!.map((t) => [t.text, t.scopes.at(-1)])).toEqual([
      ["input", "keyword.other.statement.nn"],
      ["1x17x17", "constant.numeric.dims.nn"],
    ]);
    const [conv] = tokenize("layer conv 6 relu kernel=3x5 stride=2 padding=same");
    const scope = (text: string) => conv!.find((t) => t.text === text)?.scopes.at(-1);
    expect(scope("conv")).toBe("keyword.other.layer-kind.nn");
    expect(scope("6")).toBe("constant.numeric.nn");
    expect(scope("relu")).toBe("support.function.activation.nn");
    for (const option of ["kernel", "stride", "padding"]) expect(scope(option)).toBe("variable.parameter.option.nn");
    expect(scope("3x5")).toBe("constant.numeric.dims.nn");
    expect(scope("same")).toBe("support.constant.kind.nn");
    for (const word of ["maxpool", "avgpool", "flatten"]) expect(scopeOf(`layer ${word} 2`, word)).toBe("keyword.other.layer-kind.nn");
    // As the lexer reads them: `1x` is a number then a name (left unscoped, as any name glued to a number),
    // `x1` a name, `1x2x` dims then a name, `a1x2` a name.
    expect(tokenize("input 1x")[0]!.map((t) => [t.text, t.scopes.at(-1)])).toEqual([
      ["input", "keyword.other.statement.nn"],
      ["1", "constant.numeric.nn"],
      ["x", "source.nn"],
    ]);
    expect(scopeOf("input x1", "x1")).toBe("variable.other.nn");
    expect(scopeOf("input 1x2x", "1x2")).toBe("constant.numeric.dims.nn");
    expect(scopeOf("input a1x2", "a1x2")).toBe("variable.other.nn");
  });

  it("scopes strings with escapes, unterminated strings end at the line end, names with hyphens are not keywords", () => {
    const [line] = tokenize('data csv "a \\"b\\".csv" label=4 # c');
    expect(line!.find((t) => t.text === '\\"')?.scopes.at(-1)).toBe("constant.character.escape.nn");
    expect(line!.find((t) => t.text === "label")?.scopes.at(-1)).toBe("variable.parameter.option.nn");
    expect(line!.at(-1)!.scopes).toContain("comment.line.number-sign.nn");
    const [open, next] = tokenize('data npy "x.npy\nloss mse');
    expect(open!.at(-1)!.scopes).toContain("string.quoted.double.nn");
    expect(next!.find((t) => t.text === "loss")?.scopes.at(-1)).toBe("keyword.other.statement.nn");
    expect(scopeOf("data-x planar", "data-x")).not.toBe("keyword.other.statement.nn");
    expect(scopeOf("normalize zero-mean", "zero-mean")).toBe("support.constant.kind.nn");
  });

  it.each(specFiles)("specs/%s: every comment is a comment, every number outside comments and strings is numeric", (file) => {
    const text = readFileSync(join(root, "specs", file), "utf8");
    for (const line of tokenize(text)) {
      for (const t of line) {
        const inert = t.scopes.some((s) => s.startsWith("comment") || s.startsWith("string"));
        if (t.text.trim().startsWith("#")) expect(t.scopes).toContain("comment.line.number-sign.nn");
        if (!inert && /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(t.text.trim())) expect(t.scopes.at(-1)).toBe("constant.numeric.nn");
        if (!inert) expect(t.scopes.length, `${file}: ${JSON.stringify(t.text)} has no scope`).toBeGreaterThan(1);
      }
    }
  });
});

describe("TextMate grammar covers the compiler's vocabulary", () => {
  const keywords = statementKeywords.map((t) => (t.PATTERN as RegExp).source);

  it("derives the statement keywords from grammar/tokens.ts", () => {
    expect(keywords).toContain("layer");
    expect(keywords.length).toBe(statementKeywords.length);
    for (const k of keywords) expect(k).toMatch(/^[a-z]+$/);
  });

  it.each(keywords)("statement keyword `%s` is highlighted as a keyword", (word) => {
    expect(scopeOf(`${word} x`, word)).toBe("keyword.other.statement.nn");
    expect(scopeOf(`loss mse;${word} x`, word)).toBe("keyword.other.statement.nn");
  });

  it("every kind word and activation in src/front/schema.ts is highlighted", () => {
    const missing: string[] = [];
    for (const [statement, kinds] of Object.entries(kindOptions)) {
      for (const kind of Object.keys(kinds)) {
        const scope = scopeOf(`${statement} ${kind}`, kind);
        if (!scope || !/^(support\.|keyword\.other\.layer-kind)/.test(scope)) missing.push(`${statement} ${kind} (${scope})`);
      }
    }
    for (const a of activationWords) if (scopeOf(`layer fc 1->1 ${a}`, a) !== "support.function.activation.nn") missing.push(a);
    expect(missing).toEqual([]);
  });
});
