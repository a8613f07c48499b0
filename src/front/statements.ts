// Step 1 of lowering: the statement nodes, each keeping the exact token range of every part (so a check can
// point at the `24` in `layer fc 24->26 sigmoid`), and the walk that builds them from a Chevrotain parse tree
// (used for statements the direct reader, direct.ts, refuses; both build the same nodes, tested).
// Nothing is interpreted here: words stay words, numbers are parsed but not range-checked.
import type { CstNode, CstElement, IToken, TokenType } from "chevrotain";
import type { SourceRange } from "../ir.js";
import { ClosedString, Dims, NumberLiteral, UnterminatedString } from "../../grammar/tokens.js";
import { isRealToken, spanRange, tokenRange } from "./ranges.js";

export interface Word {
  text: string;
  range: SourceRange;
}

export type ValueNode =
  | { type: "number"; value: number; text: string; range: SourceRange }
  /** `1x17x17`, `3x5`: the whole numbers between the `x`s (each ≥ 0, possibly Infinity for 400 digits). */
  | { type: "dims"; values: number[]; text: string; range: SourceRange }
  | { type: "name"; value: string; range: SourceRange }
  | { type: "string"; value: string; closed: boolean; range: SourceRange };

export type NumberNode = Extract<ValueNode, { type: "number" }>;
/** A class name as written: an identifier (or keyword) or a quoted string. */
export type NameNode = Extract<ValueNode, { type: "name" | "string" }>;
export type DimsNode = Extract<ValueNode, { type: "dims" }>;

/** A layer's activation: `relu`, `leaky_relu(0.1)` (alpha: the number in parentheses). */
export interface ActivationNode {
  kind: Word;
  alpha: NumberNode | null;
  range: SourceRange;
}

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
  /** layer: SIZE [-> SIZE] (each a number, dims or a variable name; a lone size: `to` null, what it means
   * is the kind's); input: `size` only. */
  from: ValueNode | null;
  to: ValueNode | null;
  size: ValueNode | null;
  /** layer: the first activation (`activations[0]`), null when there is none. */
  activation: ActivationNode | null;
  /** layer: every activation in source order (the grammar allows several; a check refuses the second). */
  activations: ActivationNode[];
  /** stop: `<`, `<=`, `>`, `>=` and the threshold. */
  comparator: Word | null;
  /** let/sweep: the variable. */
  variable: Word | null;
  /** let: [value]; sweep: the values; split: [fraction]; stop: [threshold]. */
  numbers: NumberNode[];
  /** row: inputs -> targets. */
  inputs: NumberNode[];
  targets: NumberNode[];
  /** classes: the class names; row: its one class-name target (`row 60.3, 165 -> female`), `targets` then empty. */
  names: NameNode[];
  settings: SettingNode[];
  range: SourceRange;
}

type Children = Record<string, CstElement[] | undefined>;

function isToken(e: CstElement): e is IToken {
  return (e as IToken).image !== undefined;
}

function firstToken(ctx: Children, key: string): IToken | undefined {
  for (const e of ctx[key] ?? []) if (isToken(e) && isRealToken(e)) return e;
  return undefined;
}

/** numberNode of each real token under `key` (one array, not tokens() then map: this runs 3× per statement). */
function numbersUnder(ctx: Children, key: string): NumberNode[] {
  const out: NumberNode[] = [];
  const list = ctx[key];
  if (list !== undefined) for (const e of list) if (isToken(e) && isRealToken(e)) out.push(numberNode(e));
  return out;
}

function firstNode(ctx: Children, key: string): CstNode | undefined {
  const list = ctx[key];
  if (list !== undefined) for (const e of list) if (!isToken(e)) return e;
  return undefined;
}

/** The first and last real tokens under a CST node. Chevrotain groups a node's children by label, each list
 * in source order, so the first token is the earliest of each list's first real token (the last: latest of
 * the lasts); only the ends of the lists are looked at, not every token (one 1 MB statement has ~400,000).
 * Lists can hold tokens that recovery inserted (no position) and nodes without any real token: skipped. */
function firstTokenUnder(node: CstNode): IToken | undefined {
  let first: IToken | undefined;
  const children = node.children as Children;
  for (const key in children) {
    for (const e of children[key] ?? []) {
      const token = isToken(e) ? (isRealToken(e) ? e : undefined) : firstTokenUnder(e);
      if (token === undefined) continue;
      if (first === undefined || token.startOffset < first.startOffset) first = token;
      break;
    }
  }
  return first;
}

function lastTokenUnder(node: CstNode): IToken | undefined {
  let last: IToken | undefined;
  const children = node.children as Children;
  for (const key in children) {
    const list = children[key] ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const e = list[i]!;
      const token = isToken(e) ? (isRealToken(e) ? e : undefined) : lastTokenUnder(e);
      if (token === undefined) continue;
      if (last === undefined || token.startOffset > last.startOffset) last = token;
      break;
    }
  }
  return last;
}

function word(token: IToken | undefined): Word | null {
  return token ? { text: token.image, range: tokenRange(token) } : null;
}

/** A number as written (`text`) and its value. Shared with the direct parser (direct.ts), as is `valueNode`. */
export function numberNodeOf(text: string, range: SourceRange): NumberNode {
  return { type: "number", value: Number(text), text, range };
}

function numberNode(token: IToken): NumberNode {
  return numberNodeOf(token.image, tokenRange(token));
}

