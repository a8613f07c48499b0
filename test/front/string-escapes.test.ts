// Unknown escapes in spec strings (issue 21): `"C:\data\train.npy"` used to read as `C:datatrain.npy` and
// then be reported missing. Each unknown escape is NN018 at its backslash, on both parse paths (the direct
// reader and Chevrotain), and the known ones (`\\`, `\"`) keep their meaning; nnc fmt keeps strings as written.
import { describe, expect, it } from "vitest";
import { parseSpec } from "../../src/front/index.js";
import { formatSpec } from "../../src/fmt/index.js";
import { formatDiagnostics } from "../../src/front/diagnostics.js";
import { unknownEscapes } from "../../src/front/escapes.js";

const net = "layer fc 2->3 tanh\nlayer fc 3->1 sigmoid\nloss mse\n";

function escapes(source: string): { line: number; column: number; message: string; hint: string | undefined }[] {
  return parseSpec(source, "case.nn")
    .diagnostics.filter((d) => d.code === "NN018")
    .map((d) => ({ line: d.range.startLine, column: d.range.startColumn, message: d.message, hint: d.hint }));
}

describe("unknown escapes in strings", () => {
  it("a Windows path is refused at each backslash, with the hint", () => {
    const source = `${net}data csv "C:\\data\\train.csv" label=y\n`;
    const result = parseSpec(source, "case.nn");
    expect(result.spec).toBeNull();
    const found = escapes(source);
    // data csv "C:\data\train.csv": the quote is column 10, the backslashes 13 and 18.
    expect(found.map((f) => [f.line, f.column])).toEqual([
      [4, 13],
      [4, 18],
    ]);
    expect(found[0]!.message).toContain("unknown escape `\\d`");
    expect(found[1]!.message).toContain("unknown escape `\\t`");
    expect(found[0]!.hint).toContain("write \\\\ for a backslash, or use forward slashes");
    // The printed form: file:line:col, the line, a caret under the escape.
    const printed = formatDiagnostics(result.diagnostics, source);
    expect(printed).toContain("case.nn:4:13: error NN018:");
    expect(printed).toContain("            ^~");
  });

  it("the known escapes keep their meaning and the spec is valid", () => {
    const source = `${net}data csv "C:\\\\data\\\\a \\"b\\".csv" label=y\n`;
    const { spec, diagnostics } = parseSpec(source, "case.nn");
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(spec!.data!.train).toMatchObject({ kind: "csv", path: 'C:\\data\\a "b".csv' });
  });

  it("both parse paths report it: a well-formed statement (direct reader) and a broken one (Chevrotain)", () => {
    const direct = escapes(`${net}data csv "x\\q.csv" label=y\n`);
    expect(direct.map((f) => [f.line, f.column])).toEqual([[4, 12]]);
    const broken = `${net}data csv "x\\q.csv" label=y )\n`;
    const codes = parseSpec(broken, "case.nn").diagnostics.map((d) => d.code);
    expect(codes).toContain("NN003");
    expect(escapes(broken).map((f) => [f.line, f.column])).toEqual([[4, 12]]);
  });

  it("in class names, in an unterminated string (with NN002), after CRLF line ends", () => {
    expect(escapes(`${net}classes "a\\b", c\n`).map((f) => [f.line, f.column])).toEqual([[4, 11]]);
    const open = parseSpec(`${net}data csv "x\\y.csv\n`, "case.nn").diagnostics.map((d) => d.code);
    expect(open).toEqual(expect.arrayContaining(["NN002", "NN018"]));
    const crlf = `${net.replace(/\n/g, "\r\n")}data csv "a\\n" label=y\r\n`;
    expect(escapes(crlf).map((f) => [f.line, f.column])).toEqual([[4, 12]]);
  });

  it("names the escaped character, a non-ASCII one by its code point", () => {
    expect(escapes(`${net}classes "\\é", b\n`)[0]!.message).toContain("`\\\\u{e9}`".slice(1));
    expect(escapes(`${net}classes "\\0", b\n`)[0]!.message).toContain("`\\0`");
  });

  it("is bounded: a string of 100,000 escapes gives at most 100 diagnostics, quickly", () => {
    const source = `${net}data csv "${"\\x".repeat(100_000)}" label=y\n`;
    const started = performance.now();
    const found = escapes(source);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(found).toHaveLength(100);
  });

  it("unknownEscapes: `\\\\` then a letter is a backslash and a letter, not an escape", () => {
    expect(unknownEscapes('"a\\\\b"')).toEqual([]);
    expect(unknownEscapes('"a\\\\\\b"')).toEqual([4]);
    expect(unknownEscapes('"a\\"b"')).toEqual([]);
    // A trailing backslash of an unterminated string escapes nothing (NN002's).
    expect(unknownEscapes('"a\\')).toEqual([]);
  });
});

describe("nnc fmt and escapes", () => {
  it("keeps strings as written, escapes included", () => {
    const source = `${net}data csv   "C:\\\\data\\\\a \\"b\\".csv"   label=y\n`;
    const result = formatSpec(source, "case.nn");
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.text).toContain('"C:\\\\data\\\\a \\"b\\".csv"');
  });

  it("refuses to format a spec with an unknown escape (nothing rewritten)", () => {
    const result = formatSpec(`${net}data csv "C:\\data.csv" label=y\n`, "case.nn");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics.map((d) => d.code)).toContain("NN018");
  });
});

describe("an escaped backslash at the end of a string", () => {
  it("is kept (the unescaping once dropped it with the trailing backslash of an unterminated string)", () => {
    const { spec } = parseSpec(`${net}data csv "C:\\\\data\\\\" label=y\n`, "case.nn");
    expect(spec!.data!.train).toMatchObject({ path: "C:\\data\\" });
  });
});
