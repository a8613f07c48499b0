// Ranges between the front end and LSP. The front end's SourceRange has 0-based offsets into the JavaScript
// string (UTF-16 code units, as Chevrotain and the scanner count) with the end inclusive, and 1-based
// lines/columns. LSP positions are 0-based line and UTF-16 character with the end exclusive. Converting through
// the offsets (TextDocument.positionAt, which breaks lines at \r\n, \r and \n as the front end's lexer does)
// gets astral characters and CRLF files right without re-deriving columns.
import type { Position, Range } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { SourceRange } from "../ir.js";

/** The LSP range of a front-end range (end made exclusive). */
export function toLspRange(document: TextDocument, range: SourceRange): Range {
  return { start: document.positionAt(range.startOffset), end: document.positionAt(range.endOffset + 1) };
}

/** The 0-based offset of an LSP position. */
export function toOffset(document: TextDocument, position: Position): number {
  return document.offsetAt(position);
}

/** The LSP position just after a front-end range (its end is inclusive). */
export function endOf(document: TextDocument, range: SourceRange): Position {
  return document.positionAt(range.endOffset + 1);
}

/** True when `offset` lies in the front-end range, or just after it (the cursor at the end of a word). */
export function touches(range: SourceRange, offset: number): boolean {
  return offset >= range.startOffset && offset <= range.endOffset + 1;
}
