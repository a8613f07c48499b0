// The CI reporters of `nnc check` and `nnc parse` (src/reporters/, docs/ci.md): JUnit XML validated against
// test/reporters/junit.xsd with xmllint-wasm (libxml2), GitHub annotations checked against the documented
// workflow-command syntax and pointed at the right layer line, the markdown summary's table shape, the JSON
// report; and the flags end to end on the built CLI (exit codes, --reporter NAME=FILE, --reporter-output,
// a one-line error when a report cannot be written).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { validateXML } from "xmllint-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { buildGeneratedModule, checkFiles, renderCheck } from "../../src/commands/check.js";
import { renderParse } from "../../src/commands/parse.js";
import { escapeData, escapeProperty, formatAnnotation, tensorRange, xmlAttr, xmlText, type FileResult } from "../../src/reporters/index.js";
import { cell } from "../../src/reporters/markdown.js";
import { parseSpec, readSpecFile } from "../../src/front/index.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const schema = readFileSync(join(root, "test/reporters/junit.xsd"), "utf8");

async function schemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: "report.xml", contents: xml }], schema: [{ fileName: "junit.xsd", contents: schema }] });
  return result.valid ? [] : result.errors.map((e) => e.message);
}

/** The documented syntax: `::LEVEL file=…,line=…,endLine=…,col=…,title=…::MESSAGE`, properties escaped (no raw `,` `:` or line breaks), the message without raw line breaks. */
const ANNOTATION = /^::(error|warning|notice) file=[^,:\r\n]+(,line=\d+)?(,endLine=\d+)?(,col=\d+)?(,title=[^,:\r\n]*)?::[^\r\n]*$/;

const dir = mkdtempSync(join(tmpdir(), "nnc-reporters-"));
// Dropout between the dense layers: layer2.* is the third layer statement, not the second.
const dropout = join(dir, "drop.nn");
writeFileSync(
  dropout,
  "# a comment line\nmodel drop\nlet UNUSED = 3\nlayer fc 2->4 tanh\n\nlayer dropout p=0.5\n  layer fc 4->1 sigmoid\nloss crossentropy\nsgd lr=0.1 epochs=2\n",
);
// A spec with an error whose message carries markup, quotes, commas, colons, percent signs and a control character.
const hostile = join(dir, 'bad & <"odd">, 50%: x.nn');
writeFileSync(hostile, 'model bad\nlayer fc 2->4 tanh\nlayer fc 4->1 sigmoid\nloss crossentropy\nsgd lr=0.1 "a\u0001<&>%,:b"=5\n');

function parsed(file: string): FileResult {
  const { source, fileName } = readSpecFile(file);
  return { file, ...parseSpec(source, fileName), check: null };
}

describe("escaping", () => {
  it("XML: markup, quotes and characters XML 1.0 cannot carry", () => {
    expect(xmlText("a<b>&c")).toBe("a&lt;b&gt;&amp;c");
    expect(xmlAttr(`"x'\n\t`)).toBe("&quot;x&apos;&#10;&#9;");
    expect(xmlText("\u0000\u0001\u001f\ud800x\uffff")).toBe("\\u0000\\u0001\\u001F\\uD800x\\uFFFF");
    expect(xmlText("😀")).toBe("😀");
  });
  it("GitHub: %, \\r, \\n in messages; also : and , in properties", () => {
    expect(escapeData("50% a\r\nb: c, d")).toBe("50%25 a%0D%0Ab: c, d");
    expect(escapeProperty("50% a\nb: c, d")).toBe("50%25 a%0Ab%3A c%2C d");
    expect(formatAnnotation({ level: "warning", file: "a,b:c.nn", line: 3, col: 2, title: "t: x", message: "m\nn" })).toBe(
      "::warning file=a%2Cb%3Ac.nn,line=3,col=2,title=t%3A x::m%0An",
    );
  });
  it("markdown: a cell keeps the table's shape", () => {
    expect(cell("a|b\nc `d` <e>")).toBe("a\\|b c \\`d\\` \\<e\\>");
  });
});

