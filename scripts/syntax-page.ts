// docs/syntax.html, the .nn syntax for people: one railroad diagram per statement drawn from the parser's
// own grammar (grammar/parser.ts, so the picture cannot drift from it), and the words that go in the
// diagrams' boxes listed from the tables the validator checks against (src/layers/ rules via layerWords(),
// src/front/schema.ts, src/maths.ts). scripts/syntax-diagrams.mjs writes the page; test/front/docs-and-specs
// compares the committed page with syntaxPage(), and test/editor/syntax-diagrams.test.ts loads it in Chromium.
//
// The diagrams show what you type: keywords and operators as written (`layer`, `->`), a statement's kind
// words spelled out, and boxes (number, dims, variable, …) for what varies. The parser's internal rules
// (the file and statement dispatch, the loose rule behind "unknown statement", separators) are left out;
// the small helper rules (size, comparator, a setting's value) are drawn inline. The SVG is rendered here,
// at generation time, with the railroad-diagrams library that ships inside chevrotain (CC0): the page has
// no script at all and loads nothing.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ISerializedGast } from "chevrotain";
import { nnParser } from "../grammar/parser.js";
import {
  activationWords,
  dataOnlyOptions,
  describeRange,
  kindOptions,
  optimizerOptions,
  splitOptions,
  trainingOptions,
  type OptionSpec,
  type OptionTable,
} from "../src/front/schema.js";
import { layerWords } from "../src/layers/index.js";
import { ACTIVATIONS } from "../src/maths.js";
import type { ActivationKind } from "../src/ir.js";

/** The railroad-diagrams constructors (each returns an item; Diagram's toString is the SVG markup). */
interface Railroad {
  Diagram(...items: unknown[]): { toString(): string };
  Sequence(...items: unknown[]): unknown;
  Choice(normal: number, ...items: unknown[]): unknown;
  Optional(item: unknown): unknown;
  OneOrMore(item: unknown, repeat?: unknown): unknown;
  ZeroOrMore(item: unknown): unknown;
  Terminal(text: string, href?: string): unknown;
  NonTerminal(text: string, href?: string): unknown;
}

/** chevrotain's copy of railroad-diagrams: a UMD file its package does not export, so it is read and run with
 * its CommonJS `exports` (it touches no DOM to build SVG text). */
function loadRailroad(root: string): Railroad {
  const text = readFileSync(join(root, "node_modules/chevrotain/diagrams/vendor/railroad-diagrams.js"), "utf8");
  const exports = {} as Railroad;
  new Function("exports", "define", text).call({}, exports, undefined);
  return exports;
}

/** Operators and punctuation as typed (the grammar's token names are not shown). */
const symbols: Record<string, string> = {
  Arrow: "->",
  Equals: "=",
  Comma: ",",
  LParen: "(",
  RParen: ")",
  Less: "<",
  LessEqual: "<=",
  Greater: ">",
  GreaterEqual: ">=",
};

/** Internal rules that are not statements a person writes. */
const hidden = new Set(["file", "separator", "statement", "unknownStatement", "looseToken"]);
/** Helper rules drawn inside the rules that use them. */
const inlined = new Set(["size", "comparator", "settingValue", "className"]);
/** Helper rules drawn once, under "Parts", and shown as a box where used. */
const parts: Record<string, string> = { activation: "activation", setting: "setting" };

/** The statement keyword a rule's kind words belong to (`layerStatement` → `layer`), for the kind lists. */
const kindKey = (rule: string): string => (rule === "dataStatement" ? "data" : rule.replace(/Statement$/, ""));

/** A name token in the grammar, by its label and rule: what a person writes there. */
function nameItem(r: Railroad, rule: string, label: string | undefined): unknown {
  if (rule === "activation") return r.Choice(0, ...activationWords.map((w) => r.Terminal(w, "#activations")));
  if (label === "kind") {
    const kinds = kindOptions[kindKey(rule)];
    if (rule === "modelStatement" || !kinds) return r.NonTerminal("name", "#values");
    const href = rule === "layerStatement" ? "#layer-kinds" : "#options";
    return r.Choice(0, ...Object.keys(kinds).map((k) => r.Terminal(k, href)));
  }
  if (label === "variable") return r.NonTerminal("variable", "#values");
  if (label === "names") return r.NonTerminal("name", "#values");
  if (label === "name") return r.NonTerminal("option", "#options");
  // A size's name is a `let` variable; a setting's value may be any word (`monitor=val_loss`, `padding=same`).
  return rule === "size" ? r.NonTerminal("variable", "#values") : r.NonTerminal("word", "#values");
}

