// The spec editor: CodeMirror 6 with .nn highlighting (nn-language.ts), the language server's own pure
// functions for diagnostics, quick fixes and hover (src/lsp: analyse → toLspDiagnostics → codeActions /
// hover), so the page says exactly what `nnc lsp` says in VS Code. The front end runs on the main thread (a
// few milliseconds); the back end runs in the compile worker (main.ts).
import { EditorView, basicSetup } from "codemirror";
import { EditorState } from "@codemirror/state";
import { hoverTooltip } from "@codemirror/view";
import { linter, lintGutter, type Action, type Diagnostic } from "@codemirror/lint";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { CodeAction, Diagnostic as LspDiagnostic, TextEdit } from "vscode-languageserver-types";
import { analyse, type Analysis } from "../../src/lsp/analysis.js";
import { toLspDiagnostics } from "../../src/lsp/diagnostics.js";
import { codeActions } from "../../src/lsp/actions.js";
import { hover } from "../../src/lsp/hover.js";
import { nnLanguage } from "./nn-language.js";

const URI = "playground:///spec.nn";

export interface SpecEditor {
  view: EditorView;
  text(): string;
  /** Replaces the whole text (controls, lessons, the URL); one undoable change. */
  setText(text: string): void;
  /** The last analysis (the front end's result on the current text). */
  analysis(): Analysis;
}

interface Analysed {
  text: string;
  document: TextDocument;
  analysis: Analysis;
  lsp: LspDiagnostic[];
}

export function createEditor(parent: HTMLElement, initial: string, fileName: string, onChange: (text: string) => void): SpecEditor {
  let version = 0;
  let last: Analysed | null = null;
  const analysed = (text: string): Analysed => {
    if (last !== null && last.text === text) return last;
    const document = TextDocument.create(URI, "nn", ++version, text);
    const analysis = analyse(text, fileName);
    last = { text, document, analysis, lsp: toLspDiagnostics(document, analysis.diagnostics) };
    return last;
  };

  const apply = (view: EditorView, document: TextDocument, edits: readonly TextEdit[]): void => {
    // The edits are against the text they were computed on; the lint pass re-runs on every change, so it is current.
    const changes = edits.map((e) => ({ from: document.offsetAt(e.range.start), to: document.offsetAt(e.range.end), insert: e.newText }));
    view.dispatch({ changes });
  };

  const diagnostics = linter(
    (view): Diagnostic[] => {
      const { document, analysis, lsp } = analysed(view.state.doc.toString());
      const actions: CodeAction[] = codeActions(document, analysis, lsp);
      return lsp.map((d) => {
        const from = document.offsetAt(d.range.start);
        const to = Math.max(from, document.offsetAt(d.range.end));
        const fixes: Action[] = actions
          .filter((a) => a.diagnostics?.includes(d) === true)
          .map((a) => ({ name: a.title, apply: (v: EditorView) => apply(v, document, a.edit?.changes?.[URI] ?? []) }));
        const message = typeof d.message === "string" ? d.message : String(d.message);
        return { from, to, severity: d.severity === 1 ? "error" : "warning", source: String(d.code), message, actions: fixes };
      });
    },
    { delay: 150 },
  );

  const hovers = hoverTooltip((view, pos) => {
    const { document, analysis } = analysed(view.state.doc.toString());
    const found = hover(document, analysis, document.positionAt(pos));
    if (found === null) return null;
    const value = typeof found.contents === "object" && "value" in found.contents ? found.contents.value : String(found.contents);
    return {
      pos,
      create: () => {
        const dom = document_().createElement("div");
        dom.className = "nn-hover";
        dom.textContent = value.replace(/```\w*\n?/g, "").replace(/\*\*/g, "");
        return { dom };
      },
    };
  });

  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: initial,
      extensions: [
        basicSetup,
        nnLanguage,
        diagnostics,
        lintGutter(),
        hovers,
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });

  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text: string): void {
      if (text !== view.state.doc.toString()) view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    analysis: () => analysed(view.state.doc.toString()).analysis,
  };
}

/** The page's document (the name `document` is the LSP text document above). */
function document_(): Document {
  return globalThis.document;
}
