// Step 1 of lowering: a walk over the parse tree that turns it into a flat list of statements, each keeping
// the exact token range of every part (so a check can point at the `24` in `layer fc 24->26 sigmoid`).
// Nothing is interpreted here: words stay words, numbers are parsed but not range-checked.
import { tokenMatcher, type CstNode, type CstElement, type IToken } from "chevrotain";
import type { SourceRange } from "../ir.js";
import { ClosedString, NumberLiteral, StringLiteral } from "../../grammar/tokens.js";
import { isRealToken, spanRange, tokenRange } from "./ranges.js";

export interface Word {
  text: string;
  range: SourceRange;
}

export type ValueNode =
  | { type: "number"; value: number; text: string; range: SourceRange }
  | { type: "name"; value: string; range: SourceRange }
  | { type: "string"; value: string; closed: boolean; range: SourceRange };

export type NumberNode = Extract<ValueNode, { type: "number" }>;

/** `name=value`, or a bare `name` (value null: a flag). */
export interface SettingNode {
  name: Word;
  value: ValueNode | null;
  range: SourceRange;
}

export interface StatementNode {
  /** The first word: `layer`, `sgd`, … or an unknown word. */
  keyword: Word;
  /** False for a line that starts with a word that is no statement keyword. */
  known: boolean;
  /** The word after the keyword: `fc`, `normal`, `planar`, `mse`, `loss` (in stop), the model name. */
  kind: Word | null;
  /** data/test: the quoted path. */
  path: Extract<ValueNode, { type: "string" }> | null;
  /** layer: IN -> OUT (each a number or a variable name); input: `size` only. */
  from: ValueNode | null;
  to: ValueNode | null;
  size: ValueNode | null;
  activation: { kind: Word; alpha: NumberNode | null; range: SourceRange } | null;
  /** stop: `<`, `<=`, `>`, `>=` and the threshold. */
  comparator: Word | null;
  /** let/sweep: the variable. */
  variable: Word | null;
  /** let: [value]; sweep: the values; split: [fraction]; stop: [threshold]. */
  numbers: NumberNode[];
  /** row: inputs -> targets. */
  inputs: NumberNode[];
  targets: NumberNode[];
  settings: SettingNode[];
  range: SourceRange;
}

type Children = Record<string, CstElement[] | undefined>;

function isToken(e: CstElement): e is IToken {
  return (e as IToken).image !== undefined;
}

/** The real tokens directly under `key` (a loop, not two filters: this runs for every part of every statement). */
function tokens(ctx: Children, key: string): IToken[] {
  const out: IToken[] = [];
  for (const e of ctx[key] ?? []) if (isToken(e) && isRealToken(e)) out.push(e);
  return out;
}

function firstToken(ctx: Children, key: string): IToken | undefined {
  for (const e of ctx[key] ?? []) if (isToken(e) && isRealToken(e)) return e;
  return undefined;
}

function nodes(ctx: Children, key: string): CstNode[] {
  return (ctx[key] ?? []).filter((e): e is CstNode => !isToken(e));
}

/** The first and last real tokens under a CST node, by offset (Chevrotain groups children by label, not by
 * position). A min/max walk rather than collecting and sorting every token: a 1 MB spec of rows has ~50,000
 * statements and one long statement ~400,000 tokens, and the sorted arrays were a large part of the time. */
interface Span {
  first: IToken;
  last: IToken;
}

function spanOf(node: CstNode): Span | null {
  let span: Span | null = null;
  const walk = (n: CstNode): void => {
    const children = n.children as Children;
    for (const key in children) {
      for (const e of children[key] ?? []) {
        if (!isToken(e)) walk(e);
        else if (!isRealToken(e)) continue;
        else if (span === null) span = { first: e, last: e };
        else if (e.startOffset < span.first.startOffset) span.first = e;
        else if (e.startOffset > span.last.startOffset) span.last = e;
      }
    }
  };
  walk(node);
  return span;
}

