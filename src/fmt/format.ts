// `nnc fmt`'s engine: a .nn source → the same spec in the one canonical layout (docs/cli.md, "nnc fmt").
//
//   - one statement per line (`;`-joined statements are split onto their own lines), single spaces,
//     `IN->OUT` tight, options in the schema's order, numbers and strings exactly as written;
//   - comments kept: a full-line comment stays on its own line (indentation removed), a trailing comment
//     stays after the statement it followed (after the last one when a line held several), one space before `#`;
//   - runs of blank lines become one blank line; no blank lines at the start or end; `\n` line breaks; the
//     text ends with one newline (an empty or all-blank file formats to "").
//
// The lexer skips comments, so they are recovered from the source between tokens (only whitespace and at
// most one comment can sit there). A spec with a syntax error (NN001–NN003) is refused, not reshaped: its
// statement boundaries are guesses. Other errors (unknown option, bad value) are left for `nnc parse`.
import { tokenMatcher, type IToken } from "chevrotain";
import type { Diagnostic } from "../ir.js";
import { Newline, Semicolon } from "../../grammar/tokens.js";
import { scan } from "../../grammar/scanner.js";
import { parseSyntax } from "../front/syntax.js";
import type { StatementNode } from "../front/statements.js";
import { printStatement } from "./layout.js";

export type FormatResult = { ok: true; text: string; changed: boolean } | { ok: false; diagnostics: Diagnostic[] };

type Event =
  { type: "statement"; offset: number; statement: StatementNode } | { type: "comment"; offset: number; text: string } | { type: "newline"; offset: number };

/** Comments in the gaps between tokens: each gap is whitespace, optionally ending with one `#…` comment. */
function comments(source: string, tokens: readonly IToken[]): Event[] {
  const out: Event[] = [];
  let from = 0;
  // The next `#` at or after the gap being looked at (-1: none left). Gaps come in order, so it only moves
  // forward: searching afresh from each gap would rescan the rest of a file without comments once per
  // token (a 5 MB spec of data rows took minutes).
  let hash = source.indexOf("#");
  const commentIn = (start: number, end: number) => {
    if (hash >= 0 && hash < start) hash = source.indexOf("#", start);
    if (hash >= 0 && hash < end) out.push({ type: "comment", offset: hash, text: source.slice(hash, end).trimEnd() });
  };
  for (const t of tokens) {
    commentIn(from, t.startOffset);
    from = (t.endOffset ?? t.startOffset) + 1;
  }
  commentIn(from, source.length);
  return out;
}

/** Whether two token image lists hold the same tokens: the formatter may reorder options but never add or drop a token. */
function sameTokens(printed: readonly string[], original: readonly string[]): boolean {
  if (printed.length !== original.length) return false;
  // Nearly always in the same order: compare directly, sort only when options moved.
  if (printed.every((image, i) => image === original[i])) return true;
  const a = [...printed].sort();
  const b = [...original].sort();
  return a.every((image, i) => image === b[i]);
}

/** Token images other than line breaks and `;`, the separators the layout replaces. */
function significant(tokens: readonly IToken[]): string[] {
  const images: string[] = [];
  for (const t of tokens) if (!tokenMatcher(t, Newline) && !tokenMatcher(t, Semicolon)) images.push(t.image);
  return images;
}

/** The first statement whose printed form changes its tokens (for the internal error's message). */
function changedStatement(statements: readonly StatementNode[], source: string): string {
  for (const statement of statements) {
    const printed = printStatement(statement, source);
    const original = source.slice(statement.range.startOffset, statement.range.endOffset + 1);
    if (!sameTokens(significant(scan(printed).tokens), significant(scan(original).tokens)))
      return `${JSON.stringify(original)} (printed ${JSON.stringify(printed)})`;
  }
  return "the file (no single statement: a comment or separator was lost)";
}

/** Lists each sorted by offset, merged into one sorted list. */
function mergeByOffset(lists: readonly Event[][]): Event[] {
  const at = lists.map(() => 0);
  const out: Event[] = [];
  for (;;) {
    let best = -1;
    for (let l = 0; l < lists.length; l++) {
      const e = lists[l]![at[l]!];
      if (e !== undefined && (best < 0 || e.offset < lists[best]![at[best]!]!.offset)) best = l;
    }
    if (best < 0) return out;
    out.push(lists[best]![at[best]!++]!);
  }
}

/** Formats a spec; never throws on user input (a syntax error gives `ok: false` with the diagnostics). */
export function formatSpec(source: string, fileName: string): FormatResult {
  const syntax = parseSyntax(source, fileName);
  const errors = syntax.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) return { ok: false, diagnostics: syntax.diagnostics };

  const tokens = scan(source).tokens;
  const events = mergeByOffset([
    syntax.statements.map((statement): Event => ({ type: "statement", offset: statement.range.startOffset, statement })),
    comments(source, tokens),
    tokens.filter((t) => tokenMatcher(t, Newline)).map((t): Event => ({ type: "newline", offset: t.startOffset })),
  ]);

  const lines: string[] = [];
  let blankPending = false;
  const emit = (line: string) => {
    if (blankPending && lines.length > 0) lines.push("");
    blankPending = false;
    lines.push(line);
  };
  // One physical source line at a time: its statements, then its comment (if any).
  let statements: string[] = [];
  let comment: string | null = null;
  const endOfLine = () => {
    if (statements.length === 0 && comment === null) blankPending = true;
    else if (statements.length === 0) emit(comment!);
    else {
      statements.forEach((s, i) => emit(i === statements.length - 1 && comment !== null ? `${s} ${comment}` : s));
    }
    statements = [];
    comment = null;
  };
  for (const e of events) {
    if (e.type === "newline") endOfLine();
    else if (e.type === "comment") comment = e.text;
    else statements.push(printStatement(e.statement, source));
  }
  endOfLine();
  const text = lines.length === 0 ? "" : lines.join("\n") + "\n";
  // The output holds the source's tokens, but for line breaks and `;` (one scan of each, not one per
  // statement: a 1 MB spec formats within the parse bound, docs/guarantees.md).
  if (!sameTokens(significant(scan(text).tokens), significant(tokens)))
    throw new Error(`fmt would change the tokens of ${changedStatement(syntax.statements, source)}`);
  return { ok: true, text, changed: text !== source };
}
