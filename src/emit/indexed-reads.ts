// Every element read of the generated module carries a non-null assertion (`params[17]!`), so the module
// type-checks under noUncheckedIndexedAccess (@tsconfig/strictest), where a typed-array read is
// `number | undefined`. The assertion is erased by tsc and esbuild: the emitted JavaScript, and so the hot
// loops, are the same as without it. Applied once to the assembled module, so no emitter (nor a layer
// rule defined outside src/) has to remember it.
//   a read      x[i] → x[i]!     (operands, initialisers, arguments, compound targets: a[i]! += d)
//   not a read  a[i] = v         (a plain assignment's target stays as it is)
import type { SourceFile, ts as Ts } from "ts-morph";
import { tsMorph } from "./ts-morph.js";

/** The module's text with `!` after every element access that reads. */
export function assertIndexedReads(file: SourceFile): string {
  const { ts } = tsMorph();
  const source = file.compilerNode;
  const text = source.text;
  const ends: number[] = [];
  const visit = (node: Ts.Node): void => {
    if (ts.isElementAccessExpression(node) && reads(node)) ends.push(node.getEnd());
    ts.forEachChild(node, visit);
  };
  const reads = (node: Ts.ElementAccessExpression): boolean => {
    const parent = node.parent;
    if (ts.isNonNullExpression(parent)) return false;
    if (ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return false;
    return true;
  };
  visit(source);
  if (ends.length === 0) return text;
  ends.sort((a, b) => a - b);
  const parts: string[] = [];
  let at = 0;
  for (const end of ends) {
    parts.push(text.slice(at, end), "!");
    at = end;
  }
  parts.push(text.slice(at));
  return parts.join("");
}
