// Where the cursor is inside the statement being typed, for completion and signature help. The statement is
// usually incomplete while it is typed (`layer ` has a syntax error, so it is not among the front end's
// statements), so this reads the tokens before the cursor with the front end's own scanner
// (grammar/scanner.ts) instead: the statement's text from its start (line start or `;`) to the cursor.
import type { IToken } from "chevrotain";
import type { Position } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { scan } from "../../grammar/scanner.js";
import { KEYWORDS } from "./vocabulary.js";

export interface CursorContext {
  /** The statement's tokens before the cursor, without the word being typed. */
  before: IToken[];
  /** The token that ends at the cursor (a word, number or string being typed), or null after a space. */
  partial: IToken | null;
  /** The statement keyword (before[0]), when it is one. */
  keyword: string | null;
  /** The text of the line before the cursor, and where it starts in the document. */
  linePrefix: string;
  lineStart: number;
}

/** Null inside a comment. */
export function cursorContext(document: TextDocument, position: Position): CursorContext | null {
  const lineStart = document.offsetAt({ line: position.line, character: 0 });
  const linePrefix = document.getText({ start: { line: position.line, character: 0 }, end: position });
  const { tokens } = scan(linePrefix);
  // A `#` that no token covers starts a comment (a `#` inside a string is part of the string's token).
  const hash = commentStart(linePrefix, tokens);
  if (hash >= 0) return null;
  let start = 0;
  for (let i = 0; i < tokens.length; i++) if (tokens[i]!.image === ";") start = i + 1;
  const statement = tokens.slice(start);
  const last = statement[statement.length - 1];
  const partial = last !== undefined && (last.endOffset ?? last.startOffset) + 1 === linePrefix.length && isWordLike(last) ? last : null;
  const before = partial === null ? statement : statement.slice(0, -1);
  const first = before[0]?.image;
  const keyword = first !== undefined && KEYWORDS.includes(first) ? first : null;
  return { before, partial, keyword, linePrefix, lineStart };
}

function isWordLike(token: IToken): boolean {
  return /^[A-Za-z_"0-9.\-]/.test(token.image) && token.image !== "->";
}

function commentStart(text: string, tokens: readonly IToken[]): number {
  let from = 0;
  for (;;) {
    const at = text.indexOf("#", from);
    if (at < 0) return -1;
    if (!tokens.some((t) => t.startOffset <= at && at <= (t.endOffset ?? t.startOffset))) return at;
    from = at + 1;
  }
}

/** The kind word of the statement (`fc` in `layer fc …`), when the keyword takes one and it is written. */
export function kindOf(context: CursorContext, hasKinds: boolean): string | null {
  if (!hasKinds) return null;
  return context.before[1]?.image ?? null;
}

/** Option names already written in the statement (`lr` in `sgd lr=0.1 `). */
export function writtenOptions(context: CursorContext): Set<string> {
  const names = new Set<string>();
  const tokens = context.before;
  for (let i = 1; i + 1 < tokens.length; i++) if (tokens[i + 1]!.image === "=") names.add(tokens[i]!.image);
  return names;
}

/** The option whose value is being typed (`batch` in `sgd batch=`), or null. */
export function optionBeingSet(context: CursorContext): string | null {
  const tokens = context.before;
  const n = tokens.length;
  if (n >= 3 && tokens[n - 1]!.image === "=") return tokens[n - 2]!.image;
  return null;
}
