// Planting a bug in generated module text for the mutation tests (test/check/mutation.test.ts,
// conv-mutation.test.ts): an edit is located by a pattern inside a named function, and a pattern that does
// not match throws (a mutation that silently did not apply proves nothing).
import type { SpecReport } from "../../src/check/index.js";

/** [start, end) of `function NAME(` at the start of a line (not the header's signature list) … its closing brace at column 0. */
export function functionSpan(text: string, name: string): [number, number] {
  const start = new RegExp(`^(export )?function ${name}\\(`, "m").exec(text)?.index ?? -1;
  if (start < 0) throw new Error(`generated text has no function ${name}`);
  const end = text.indexOf("\n}\n", start);
  if (end < 0) throw new Error(`cannot find the end of function ${name}`);
  return [start, end + 2];
}

export interface Edit {
  /** Tried in order; the first pattern that matches inside the function is applied. */
  pattern: RegExp;
  replace: string | ((match: string, ...groups: string[]) => string);
}

/** Apply the first matching edit inside function `fn`; throws when none matches or nothing changed. */
export function mutate(text: string, fn: string, edits: Edit[]): string {
  const [start, end] = functionSpan(text, fn);
  const body = text.slice(start, end);
  for (const edit of edits) {
    if (!new RegExp(edit.pattern.source, edit.pattern.flags.replace("g", "")).test(body)) continue;
    const mutated = body.replace(edit.pattern, edit.replace as string);
    if (mutated === body) throw new Error(`edit ${edit.pattern} matched in ${fn} but changed nothing`);
    return text.slice(0, start) + mutated + text.slice(end);
  }
  throw new Error(`no mutation pattern matched in ${fn}: ${edits.map((e) => e.pattern).join(" | ")}`);
}

export function failing(report: SpecReport): string[] {
  return report.rows.filter((r) => r.status === "fail").map((r) => r.name);
}
