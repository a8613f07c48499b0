// Source ranges: from tokens, merged, and for places that have no token (end of file, a defaulted name).
import type { IToken } from "chevrotain";
import type { SourceRange } from "../ir.js";

/** True for tokens that really are in the source (Chevrotain's recovery may insert virtual ones with NaN positions). */
export function isRealToken(token: IToken | undefined): token is IToken {
  return token !== undefined && !token.isInsertedInRecovery && Number.isFinite(token.startOffset) && Number.isFinite(token.endOffset ?? NaN);
}

export function tokenRange(token: IToken): SourceRange {
  return {
    startOffset: token.startOffset,
    endOffset: token.endOffset ?? token.startOffset,
    startLine: token.startLine ?? 1,
    startColumn: token.startColumn ?? 1,
    endLine: token.endLine ?? token.startLine ?? 1,
    endColumn: token.endColumn ?? token.startColumn ?? 1,
  };
}

/** The range from the start of `a` to the end of `b`. */
export function spanRange(a: SourceRange, b: SourceRange): SourceRange {
  return {
    startOffset: a.startOffset,
    startLine: a.startLine,
    startColumn: a.startColumn,
    endOffset: b.endOffset,
    endLine: b.endLine,
    endColumn: b.endColumn,
  };
}

/** A one-character range at `offset` (clamped into the source; offset 0 for an empty source). */
export function pointRange(source: string, offset: number): SourceRange {
  const at = Math.max(0, Math.min(offset, source.length - 1));
  const { line, column } = lineAndColumn(source, at);
  return { startOffset: at, endOffset: at, startLine: line, startColumn: column, endLine: line, endColumn: column };
}

/** 1-based line and column of a 0-based offset; `\r\n`, `\r` and `\n` each end a line (as the lexer counts). */
export function lineAndColumn(source: string, offset: number): { line: number; column: number } {
  // Binary search in the line starts of the last source seen (one scan per source, not one per call:
  // a spec with thousands of diagnostics stays linear).
  // Offset 0 is line 1, column 1 without the index: checkLimits and several checks point there, and indexing
  // a 1 MB spec of blank lines only for that took ~25 ms.
  if (offset === 0) return { line: 1, column: 1 };
  if (lineIndex.source !== source) lineIndex = { source, starts: lineStarts(source) };
  const starts = lineIndex.starts;
  const at = Math.min(offset, source.length);
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= at) lo = mid + 1;
    else hi = mid;
  }
  return { line: lo, column: offset - starts[lo - 1]! + 1 };
}

let lineIndex: { source: string; starts: number[] } = { source: "", starts: [0] };

/** Offsets where lines start: 0, and after each `\r\n`, lone `\r` or `\n`. */
function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}
