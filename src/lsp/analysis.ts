// One run of the compiler's front end over an open document, kept with what the editor features need besides
// the diagnostics: the statements (with the range of every token), the lenient lowered spec (it exists even
// when the spec has errors, so hover and inlay hints still show what can be known) and the limits stage's plan
// (the memory of the whole module). It is the front end itself (src/compile.ts frontEnd, as parseSpec runs it),
// observed at its stages: no second parser.
import type { Diagnostic, Spec } from "../ir.js";
import type { StatementNode } from "../front/statements.js";
import type { Lowered } from "../front/lower.js";
import type { Plan } from "../plan.js";
import { frontEnd } from "../compile.js";
import { pointRange } from "../front/ranges.js";

export interface Analysis {
  source: string;
  fileName: string;
  /** Sorted by position (the front end's order). */
  diagnostics: Diagnostic[];
  /** Statements without syntax errors, in source order (a broken statement is only in the diagnostics). */
  statements: StatementNode[];
  /** The lowered spec, also when it has errors (null only when the front end failed: NN099). */
  lowered: Lowered | null;
  /** The validated spec: null when any diagnostic is an error. */
  spec: Spec | null;
  /** The limits stage's plan (null for a spec with errors or one too large to plan). */
  plan: Plan | null;
}

/** Runs the front end on `source`; total like parseSpec: a bug inside becomes one NN099 diagnostic. */
export function analyse(source: string, fileName: string): Analysis {
  let statements: StatementNode[] = [];
  let lowered: Lowered | null = null;
  try {
    const result = frontEnd(source, fileName, {}, (stage, output) => {
      if (stage === "parse") statements = (output as { statements: StatementNode[] }).statements;
      else if (stage === "lower") lowered = output as Lowered;
    });
    return { source, fileName, diagnostics: result.diagnostics, statements, lowered, spec: result.spec, plan: result.plan };
  } catch (error) {
    const message = `internal error in the front end (please report): ${error instanceof Error ? error.message : String(error)}`;
    const diagnostic: Diagnostic = { code: "NN099", severity: "error", message, fileName, range: pointRange(source, 0) };
    return { source, fileName, diagnostics: [diagnostic], statements, lowered, spec: null, plan: null };
  }
}

/** The statement whose range holds `offset` (its end inclusive), or undefined. Statements are in source order. */
export function statementAt(statements: readonly StatementNode[], offset: number): StatementNode | undefined {
  let lo = 0;
  let hi = statements.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = statements[mid]!;
    if (offset < s.range.startOffset) hi = mid - 1;
    else if (offset > s.range.endOffset) lo = mid + 1;
    else return s;
  }
  return undefined;
}