function terminalItem(r: Railroad, node: ISerializedGast & { name: string; pattern?: string; terminalLabel?: string }, rule: string): unknown {
  if (symbols[node.name]) return r.Terminal(symbols[node.name]!);
  if (node.name === "NumberLiteral") return r.NonTerminal("number", "#values");
  if (node.name === "Dims") return r.NonTerminal("dims", "#values");
  if (node.name === "StringLiteral") return r.NonTerminal(rule === "dataStatement" ? '"path"' : '"text"', "#values");
  if (node.name === "Name" || node.name === "Identifier") return nameItem(r, rule, node.terminalLabel);
  // A statement keyword: its pattern is the word itself.
  return r.Terminal(node.pattern ?? node.name.toLowerCase());
}

/** The railroad item of a grammar node, `rule` being the rule it is written in (for the kind lists). */
function item(r: Railroad, rules: Map<string, ISerializedGast[]>, node: ISerializedGast, rule: string): unknown {
  const seq = (definition: ISerializedGast[] | undefined, inRule = rule) => r.Sequence(...(definition ?? []).map((d) => item(r, rules, d, inRule)));
  const n = node as ISerializedGast & { name: string; separator?: ISerializedGast & { name: string } };
  switch (node.type) {
    case "Terminal":
      return terminalItem(r, n, rule);
    case "NonTerminal":
      if (inlined.has(n.name)) return seq(rules.get(n.name), n.name);
      return r.NonTerminal(parts[n.name] ?? n.name, `#part-${n.name}`);
    case "Option":
      return r.Optional(seq(node.definition));
    case "Repetition":
      return r.ZeroOrMore(seq(node.definition));
    case "RepetitionMandatory":
      return r.OneOrMore(seq(node.definition));
    case "RepetitionMandatoryWithSeparator":
      return r.OneOrMore(seq(node.definition), r.Terminal(symbols[n.separator!.name] ?? n.separator!.name));
    case "RepetitionWithSeparator":
      return r.Optional(r.OneOrMore(seq(node.definition), r.Terminal(symbols[n.separator!.name] ?? n.separator!.name)));
    case "Alternation":
      return r.Choice(0, ...(node.definition ?? []).map((alt) => seq(alt.definition)));
    case "Alternative":
      return seq(node.definition);
    default:
      throw new Error(`syntax-page: grammar node type ${node.type} is not drawn`);
  }
}

/** A rule's name (the serialized rules are typed as plain grammar nodes). */
const ruleName = (rule: ISerializedGast): string => (rule as unknown as { name: string }).name;

/** The words that start a statement rule (`layer`; `sgd, momentum, rmsprop, adam`): its heading. */
function heading(rule: ISerializedGast): string {
  const first = rule.definition?.[0] as (ISerializedGast & { pattern?: string }) | undefined;
  if (first?.type === "Terminal") return first.pattern!;
  if (first?.type === "Alternation") return (first.definition ?? []).map((alt) => (alt.definition?.[0] as { pattern?: string }).pattern).join(", ");
  throw new Error(`syntax-page: rule ${ruleName(rule)} does not start with a keyword`);
}

/** One example per statement heading (test/editor/syntax-diagrams.test.ts parses each without a syntax error). */
export const examples: Readonly<Record<string, readonly string[]>> = {
  model: ["model letters"],
  input: ["input 289", "input 1x17x17"],
  let: ["let H = 20"],
  sweep: ["sweep H = 10, 20, 40"],
  layer: ["layer fc 289->H sigmoid", "layer conv 6 relu kernel=5", "layer maxpool 2", "layer flatten", "layer fc 26 softmax", "layer dropout p=0.2"],
  loss: ["loss crossentropy"],
  "sgd, momentum, rmsprop, adam": ["sgd lr=1 epochs=20 batch=1024 shuffle", "adam lr=0.001 beta1=0.9"],
  schedule: ["schedule step factor=0.5 every=10"],
  init: ["init normal std=0.01 seed=3"],
  "data, test": ['data npy "x.npy" labels="y.npy"', "data planar"],
  classes: ["classes male, female", 'classes setosa, versicolor, "Iris virginica"'],
  row: ["row 0.5, 1 -> 1", "row 60.3, 165 -> female"],
  split: ["split 0.2 seed=1"],
  normalize: ["normalize zero-mean"],
  stop: ["stop loss < 0.1", "stop early patience=3"],
  precision: ["precision f32"],
};

