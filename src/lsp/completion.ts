// Completion: statement keywords at the start of a statement, the kind words after a keyword (layer kinds from
// the layer rules, data sources, …), option names with their type, range and default (the schema tables),
// option values (flags, named values), activations in a layer, file paths inside a `data`/`test` string, and
// the `classes` names after a row's `->`.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type Position } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { parseSyntax } from "../front/syntax.js";
import { cursorContext, kindOf, optionBeingSet, writtenOptions, type CursorContext } from "./context.js";
import { ACTIVATION_WORDS, activationFormula, describeOption, KEYWORDS, kindWords, optionTable, STATEMENT_DOCS, takesActivation } from "./vocabulary.js";

export function complete(document: TextDocument, position: Position): CompletionItem[] {
  const context = cursorContext(document, position);
  if (context === null) return [];
  const image = context.partial?.image ?? "";
  // Inside an unclosed string (the editor's auto-closed quote is after the cursor, not in the prefix).
  if (image.startsWith('"') && !(image.length > 1 && image.endsWith('"'))) return pathCompletions(document, position, context);
  if (context.before.length === 0) return keywordItems();
  const keyword = context.keyword;
  if (keyword === "row") return rowLabelItems(document, context);
  if (keyword === null || keyword === "let" || keyword === "sweep" || keyword === "model") return [];
  const kinds = kindWords(keyword);
  if (context.before.length === 1 && kinds.length > 0) return kinds.map((word) => kindItem(keyword, word));
  const kind = kindOf(context, kinds.length > 0);
  const table = optionTable(keyword, kind) ?? {};
  const setting = optionBeingSet(context);
  if (setting !== null) {
    const spec = table[setting];
    if (spec === undefined) return [];
    if (spec.type === "flag") return ["true", "false"].map((word) => ({ label: word, kind: CompletionItemKind.Value }));
    return (spec.words ?? []).map((word) => ({ label: word, kind: CompletionItemKind.EnumMember }));
  }
  const items: CompletionItem[] = [];
  const written = writtenOptions(context);
  for (const [name, spec] of Object.entries(table)) {
    if (written.has(name)) continue;
    items.push({
      label: name,
      kind: CompletionItemKind.Property,
      detail: describeOption(spec),
      documentation: spec.doc || undefined,
      // A flag is complete as a bare word; a valued option leaves the cursor after `=`.
      insertText: spec.type === "flag" ? name : `${name}=`,
      insertTextFormat: InsertTextFormat.PlainText,
      command: spec.type === "flag" ? undefined : { title: "option value", command: "editor.action.triggerParameterHints" },
    });
  }
  // Activations follow a layer's sizes (`layer fc 2->4 `, `layer conv 6 `), for the kinds that take one.
  const sized = context.before.slice(2).some((t) => /^[0-9A-Za-z_]/.test(t.image));
  if (keyword === "layer" && kind !== null && sized && takesActivation(kind)) {
    for (const word of ACTIVATION_WORDS) {
      items.push({ label: word, kind: CompletionItemKind.Function, detail: activationFormula(word) });
    }
  }
  return items;
}

/** Right after a row's `->`: the class names of the document's `classes` statement (a row's target may be one). */
function rowLabelItems(document: TextDocument, context: CursorContext): CompletionItem[] {
  if (context.before.at(-1)?.image !== "->") return [];
  const classes = parseSyntax(document.getText(), document.uri).statements.find((s) => s.known && s.keyword.text === "classes");
  return (classes?.names ?? []).map((name, index) => ({
    label: name.value,
    kind: CompletionItemKind.EnumMember,
    detail: `class ${index}`,
    // A name that is no identifier is written as a string.
    insertText: name.type === "string" ? JSON.stringify(name.value) : name.value,
  }));
}

function keywordItems(): CompletionItem[] {
  return KEYWORDS.map((word) => ({ label: word, kind: CompletionItemKind.Keyword, detail: STATEMENT_DOCS[word] }));
}

function kindItem(keyword: string, word: string): CompletionItem {
  const table = optionTable(keyword, word) ?? {};
  const names = Object.keys(table);
  const detail = names.length === 0 ? `${keyword} ${word}` : `${keyword} ${word}: ${names.join(", ")}`;
  return { label: word, kind: CompletionItemKind.EnumMember, detail };
}

/** The folder and file names next to the spec, for the path being typed in a string (relative to the spec's folder, as the data loader reads it). */
function pathCompletions(document: TextDocument, position: Position, context: CursorContext): CompletionItem[] {
  const keyword = context.keyword;
  if (keyword !== "data" && keyword !== "test") return [];
  if (!document.uri.startsWith("file:")) return [];
  const typed = context.partial!.image.slice(1);
  const slash = typed.lastIndexOf("/");
  const folder = join(dirname(fileURLToPath(document.uri)), typed.slice(0, slash + 1));
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  const replaceFrom = { line: position.line, character: position.character - (typed.length - slash - 1) };
  return entries
    .filter((e) => !e.name.startsWith("."))
    .map((e) => {
      const isFolder = e.isDirectory();
      const text = isFolder ? `${e.name}/` : e.name;
      return {
        label: text,
        kind: isFolder ? CompletionItemKind.Folder : CompletionItemKind.File,
        textEdit: { range: { start: replaceFrom, end: position }, newText: text },
        // Keep completing inside a folder.
        command: isFolder ? { title: "complete path", command: "editor.action.triggerSuggest" } : undefined,
      };
    });
}
