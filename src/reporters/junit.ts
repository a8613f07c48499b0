// JUnit XML (the Ant/Jenkins format that GitHub, GitLab, Jenkins, CircleCI and Azure Pipelines read;
// test/reporters/junit.xsd is the schema the tests validate against).
// nnc check: one <testsuite> per spec (name = the spec file), one <testcase> per checked tensor (name = the
// tensor, classname = the model), a <failure> with the max errors and the worst entry for a failing one.
// A spec with errors: one testcase "parse" with a <failure> per error.
// nnc parse: one <testsuite name="nnc parse">, one <testcase> per spec (name = the file), a <failure> per
// error diagnostic (`file:line:col: error CODE: message`); warnings in <system-out>.
import type { Diagnostic } from "../ir.js";
import type { RowReport } from "../check/report.js";
import { diagnosticLine, errorsOf, filePassed, rowFailureMessage, warningsOf, type FileResult } from "./results.js";
import { xmlAttrs, xmlText } from "./xml.js";

const HEADER = '<?xml version="1.0" encoding="UTF-8"?>';

/** A classname without dots (Jenkins reads dots as package separators): the model, or the file's base name. */
function classOf(result: FileResult): string {
  if (result.spec) return result.spec.name;
  return (result.file.split(/[\\/]/).pop() ?? result.file).replace(/\.nn$/, "").replace(/\./g, "_");
}

function failures(diagnostics: Diagnostic[], indent: string): string[] {
  return diagnostics.map((d) => {
    const line = diagnosticLine(d);
    return `${indent}<failure${xmlAttrs({ type: d.code, message: line })}>${xmlText(line)}</failure>`;
  });
}

function systemOut(lines: string[], indent: string): string[] {
  return lines.length === 0 ? [] : [`${indent}<system-out>${xmlText(lines.join("\n"))}</system-out>`];
}

function rowCase(row: RowReport, classname: string): string[] {
  const open = `    <testcase${xmlAttrs({ name: row.name, classname })}`;
  if (row.status === "pass") {
    if (!row.note) return [`${open}/>`];
    return [`${open}>`, ...systemOut([`${row.name}: ${row.note}`], "      "), "    </testcase>"];
  }
  const message = rowFailureMessage(row);
  const detail = [
    message,
    ...row.worst.map(
      (w) =>
        `${row.name}${w.position} (index ${w.index}): analytic ${w.analytic.toPrecision(8)}, numeric ${w.numeric.toPrecision(8)}, abs ${w.absError.toExponential(2)}, rel ${w.relError.toExponential(2)}`,
    ),
  ];
  return [`${open}>`, `      <failure${xmlAttrs({ type: "gradient", message })}>${xmlText(detail.join("\n"))}</failure>`, "    </testcase>"];
}

function checkSuite(result: FileResult): { lines: string[]; tests: number; failed: number; seconds: number } {
  const classname = classOf(result);
  const warnings = warningsOf(result).map(diagnosticLine);
  const report = result.check;
  if (!report) {
    const errors = errorsOf(result);
    const lines = [
      `  <testsuite${xmlAttrs({ name: result.file, tests: 1, failures: 1, errors: 0, skipped: 0, time: "0" })}>`,
      `    <testcase${xmlAttrs({ name: "parse", classname })}>`,
      ...failures(errors, "      "),
      "    </testcase>",
      ...systemOut(warnings, "    "),
      "  </testsuite>",
    ];
    return { lines, tests: 1, failed: 1, seconds: 0 };
  }
  const failed = report.rows.filter((r) => r.status === "fail").length;
  const properties = {
    model: report.model,
    precision: report.precision,
    loss: report.loss,
    samples: report.samples,
    eps: report.eps,
    tolerance: report.tolerance,
    atol: report.atol,
    cap: report.cap,
    seed: report.seed,
    parameters: report.parameters,
    mode: report.training ? `training, dropout seed ${report.dropoutSeed}` : "eval",
  };
  const lines = [
    `  <testsuite${xmlAttrs({ name: result.file, tests: report.rows.length, failures: failed, errors: 0, skipped: 0, time: report.seconds.toFixed(3) })}>`,
    "    <properties>",
    ...Object.entries(properties).map(([name, value]) => `      <property${xmlAttrs({ name, value })}/>`),
    "    </properties>",
    ...report.rows.flatMap((row) => rowCase(row, classname)),
    ...systemOut(warnings, "    "),
    "  </testsuite>",
  ];
  return { lines, tests: report.rows.length, failed, seconds: report.seconds };
}

export function junitCheck(results: readonly FileResult[]): string {
  const suites = results.map(checkSuite);
  const tests = suites.reduce((n, s) => n + s.tests, 0);
  const failed = suites.reduce((n, s) => n + s.failed, 0);
  const seconds = suites.reduce((n, s) => n + s.seconds, 0);
  return [
    HEADER,
    `<testsuites${xmlAttrs({ name: "nnc check", tests, failures: failed, errors: 0, time: seconds.toFixed(3) })}>`,
    ...suites.flatMap((s) => s.lines),
    "</testsuites>",
    "",
  ].join("\n");
}

export function junitParse(results: readonly FileResult[]): string {
  const failed = results.filter((r) => !filePassed(r)).length;
  const counts = { tests: results.length, failures: failed, errors: 0 };
  const cases = results.flatMap((result) => {
    const errors = errorsOf(result);
    const warnings = warningsOf(result).map(diagnosticLine);
    const open = `    <testcase${xmlAttrs({ name: result.file, classname: classOf(result) })}`;
    if (errors.length === 0 && warnings.length === 0) return [`${open}/>`];
    return [`${open}>`, ...failures(errors, "      "), ...systemOut(warnings, "      "), "    </testcase>"];
  });
  return [
    HEADER,
    `<testsuites${xmlAttrs({ name: "nnc parse", ...counts })}>`,
    `  <testsuite${xmlAttrs({ name: "nnc parse", ...counts, skipped: 0 })}>`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