const escape = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const code = (s: string): string => `<code>${escape(s)}</code>`;
/** A table's doc text (markdown-ish: `kernel=5` is code). */
const prose = (s: string): string => escape(s).replace(/`([^`]+)`/g, "<code>$1</code>");
const anchor = (s: string): string => s.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "");

/** The SVG text, without the attributes chevrotain's copy of the library leaves undefined (its own page's hooks). */
function svg(diagram: { toString(): string }): string {
  return diagram.toString().replace(/ [A-Za-z]+="undefined"/g, "");
}

const typeText: Record<OptionSpec["type"], string> = {
  number: "number",
  integer: "whole number",
  flag: "flag",
  name: "word",
  string: "quoted string",
  name_or_integer: "word or whole number",
  pair: "n or AxB",
  padding: "n, AxB or same",
};

function optionRows(table: OptionTable): string {
  return Object.entries(table)
    .map(([name, o]) => {
      const range = o.type === "name" && o.words ? o.words.map(code).join(", ") : o.min !== undefined || o.max !== undefined ? escape(describeRange(o)) : "—";
      const fallback = o.required ? "required" : o.default === null ? "—" : code(String(o.default));
      return `<tr><td>${code(name)}</td><td>${typeText[o.type]}</td><td>${range}</td><td>${fallback}</td><td>${prose(o.doc)}</td></tr>`;
    })
    .join("\n");
}

function optionTable(caption: string, table: OptionTable, id: string): string {
  if (Object.keys(table).length === 0) return "";
  return `<table class="options" id="${id}"><caption>${caption}</caption>
<thead><tr><th>option</th><th>type</th><th>range</th><th>default</th><th>meaning</th></tr></thead>
<tbody>
${optionRows(table)}
</tbody></table>`;
}

/** Every statement's options, as the validator's tables hold them. */
function optionSections(): string {
  const out: string[] = [optionTable(`every optimiser (${Object.keys(optimizerOptions).map(code).join(", ")})`, trainingOptions, "options-training")];
  for (const [optimizer, table] of Object.entries(optimizerOptions)) out.push(optionTable(code(optimizer), table, `options-${optimizer}`));
  for (const [keyword, kinds] of Object.entries(kindOptions)) {
    if (keyword === "layer") continue; // under "Layer kinds"
    for (const [kind, table] of Object.entries(kinds)) out.push(optionTable(code(`${keyword} ${kind}`), table, `options-${anchor(`${keyword}-${kind}`)}`));
  }
  out.push(optionTable(`${code("data")} (every source)`, dataOnlyOptions, "options-data"));
  out.push(optionTable(code("split"), splitOptions, "options-split"));
  return out.filter((s) => s !== "").join("\n");
}

function layerKinds(): string {
  const rows = Object.entries(layerWords()).map(([word, options]) => {
    const names = Object.keys(options);
    const list = names.map((n) => `<a href="#options-layer-${anchor(word)}">${code(`${n}=`)}</a>`).join(" ");
    return `<tr id="layer-${anchor(word)}"><td>${code(word)}</td><td>${names.length === 0 ? "—" : list}</td></tr>`;
  });
  const tables = Object.entries(layerWords()).map(([word, options]) => optionTable(code(`layer ${word}`), options, `options-layer-${anchor(word)}`));
  return `<table class="kinds"><thead><tr><th>kind</th><th>options</th></tr></thead><tbody>
${rows.join("\n")}
</tbody></table>
${tables.filter((t) => t !== "").join("\n")}`;
}

function activationList(): string {
  const rows = activationWords.map((w) => {
    const math = ACTIVATIONS[w as ActivationKind];
    const written = w === "leaky_relu" ? `${code("leaky_relu")} or ${code("leaky_relu(0.1)")}` : code(w);
    return `<tr><td>${written}</td><td>${prose(math?.doc ?? "")}</td></tr>`;
  });
  return `<table class="activations"><thead><tr><th>activation</th><th>computes</th></tr></thead><tbody>