describe("nnc check reporters", () => {
  let passing: FileResult[];
  let failing: FileResult[];
  beforeAll(async () => {
    passing = await checkFiles(["specs/planar.nn", dropout, hostile], buildGeneratedModule);
    // A tolerance nothing meets: every tensor fails, with real errors and worst entries.
    failing = await checkFiles(["specs/planar.nn", dropout], buildGeneratedModule, { tolerance: 1e-300, atol: 0 });
  }, 120_000);

  it("the schema's validator can say no", async () => {
    expect(
      await schemaErrors('<testsuites tests="1" failures="0" errors="0"><testsuite name="s" tests="x" failures="0" errors="0"/></testsuites>'),
    ).not.toEqual([]);
    expect(
      await schemaErrors(
        '<testsuites tests="1" failures="0" errors="0"><testsuite name="s" tests="1" failures="0" errors="0"><testcase name="t"/></testsuite></testsuites>',
      ),
    ).not.toEqual([]);
    expect(await schemaErrors("<testsuites><testsuite")).not.toEqual([]);
  });

  it("JUnit: valid against the schema, one testsuite per spec, one testcase per tensor, counts that add up", async () => {
    for (const results of [passing, failing]) {
      const xml = renderCheck("junit", results);
      expect(await schemaErrors(xml)).toEqual([]);
      const suites = [...xml.matchAll(/<testsuite name="([^"]*)" tests="(\d+)" failures="(\d+)"/g)];
      expect(suites.map((s) => s[1])).toEqual(results.map((r) => xmlAttr(r.file)));
      for (const [i, r] of results.entries()) {
        const body = xml.split("<testsuite ")[i + 1]!;
        const cases = [...body.matchAll(/<testcase name="([^"]*)" classname="([^"]*)"/g)];
        if (r.check) {
          expect(cases.map((c) => c[1])).toEqual(r.check.rows.map((row) => row.name));
          expect(new Set(cases.map((c) => c[2]))).toEqual(new Set([r.check.model]));
          expect(Number(suites[i]![3])).toBe(r.check.rows.filter((row) => row.status === "fail").length);
        } else {
          expect(cases.map((c) => c[1])).toEqual(["parse"]);
        }
      }
    }
    expect(renderCheck("junit", passing)).toMatch(/<testsuites name="nnc check" tests="\d+" failures="1" errors="0"/);
  });

  it("JUnit: a failing tensor's failure names its max errors and worst entry", () => {
    const xml = renderCheck("junit", failing);
    const row = failing[0]!.check!.rows.find((r) => r.name === "layer1.weight")!;
    const w = row.worst[0]!;
    expect(xml).toContain(`<failure type="gradient" message="layer1.weight: max rel error`);
    expect(xml).toContain(`worst entry layer1.weight${w.position} (index ${w.index})`);
    expect((xml.match(/<failure /g) ?? []).length).toBe(failing.reduce((n, r) => n + r.check!.rows.length, 0));
  });

  it("JUnit: a spec with errors is a failing testcase, its hostile text escaped", async () => {
    const xml = renderCheck("junit", passing);
    expect(xml).toContain(`<testsuite name="${xmlAttr(hostile)}"`);
    expect(xml).toContain("\\u0001");
    expect(xml).not.toMatch(/[\u0001]/);
    expect(xml).toMatch(/<failure type="NN\d{3}" message="[^"]*bad &amp; &lt;&quot;odd&quot;&gt;/);
    // The warning (NN041, unused let) is kept in system-out.
    expect(xml).toMatch(/<system-out>[^<]*warning NN041/);
  });

  it("GitHub: every line an annotation of the documented syntax, but the summary; failing tensors on their layer's line", () => {
    for (const results of [passing, failing]) {
      const lines = renderCheck("github", results).trimEnd().split("\n");
      expect(lines.at(-1)).toMatch(/^nnc check: /);
      for (const line of lines.slice(0, -1)) expect(line).toMatch(ANNOTATION);
    }
    const lines = renderCheck("github", failing).trimEnd().split("\n").slice(0, -1);
    expect(lines).toHaveLength(failing.reduce((n, r) => n + r.check!.rows.length + r.diagnostics.length, 0));
    const source = readFileSync(dropout, "utf8").split("\n");
    const at = (tensor: string) => {
      const line = lines.find((l) => l.includes(`file=${escapeProperty(dropout)},`) && l.includes(`gradient of ${tensor}::`))!;
      const m = /,line=(\d+),col=(\d+),/.exec(line)!;
      return source[Number(m[1]) - 1]!.slice(Number(m[2]) - 1);
    };
    expect(at("layer1.weight")).toBe("layer fc 2->4 tanh");
    expect(at("layer1.bias")).toBe("layer fc 2->4 tanh");
    expect(at("layer2.weight")).toBe("layer fc 4->1 sigmoid");
    expect(at("input")).toBe("layer fc 2->4 tanh");
    // planar.nn: the layer lines of the real spec.
    const planar = readFileSync("specs/planar.nn", "utf8").split("\n");
    const planarLine = (tensor: string) =>
      Number(/,line=(\d+),/.exec(lines.find((l) => l.includes("file=specs/planar.nn,") && l.includes(`gradient of ${tensor}::`))!)![1]);
    expect(planar[planarLine("layer2.bias") - 1]).toBe("layer fc H->1 sigmoid");
    // The warning of the dropout spec, and the hostile spec's error at its own position.
    const passingLines = renderCheck("github", passing).split("\n");
    expect(passingLines.find((l) => l.startsWith("::warning ") && l.includes("title=nnc NN041"))).toMatch(/,line=3,col=\d+,/);
    const err = passingLines.find((l) => l.startsWith(`::error file=${escapeProperty(hostile)},`))!;
    expect(err).toMatch(/,line=5,col=\d+,title=nnc NN\d{3}::/);
  });

  it("tensorRange: layer<n> is the n-th layer with parameters; f32 rows the whole file", () => {
    const spec = failing[1]!.spec!;
    expect(tensorRange(spec, "layer2.bias")).toBe(spec.layers[2]!.range);
    expect(tensorRange(spec, "f32 gradient")).toBeNull();
    expect(tensorRange(spec, "layer9.weight")).toBeNull();
  });

  it("markdown: a heading, a table row per spec with as many cells as the header, failing tensors listed", () => {
    const md = renderCheck("markdown", failing);
    const lines = md.split("\n");
    expect(lines[0]).toBe("### nnc check: 2 specs, 10 tensors — 2 failed");
    const cells = (line: string) => line.replace(/\\\|/g, "").split("|").length;
    const table = lines.filter((l) => l.startsWith("|"));
    const head = cells(table[0]!);
    expect(table.slice(0, 4).every((l) => cells(l) === head)).toBe(true);
    expect(table[1]).toMatch(/^\|(-+:?\|)+$/);
    expect(md).toContain("#### Failing tensors");
    expect(md).toMatch(/\| specs\/planar\.nn \| layer1\.weight \| [\d.e-]+ \| [\d.e-]+ \| layer1\.weight\\\[\d+,\d+\\\] \(index \d+\) \| \d+\/\d+ \|/);
    const ok = renderCheck("markdown", passing);
    expect(ok).toMatch(/\| specs\/planar\.nn \| planar \| 5 \| 0 \| [\d.e-]+ \| [\d.]+ s \| ✅ passed \|/);
    expect(ok).toContain("❌ 1 error |");
  });

  it("table: today's tables; a spec with errors listed under them and in the summary", () => {
    expect(renderCheck("table", failing)).toMatch(/^specs\/planar\.nn — planar/);
    const table = renderCheck("table", passing);
    expect(table).toContain(`${hostile}: not checked, it has errors:\n  ${hostile}:5:`);
    expect(table.trimEnd().split("\n").at(-1)).toBe(
      `nnc check: 2 specs, 10 tensors, 0 entries skipped at kinks — all passed; 1 spec not checked (errors): ${hostile}`,
    );
  });

  it("json: today's report object", () => {
    const json = JSON.parse(renderCheck("json", failing));
    expect(Object.keys(json)).toEqual(["tool", "passed", "specs"]);
    expect(json.passed).toBe(false);
    expect(json.specs.map((s: { file: string }) => s.file)).toEqual(["specs/planar.nn", dropout]);
  });
});

