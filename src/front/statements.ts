// Step 1 of lowering: a CST visitor that turns the parse tree into a flat list of statements, each keeping
// the exact token range of every part (so a check can point at the `24` in `layer fc 24->26 sigmoid`).
// Nothing is interpreted here: words stay words, numbers are parsed but not range-checked.
import { tokenMatcher, type CstNode, type CstElement, type IToken } from "chevrotain";
import type { SourceRange } from "../ir.js";
import { nnParser } from "../../grammar/parser.js";
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

function tokens(ctx: Children, key: string): IToken[] {
  return (ctx[key] ?? []).filter(isToken).filter(isRealToken);
}

function firstToken(ctx: Children, key: string): IToken | undefined {
  return tokens(ctx, key)[0];
}

function nodes(ctx: Children, key: string): CstNode[] {
  return (ctx[key] ?? []).filter((e): e is CstNode => !isToken(e));
}

/** Every real token under a CST node, in source order. */
export function allTokensOf(node: CstNode): IToken[] {
  const out: IToken[] = [];
  const walk = (n: CstNode): void => {
    for (const list of Object.values(n.children)) {
      for (const e of list ?? []) {
        if (isToken(e)) {
          if (isRealToken(e)) out.push(e);
        } else walk(e);
      }
    }
  };
  walk(node);
  return out.sort((a, b) => a.startOffset - b.startOffset);
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

const BaseVisitor = nnParser.getBaseCstVisitorConstructorWithDefaults();

/** Visits `file` and collects one StatementNode per statement (statements without any real token are dropped). */
class StatementCollector extends BaseVisitor {
  statements: StatementNode[] = [];

  constructor() {
    super();
    this.validateVisitor();
  }

  statement(ctx: Children): void {
    for (const child of Object.values(ctx).flat()) {
      if (child && !isToken(child)) this.collect(child);
    }
  }

  private collect(node: CstNode): void {
    const all = allTokensOf(node);
    if (all.length === 0) return;
    const ctx = node.children as Children;
    const keywordToken = all[0]!;
    const statement: StatementNode = {
      keyword: word(keywordToken)!,
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
      settings: nodes(ctx, "setting").flatMap((n) => this.setting(n)),
      range: spanRange(tokenRange(keywordToken), tokenRange(all[all.length - 1]!)),
    };
    const path = firstToken(ctx, "path");
    if (path) statement.path = valueOf(path) as Extract<ValueNode, { type: "string" }>;
    statement.from = this.size(nodes(ctx, "from")[0]);
    statement.to = this.size(nodes(ctx, "to")[0]);
    statement.size = this.size(nodes(ctx, "size")[0]);
    const activation = nodes(ctx, "activation")[0];
    if (activation) {
      const a = activation.children as Children;
      const kind = word(firstToken(a, "kind"));
      const alpha = firstToken(a, "NumberLiteral");
      const last = allTokensOf(activation).at(-1);
      if (kind && last) statement.activation = { kind, alpha: alpha ? numberNode(alpha) : null, range: spanRange(kind.range, tokenRange(last)) };
    }
    const comparator = nodes(ctx, "comparator")[0];
    if (comparator) statement.comparator = word(allTokensOf(comparator)[0]);
    this.statements.push(statement);
  }

  private size(node: CstNode | undefined): ValueNode | null {
    const token = node ? allTokensOf(node)[0] : undefined;
    return token ? valueOf(token) : null;
  }

  private setting(node: CstNode): SettingNode[] {
    const ctx = node.children as Children;
    const name = word(firstToken(ctx, "name"));
    if (!name) return [];
    const valueNode = nodes(ctx, "settingValue")[0];
    const valueToken = valueNode ? allTokensOf(valueNode)[0] : undefined;
    const value = valueToken ? valueOf(valueToken) : null;
    const last = allTokensOf(node).at(-1);
    return [{ name, value, range: last ? spanRange(name.range, tokenRange(last)) : name.range }];
  }
}

/** One collector for the process (building a visitor validates it against the grammar: not free). */
const collector = new StatementCollector();

/** The statements of a parsed file, in source order. */
export function collectStatements(cst: CstNode): StatementNode[] {
  collector.statements = [];
  collector.visit(cst);
  const statements = collector.statements;
  collector.statements = [];
  return statements;
}
