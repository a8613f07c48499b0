// `.nn` highlighting for CodeMirror: a StreamLanguage whose word lists are read from the TextMate grammar
// (editors/vscode/syntaxes/nn.tmLanguage.json, which test/editor keeps in step with grammar/tokens.ts and
// src/front/schema.ts), so the page colours exactly the words VS Code does.
import { StreamLanguage, type StringStream } from "@codemirror/language";
import grammar from "../../editors/vscode/syntaxes/nn.tmLanguage.json" with { type: "json" };

type Repository = Record<string, { match?: string }>;

/** The words of a rule's first `(a|b|c)` group. */
function words(rule: string): Set<string> {
  const match = (grammar.repository as Repository)[rule]?.match ?? "";
  const group = /\(((?:[A-Za-z_][\w-]*\|)+[A-Za-z_][\w-]*)\)/.exec(match)?.[1] ?? "";
  return new Set(group.split("|").filter((w) => w !== ""));
}

const STATEMENTS = words("statement-keyword");
const LAYERS = words("layer-kind");
const ACTIVATIONS = words("activation");
const KINDS = words("kind");

interface State {
  atStatementStart: boolean;
}

export const nnLanguage = StreamLanguage.define<State>({
  name: "nn",
  startState: () => ({ atStatementStart: true }),
  token(stream: StringStream, state: State): string | null {
    if (stream.sol()) state.atStatementStart = true;
    if (stream.eatSpace()) return null;
    if (stream.match(/^#.*/)) return "comment";
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return "string";
    if (stream.match(/^;/)) {
      state.atStatementStart = true;
      return "punctuation";
    }
    const start = state.atStatementStart;
    state.atStatementStart = false;
    if (stream.match(/^\d+(?:x\d+)+/)) return "number";
    if (stream.match(/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?/i)) return "number";
    const word = stream.match(/^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*/) as RegExpMatchArray | null;
    if (word !== null) {
      const w = word[0];
      if (start && STATEMENTS.has(w)) return "keyword";
      if (stream.match(/^\s*=/, false)) return "propertyName";
      if (LAYERS.has(w)) return "typeName";
      if (ACTIVATIONS.has(w)) return "function";
      if (KINDS.has(w)) return "atom";
      return "variableName";
    }
    stream.next();
    return "operator";
  },
  languageData: { commentTokens: { line: "#" } },
});