describe("nnc parse reporters", () => {
  const results = [parsed("specs/planar.nn"), parsed(dropout), parsed(hostile)];
  it("JUnit: one testcase per spec, a failure per error, valid against the schema", async () => {
    const xml = renderParse("junit", results);
    expect(await schemaErrors(xml)).toEqual([]);
    expect([...xml.matchAll(/<testcase name="([^"]*)"/g)].map((m) => m[1])).toEqual(results.map((r) => xmlAttr(r.file)));
    const errors = results[2]!.diagnostics.filter((d) => d.severity === "error");
    expect((xml.match(/<failure /g) ?? []).length).toBe(errors.length);
    expect(xml).toContain(`message="${xmlAttr(`${hostile}:${errors[0]!.range.startLine}:${errors[0]!.range.startColumn}: error ${errors[0]!.code}`)}`);
    expect(xml).toMatch(/<testsuites name="nnc parse" tests="3" failures="1" errors="0">/);
  });
  it("GitHub: an annotation per diagnostic at its position, warnings as ::warning", () => {
    const lines = renderParse("github", results).trimEnd().split("\n");
    expect(lines.at(-1)).toBe("nnc parse: 3 specs, 1 with errors");
    for (const line of lines.slice(0, -1)) expect(line).toMatch(ANNOTATION);
    expect(lines.filter((l) => l.startsWith("::warning "))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith("::error "))).toHaveLength(results[2]!.diagnostics.length);
  });
  it("markdown: a row per spec", () => {
    const md = renderParse("markdown", results);
    expect(md.split("\n").filter((l) => l.startsWith("| "))).toHaveLength(4);
    expect(md).toContain("| specs/planar.nn | planar | 0 | 0 | ✅ ok |");
  });
});

