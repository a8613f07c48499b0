// Signature help for options: while a statement's options are typed, the editor shows every option the
// statement takes (`sgd lr=number > 0 epochs=whole number ≥ 1 …`) with the one being typed highlighted and
// its range, default and meaning. The option tables are the schema's and the layer rules' (vocabulary.ts).
import type { ParameterInformation, Position, SignatureHelp } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { cursorContext, kindOf } from "./context.js";
import { describeOption, describeType, kindWords, optionTable } from "./vocabulary.js";

export function signatureHelp(document: TextDocument, position: Position): SignatureHelp | null {
  const context = cursorContext(document, position);
  if (context === null || context.keyword === null || context.before.length === 0) return null;
  const keyword = context.keyword;
  const kinds = kindWords(keyword);
  // After the keyword only while the kind word is still to come.
  if (kinds.length > 0 && context.before.length < 2) return null;
  const kind = kindOf(context, kinds.length > 0);
  const table = optionTable(keyword, kind);
  if (table === null) return null;
  const names = Object.keys(table);
  if (names.length === 0) return null;
  let label = kind === null ? keyword : `${keyword} ${kind}`;
  const parameters: ParameterInformation[] = [];
  for (const name of names) {
    const spec = table[name]!;
    const text = `${name}=${describeType(spec)}`;
    const start = label.length + 1;
    label += ` ${text}`;
    parameters.push({ label: [start, start + text.length], documentation: `${describeOption(spec)}${spec.doc ? ` — ${spec.doc}` : ""}` });
  }
  const active = activeOption(
    context.before.map((t) => t.image),
    context.partial?.image ?? null,
    names,
  );
  return { signatures: [{ label, parameters }], activeSignature: 0, activeParameter: active ?? null };
}

/** The index of the option under the cursor: the one whose value is being typed, or whose name is. */
function activeOption(before: readonly string[], partial: string | null, names: readonly string[]): number | undefined {
  const n = before.length;
  if (n >= 2 && before[n - 1] === "=") {
    const i = names.indexOf(before[n - 2]!);
    return i >= 0 ? i : undefined;
  }
  if (partial !== null && /^[A-Za-z_]/.test(partial)) {
    const i = names.findIndex((name) => name.startsWith(partial));
    return i >= 0 ? i : undefined;
  }
  return undefined;
}
