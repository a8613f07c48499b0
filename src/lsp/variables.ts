// `let` variables: where each is declared and used, for go to definition, references and rename. A variable
// is written in `let NAME = …` (its definition: the first one), `sweep NAME = …`, and wherever a size goes
// (`layer fc 2->H`, `input H`, and a numeric option given as a name). Read from the statements' token ranges.
import type { SourceRange } from "../ir.js";
import type { StatementNode, ValueNode } from "../front/statements.js";
import type { Analysis } from "./analysis.js";
import { touches } from "./positions.js";
import { optionTable } from "./vocabulary.js";

export interface Occurrence {
  name: string;
  range: SourceRange;
  /** The `let` that declares it (the definition site). */
  declaration: boolean;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*$/;

export function isVariableName(name: string): boolean {
  return NAME.test(name);
}

function sizeUse(node: ValueNode | null, out: Occurrence[]): void {
  if (node?.type === "name") out.push({ name: node.value, range: node.range, declaration: false });
}

/** Every occurrence of every variable name, in source order. Uses of undeclared names are included (NN016 names them). */
export function occurrences(statements: readonly StatementNode[]): Occurrence[] {
  const out: Occurrence[] = [];
  for (const s of statements) {
    if ((s.keyword.text === "let" || s.keyword.text === "sweep") && s.variable !== null) {
      out.push({ name: s.variable.text, range: s.variable.range, declaration: s.keyword.text === "let" });
    }
    sizeUse(s.from, out);
    sizeUse(s.to, out);
    sizeUse(s.size, out);
    if (s.settings.length === 0) continue;
    const table = optionTable(s.keyword.text, s.kind?.text ?? null);
    for (const setting of s.settings) {
      const type = table?.[setting.name.text]?.type;
      if (type === "number" || type === "integer") sizeUse(setting.value, out);
    }
  }
  return out;
}

/** The variable occurrence under the cursor, or undefined. */
export function variableAt(analysis: Analysis, offset: number): Occurrence | undefined {
  return occurrences(analysis.statements).find((o) => touches(o.range, offset));
}

/** All occurrences of `name`. */
export function occurrencesOf(analysis: Analysis, name: string): Occurrence[] {
  return occurrences(analysis.statements).filter((o) => o.name === name);
}

/** The first `let` of `name`, or undefined. */
export function declarationOf(analysis: Analysis, name: string): Occurrence | undefined {
  return occurrencesOf(analysis, name).find((o) => o.declaration);
}