describe("the flags, end to end", () => {
  const nnc = (...args: string[]) =>
    spawnSync(process.execPath, [join(root, "bin/nnc.js"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 120_000 });
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root });
  }, 120_000);

  it("nnc check: several reports from one run, exit 1 on a failure, --json and --reporter json alike", () => {
    const out = join(dir, "out");
    const r = nnc(
      "check",
      "specs/gender.nn",
      dropout,
      "--reporter",
      "github",
      "--reporter",
      `junit=${join(out, "check.xml")}`,
      "--reporter",
      `markdown=${join(out, "summary.md")}`,
      "--tolerance",
      "1e-300",
      "--atol",
      "0",
    );
    expect(r.status).toBe(1);
    expect(r.stdout.split("\n")[0]).toMatch(ANNOTATION);
    expect(readFileSync(join(out, "check.xml"), "utf8")).toMatch(/^<\?xml/);
    expect(readFileSync(join(out, "summary.md"), "utf8")).toMatch(/^### nnc check: 2 specs/);
    const json = nnc("check", "specs/gender.nn", "--reporter", "json", "--reporter-output", join(out, "check.json"));
    expect(json.status).toBe(0);
    expect(json.stdout).toBe("");
    expect(JSON.parse(readFileSync(join(out, "check.json"), "utf8")).passed).toBe(true);
    expect(readdirSync(out).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  }, 120_000);

  it("one-line user errors: an unknown reporter, two reports on stdout, a report that cannot be written", () => {
    const unknown = nnc("check", "specs/gender.nn", "--reporter", "xunit");
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^nnc: --reporter must be one of table, json, junit, github, markdown/);
    const two = nnc("parse", "specs/gender.nn", "--reporter", "github", "--reporter", "junit");
    expect(two.status).toBe(1);
    expect(two.stderr).toMatch(/only one report can go to stdout/);
    mkdirSync(join(dir, "a-dir"), { recursive: true });
    const cannot = nnc("parse", "specs/gender.nn", "--reporter", "junit", "--reporter-output", join(dir, "a-dir"));
    expect(cannot.status).toBe(1);
    expect(cannot.stderr.trimEnd().split("\n")).toEqual([`nnc: cannot write ${join(dir, "a-dir")}: it is a folder (give a file name)`]);
  }, 120_000);

  it("nnc parse: several files with a CI reporter, exit 1 on an error; one file otherwise", () => {
    const r = nnc("parse", "--reporter", "github", "specs/gender.nn", hostile);
    expect(r.status).toBe(1);
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("nnc parse: 2 specs, 1 with errors");
    const ok = nnc("parse", "--reporter", "junit", "specs/gender.nn", "specs/planar.nn");
    expect(ok.status).toBe(0);
    const many = nnc("parse", "specs/gender.nn", "specs/planar.nn");
    expect(many.status).toBe(1);
    expect(many.stderr).toMatch(/^nnc: nnc parse takes one file \(got 2\)/);
    const json = nnc("parse", "--reporter", "json", "specs/gender.nn");
    expect(json.stdout).toBe(nnc("parse", "--json", "specs/gender.nn").stdout);
  }, 120_000);
});

describe("docs/ci.md", () => {
  const doc = readFileSync(join(root, "docs/ci.md"), "utf8");
  const yaml = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const commands = yaml.flatMap((block) => [...block.matchAll(/(?:run:|-) (npx nnc .*)$/gm)].map((m) => m[1]!));

  it("has a GitHub Actions workflow and a GitLab CI job that check every spec with the reporters", () => {
    expect(yaml).toHaveLength(2);
    expect(yaml[0]).toMatch(/on: \[push, pull_request\]/);
    expect(yaml[0]).toContain('>> "$GITHUB_STEP_SUMMARY"');
    expect(yaml[1]).toMatch(/reports:\n\s+junit: reports\/nnc-check\.xml/);
    expect(commands.filter((c) => c.startsWith("npx nnc check specs/*.nn "))).toHaveLength(2);
  });

  it("its nnc commands run (on one spec) and write the reports the recipes read", () => {
    const work = mkdtempSync(join(tmpdir(), "nnc-ci-recipe-"));
    mkdirSync(join(work, "specs"));
    writeFileSync(join(work, "specs/gender.nn"), readFileSync(join(root, "specs/gender.nn")));
    for (const command of commands) {
      const line = command.replace(/^npx nnc /, `"${process.execPath}" "${join(root, "bin/nnc.js")}" `);
      const r = spawnSync("bash", ["-c", line], { cwd: work, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 120_000 });
      expect(r.status, `${command}\n${r.stderr}`).toBe(0);
    }
    expect(readFileSync(join(work, "reports/nnc-check.xml"), "utf8")).toMatch(/<testsuite name="specs\/gender\.nn" tests="5" failures="0"/);
    expect(readFileSync(join(work, "reports/nnc-check.md"), "utf8")).toMatch(/^### nnc check: 1 spec, 5 tensors — all passed/);
  }, 120_000);
});