function word(token: IToken | undefined): Word | null {
  return token ? { text: token.image, range: tokenRange(token) } : null;
}

function numberNode(token: IToken): NumberNode {
  return { type: "number", value: Number(token.image), text: token.image, range: tokenRange(token) };
}

/** The text between the quotes with `\"` and `\\` (and any `\x` → `x`) unescaped. */
function unquote(image: string, closed: boolean): string {
  const body = image.slice(1, closed ? -1 : undefined);
  return body.replace(/\\(.)/g, "$1").replace(/\\$/, "");
}

function valueOf(token: IToken): ValueNode {
  if (tokenMatcher(token, NumberLiteral)) return numberNode(token);
  if (tokenMatcher(token, StringLiteral)) {
    const closed = tokenMatcher(token, ClosedString);
    return { type: "string", value: unquote(token.image, closed), closed, range: tokenRange(token) };
  }
  return { type: "name", value: token.image, range: tokenRange(token) };
}

/** One StatementNode per statement of the parse tree (a `statement` node holds the one alternative that
 * matched); statements without any real token are dropped. */
function collect(node: CstNode): StatementNode | null {
  const all = spanOf(node);
  if (all === null) return null;
  const ctx = node.children as Children;
  const statement: StatementNode = {
    keyword: word(all.first)!,
    known: node.name !== "unknownStatement",
    kind: word(firstToken(ctx, "kind")),
    path: null,
    from: null,
    to: null,
    size: null,
    activation: null,
    comparator: null,
    variable: word(firstToken(ctx, "variable")),
    numbers: tokens(ctx, "NumberLiteral").map(numberNode),
    inputs: tokens(ctx, "inputs").map(numberNode),
    targets: tokens(ctx, "targets").map(numberNode),
    settings: nodes(ctx, "setting").flatMap(setting),
    range: spanRange(tokenRange(all.first), tokenRange(all.last)),
  };
  const path = firstToken(ctx, "path");
  if (path) statement.path = valueOf(path) as Extract<ValueNode, { type: "string" }>;
  statement.from = size(nodes(ctx, "from")[0]);
  statement.to = size(nodes(ctx, "to")[0]);
  statement.size = size(nodes(ctx, "size")[0]);
  const activation = nodes(ctx, "activation")[0];
  if (activation) {
    const a = activation.children as Children;
    const kind = word(firstToken(a, "kind"));
    const alpha = firstToken(a, "NumberLiteral");
    const last = spanOf(activation)?.last;
    if (kind && last) statement.activation = { kind, alpha: alpha ? numberNode(alpha) : null, range: spanRange(kind.range, tokenRange(last)) };
  }
  const comparator = nodes(ctx, "comparator")[0];
  if (comparator) statement.comparator = word(spanOf(comparator)?.first);
  return statement;
}

function size(node: CstNode | undefined): ValueNode | null {
  const token = node ? spanOf(node)?.first : undefined;
  return token ? valueOf(token) : null;
}

function setting(node: CstNode): SettingNode[] {
  const ctx = node.children as Children;
  const name = word(firstToken(ctx, "name"));
  if (!name) return [];
  const valueNode = nodes(ctx, "settingValue")[0];
  const valueToken = valueNode ? spanOf(valueNode)?.first : undefined;
  const value = valueToken ? valueOf(valueToken) : null;
  const last = spanOf(node)?.last;
  return [{ name, value, range: last ? spanRange(name.range, tokenRange(last)) : name.range }];
}

/** The statements of a parsed file (the `file` node from grammar/parser.ts), in parse order. */
export function collectStatements(cst: CstNode): StatementNode[] {
  const statements: StatementNode[] = [];
  for (const element of (cst.children as Children)["statement"] ?? []) {
    if (isToken(element)) continue;
    const children = element.children as Children;
    for (const key in children) {
      for (const alternative of children[key] ?? []) {
        if (isToken(alternative)) continue;
        const statement = collect(alternative);
        if (statement) statements.push(statement);
      }
    }
  }
  return statements;
}
