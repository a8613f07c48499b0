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
import { Newline } from "../../grammar/tokens.js";
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
  const commentIn = (start: number, end: number) => {
    const hash = source.indexOf("#", start);
    if (hash >= 0 && hash < end) out.push({ type: "comment", offset: hash, text: source.slice(hash, end).trimEnd() });
  };
  for (const t of tokens) {
    commentIn(from, t.startOffset);
    from = (t.endOffset ?? t.startOffset) + 1;
  }
  commentIn(from, source.length);
  return out;
}

/** The token images of a piece of .nn text, sorted: the formatter may reorder options but never add or drop a token. */
function tokenBag(text: string): string {
  return scan(text)
    .tokens.map((t) => t.image)
    .sort()
    .join("\u0000");
}

/** Formats a spec; never throws on user input (a syntax error gives `ok: false` with the diagnostics). */
export function formatSpec(source: string, fileName: string): FormatResult {
  const syntax = parseSyntax(source, fileName);
  const errors = syntax.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) return { ok: false, diagnostics: syntax.diagnostics };

  const tokens = scan(source).tokens;
  const events: Event[] = [
    ...syntax.statements.map((statement): Event => ({ type: "statement", offset: statement.range.startOffset, statement })),
    ...comments(source, tokens),
    ...tokens.filter((t) => tokenMatcher(t, Newline)).map((t): Event => ({ type: "newline", offset: t.startOffset })),
  ].sort((a, b) => a.offset - b.offset);

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
    else {
      const printed = printStatement(e.statement, source);
      const original = source.slice(e.statement.range.startOffset, e.statement.range.endOffset + 1);
      if (tokenBag(printed) !== tokenBag(original)) {
        throw new Error(`fmt would change the tokens of ${JSON.stringify(original)} (printed ${JSON.stringify(printed)})`);
      }
      statements.push(printed);
    }
  }
  endOfLine();
  const text = lines.length === 0 ? "" : lines.join("\n") + "\n";
  return { ok: true, text, changed: text !== source };
}