/** The text between the quotes with `\"` and `\\` unescaped (any other `\x` is NN018, src/front/escapes.ts; it reads `x`). */
function unquote(image: string, closed: boolean): string {
  const body = image.slice(1, closed ? -1 : undefined);
  // One pass: an escaped backslash at the end (`"C:\\data\\\\"`) is kept; only an unterminated string's lone
  // trailing backslash (which escapes nothing) is dropped. Two passes dropped the escaped one too.
  return body.replace(/\\(.)|\\$/g, (_match, c: string | undefined) => c ?? "");
}

/** The value a token of this type and text stands for: a number, dims, a (closed or unterminated) string or a name. */
export function valueNode(type: TokenType, text: string, range: SourceRange): ValueNode {
  if (type === NumberLiteral) return numberNodeOf(text, range);
  if (type === Dims) return { type: "dims", values: text.split("x").map(Number), text, range };
  if (type === ClosedString || type === UnterminatedString)
    return { type: "string", value: unquote(text, type === ClosedString), closed: type === ClosedString, range };
  return { type: "name", value: text, range };
}

function valueOf(token: IToken): ValueNode {
  return valueNode(token.tokenType, token.image, tokenRange(token));
}

/** The shared value of every list a statement does not have. Frozen, so a change to it would throw: it
 * saves up to four arrays per statement, and a 1 MB spec has ~100,000 statements that all stay alive. */
export const none = Object.freeze([]) as unknown as never[];

/** A statement with only its keyword: no parts, empty lists (`none`), its range the keyword's. */
export function emptyStatement(keyword: Word, known: boolean): StatementNode {
  return {
    keyword,
    known,
    kind: null,
    path: null,
    from: null,
    to: null,
    size: null,
    activation: null,
    activations: none,
    comparator: null,
    variable: null,
    numbers: none,
    inputs: none,
    targets: none,
    names: none,
    settings: none,
    range: keyword.range,
  };
}

/** One StatementNode per statement of the parse tree (a `statement` node holds the one alternative that
 * matched); statements without any real token are dropped. */
function collect(node: CstNode): StatementNode | null {
  const first = firstTokenUnder(node);
  const last = lastTokenUnder(node);
  if (first === undefined || last === undefined) return null;
  const ctx = node.children as Children;
  const keyword = word(first)!;
  const statement = emptyStatement(keyword, node.name !== "unknownStatement");
  statement.kind = word(firstToken(ctx, "kind"));
  statement.variable = word(firstToken(ctx, "variable"));
  statement.numbers = numbersUnder(ctx, "NumberLiteral");
  statement.inputs = numbersUnder(ctx, "inputs");
  statement.targets = numbersUnder(ctx, "targets");
  statement.settings = settingsUnder(ctx);
  statement.names = namesUnder(ctx);
  statement.range = spanRange(keyword.range, last === first ? keyword.range : tokenRange(last));
  const path = firstToken(ctx, "path");
  if (path) statement.path = valueOf(path) as Extract<ValueNode, { type: "string" }>;
  statement.from = size(firstNode(ctx, "from"));
  statement.to = size(firstNode(ctx, "to"));
  statement.size = size(firstNode(ctx, "size"));
  for (const e of ctx["activation"] ?? []) {
    if (isToken(e)) continue;
    const a = e.children as Children;
    const kind = word(firstToken(a, "kind"));
    const alpha = firstToken(a, "NumberLiteral");
    const end = lastTokenUnder(e);
    if (!kind || !end) continue;
    const node: ActivationNode = { kind, alpha: alpha ? numberNode(alpha) : null, range: spanRange(kind.range, tokenRange(end)) };
    if (statement.activations === none) {
      statement.activations = [node];
      statement.activation = node;
    } else statement.activations.push(node);
  }
  const comparator = firstNode(ctx, "comparator");
  if (comparator) statement.comparator = word(firstTokenUnder(comparator));
  return statement;
}

/** The class names under a `classes` statement's `className` nodes or a row's `label` (none when there are none). */
function namesUnder(ctx: Children): NameNode[] {
  let out: NameNode[] = none;
  for (const key of ["className", "label"]) {
    for (const e of ctx[key] ?? []) {
      const token = isToken(e) ? undefined : firstTokenUnder(e);
      if (token === undefined) continue;
      if (out === none) out = [];
      out.push(valueOf(token) as NameNode);
    }
  }
  return out;
}

function size(node: CstNode | undefined): ValueNode | null {
  const token = node ? firstTokenUnder(node) : undefined;
  return token ? valueOf(token) : null;
}

/** The statement's settings (a loop, not a flatMap of one-element arrays: one statement can have 140,000). */
function settingsUnder(ctx: Children): SettingNode[] {
  const out: SettingNode[] = [];
  const list = ctx["setting"];
  if (list !== undefined) {
    for (const e of list) {
      if (isToken(e)) continue;
      const one = setting(e);
      if (one !== null) out.push(one);
    }
  }
  return out;
}

function setting(node: CstNode): SettingNode | null {
  const ctx = node.children as Children;
  const name = word(firstToken(ctx, "name"));
  if (!name) return null;
  const valueNode = firstNode(ctx, "settingValue");
  const valueToken = valueNode ? firstTokenUnder(valueNode) : undefined;
  const value = valueToken ? valueOf(valueToken) : null;
  // A value's one token is the setting's last (one statement can have 140,000 settings: no second walk
  // and no second range for it); without a value, the walk decides (`name=` with recovery's tokens).
  if (value !== null) return { name, value, range: spanRange(name.range, value.range) };
  const last = lastTokenUnder(node);
  return { name, value, range: last ? spanRange(name.range, tokenRange(last)) : name.range };
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