${rows.join("\n")}
</tbody></table>`;
}

const style = `
body { font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
code { font: 0.9em ui-monospace, monospace; background: #f3f3ee; padding: 0 0.2em; }
h2 { border-bottom: 1px solid #ccc; margin-top: 2.5rem; }
h3 { margin: 1.5rem 0 0.25rem; font-family: ui-monospace, monospace; }
pre { background: #f3f3ee; padding: 0.5rem 0.75rem; margin: 0.25rem 0; overflow-x: auto; }
nav a { margin-right: 0.75rem; }
.diagram { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.75rem 0 1.25rem; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
svg.railroad-diagram { background: #fcfcf7; }
svg.railroad-diagram path { stroke-width: 2; stroke: #444; fill: none; }
svg.railroad-diagram text { font: 13px ui-monospace, monospace; text-anchor: middle; fill: #111; }
svg.railroad-diagram rect { stroke-width: 2; stroke: #444; fill: #fff7d6; }
svg.railroad-diagram g.non-terminal rect { fill: #e6eefc; }
svg.railroad-diagram g.non-terminal text { font-style: italic; }
svg.railroad-diagram a text { fill: #0b4aa2; }
`;

/** The whole page. `root`: the repository (for chevrotain's copy of railroad-diagrams). */
export function syntaxPage(root: string): string {
  const r = loadRailroad(root);
  const grammar = nnParser().getSerializedGastProductions();
  const rules = new Map(grammar.map((rule) => [ruleName(rule), rule.definition ?? []]));
  const diagram = (rule: ISerializedGast) => {
    const name = ruleName(rule);
    return svg(r.Diagram(...(rule.definition ?? []).map((d) => item(r, rules, d, name))));
  };
  const statements = grammar.filter((rule) => {
    const name = ruleName(rule);
    return name.endsWith("Statement") && !hidden.has(name);
  });
  const statementSections = statements.map((rule) => {
    const title = heading(rule);
    const shown = examples[title] ?? [];
    return `<section class="statement" id="statement-${anchor(title)}">
<h3>${escape(title)}</h3>
<div class="diagram">${diagram(rule)}</div>
${shown.length > 0 ? `<pre>${shown.map(escape).join("\n")}</pre>` : ""}
</section>`;
  });
  const partSections = Object.entries(parts).map(([name, title]) => {
    const rule = grammar.find((x) => ruleName(x) === name);
    if (!rule) throw new Error(`syntax-page: the grammar has no rule ${name}`);
    return `<section class="part" id="part-${name}">
<h3>${title}</h3>
<div class="diagram">${diagram(rule)}</div>
</section>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>The .nn language: syntax</title>
<style>${style}</style>
</head>
<body>
<!-- docs/syntax.html: generated by scripts/syntax-diagrams.mjs (npm run syntax-diagrams) from grammar/parser.ts and the validator's tables. Do not edit. -->
<h1>The .nn language: syntax</h1>
<p>A spec is a list of statements, one per line or separated by ${code(";")}; ${code("#")} starts a comment.
Each diagram below is one statement, read from left to right: a rounded box is typed as shown (${code("layer")},
${code("->")}, ${code("=")}), a square box is something you fill in (a number, a variable, an option) and is
explained under <a href="#parts">Parts</a>. What each statement means, its defaults and its checks are in
<a href="language.md">language.md</a>.</p>
<nav><a href="#statements">Statements</a><a href="#parts">Parts</a><a href="#layer-kinds">Layer kinds</a><a href="#activations">Activations</a><a href="#options">Options</a></nav>
<h2 id="statements">Statements</h2>
${statementSections.join("\n")}
<h2 id="parts">Parts</h2>
${partSections.join("\n")}
<section id="values">
<h3>values</h3>
<ul>
<li><i>number</i>: ${["12", "-3", "0.5", ".5", "1e-3"].map(code).join(", ")}; the sign belongs to the number (${code("2->-3")} is ${code("2")}, ${code("->")}, ${code("-3")}).</li>
<li><i>dims</i>: whole numbers joined by ${code("x")}, no spaces or signs: ${code("1x17x17")} (channels × height × width), ${code("3x5")} (rows × columns).</li>
<li><i>variable</i>: a name declared by ${code("let")}: letters, digits, ${code("_")} and inner hyphens.</li>
<li><i>name</i>, <i>word</i>: a name (${code("letters")}, ${code("val_loss")}, ${code("same")}); <i>"path"</i>, <i>"text"</i>: a double-quoted string with ${code('\\"')} and ${code("\\\\")} escapes.</li>
<li>In a ${code("layer")} statement the word after the kind is a size when ${code("->")} follows it, or when it is no activation word and neither ${code("=")} nor ${code("(")} follows it; after the sizes, a word followed by ${code("=")} is a setting and any other word is the activation, before or after the settings.</li>
</ul>
</section>
<h2 id="layer-kinds">Layer kinds</h2>
${layerKinds()}
<h2 id="activations">Activations</h2>
${activationList()}
<h2 id="options">Options</h2>
${optionSections()}
</body>
</html>
`;
}
