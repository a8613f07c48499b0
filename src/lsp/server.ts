// `nnc lsp`: the Language Server Protocol server. Each open document is run through the compiler's front end
// on open and on every change (analysis.ts), its diagnostics published at once, and the analysis kept (per
// document version) for the requests: hover, completion, signature help, formatting, definition, references,
// rename, code actions and inlay hints. One module per feature beside this file; this one only wires them.
import { fileURLToPath } from "node:url";
import { format } from "node:util";
import {
  CodeActionKind,
  createConnection,
  ProposedFeatures,
  ResponseError,
  ErrorCodes,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { VERSION } from "../version.js";
import { codeActions } from "./actions.js";
import { analyse, type Analysis } from "./analysis.js";
import { complete } from "./completion.js";
import { toLspDiagnostics } from "./diagnostics.js";
import { formatDocument } from "./formatting.js";
import { inlayHints } from "./hints.js";
import { hover } from "./hover.js";
import { toLspRange } from "./positions.js";
import { signatureHelp } from "./signature.js";
import { declarationOf, isVariableName, occurrencesOf, variableAt } from "./variables.js";
import { KEYWORDS } from "./vocabulary.js";

/**
 * The file name the front end reports and names the model after (when there is no `model` statement): the path
 * for file: URIs; for others (VS Code's `untitled:Untitled-1`) the last segment, so an unsaved spec is not an
 * NN015 "invalid model name" for the URI's scheme.
 */
export function fileNameOf(uri: string): string {
  if (uri.startsWith("file:")) {
    try {
      return fileURLToPath(uri);
    } catch {
      // A malformed file URI: named like any other below.
    }
  }
  return decodeURIComponent(uri.split(/[/:]/).pop() ?? uri) || uri;
}

/** Serves LSP on `connection` until it closes. */
export function serve(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new Map<string, { version: number; analysis: Analysis }>();

  /** The analysis of the document's current version (made once per version). */
  function analysisOf(document: TextDocument): Analysis {
    const cached = analyses.get(document.uri);
    if (cached !== undefined && cached.version === document.version) return cached.analysis;
    const analysis = analyse(document.getText(), fileNameOf(document.uri));
    analyses.set(document.uri, { version: document.version, analysis });
    return analysis;
  }

  function document(uri: string): TextDocument | undefined {
    return documents.get(uri);
  }

  connection.onInitialize((): InitializeResult => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      completionProvider: { triggerCharacters: [" ", "=", '"', "/"] },
      signatureHelpProvider: { triggerCharacters: [" ", "="], retriggerCharacters: [" "] },
      documentFormattingProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      inlayHintProvider: true,
    },
    serverInfo: { name: "nnc", version: VERSION },
  }));

  // Diagnostics as you type: each change is analysed and published at once (a 1 KB spec takes well under a
  // millisecond: bench/lsp.ts), without a timer. Changes that arrive together (fast typing on a large spec, whose
  // analysis is slower than the keystrokes) are coalesced: the analysis runs after the messages already read,
  // on the latest version only.
  const pending = new Set<string>();
  documents.onDidChangeContent(({ document: doc }) => {
    if (pending.has(doc.uri)) return;
    pending.add(doc.uri);
    setImmediate(() => {
      pending.delete(doc.uri);
      const latest = documents.get(doc.uri);
      if (latest === undefined) return;
      const analysis = analysisOf(latest);
      void connection.sendDiagnostics({ uri: latest.uri, version: latest.version, diagnostics: toLspDiagnostics(latest, analysis.diagnostics) });
    });
  });
  documents.onDidClose(({ document: doc }) => {
    analyses.delete(doc.uri);
    void connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
  });

  connection.onHover(({ textDocument, position }) => {
    const doc = document(textDocument.uri);
    return doc === undefined ? null : hover(doc, analysisOf(doc), position);
  });
  connection.onCompletion(({ textDocument, position }) => {
    const doc = document(textDocument.uri);
    return doc === undefined ? [] : complete(doc, position);
  });
  connection.onSignatureHelp(({ textDocument, position }) => {
    const doc = document(textDocument.uri);
    return doc === undefined ? null : signatureHelp(doc, position);
  });
  connection.onDocumentFormatting(({ textDocument }) => {
    const doc = document(textDocument.uri);
    return doc === undefined ? [] : formatDocument(doc, fileNameOf(doc.uri));
  });
  connection.onCodeAction(({ textDocument, context }) => {
    const doc = document(textDocument.uri);
    return doc === undefined ? [] : codeActions(doc, analysisOf(doc), context.diagnostics);
  });
  connection.languages.inlayHint.on(({ textDocument, range }) => {
    const doc = document(textDocument.uri);
    return doc === undefined ? [] : inlayHints(doc, analysisOf(doc), range);
  });

  connection.onDefinition(({ textDocument, position }) => {
    const doc = document(textDocument.uri);
    if (doc === undefined) return null;
    const analysis = analysisOf(doc);
    const at = variableAt(analysis, doc.offsetAt(position));
    const declaration = at === undefined ? undefined : declarationOf(analysis, at.name);
    return declaration === undefined ? null : { uri: doc.uri, range: toLspRange(doc, declaration.range) };
  });
  connection.onReferences(({ textDocument, position, context }) => {
    const doc = document(textDocument.uri);
    if (doc === undefined) return [];
    const analysis = analysisOf(doc);
    const at = variableAt(analysis, doc.offsetAt(position));
    if (at === undefined) return [];
    return occurrencesOf(analysis, at.name)
      .filter((o) => context.includeDeclaration || !o.declaration)
      .map((o) => ({ uri: doc.uri, range: toLspRange(doc, o.range) }));
  });
  connection.onPrepareRename(({ textDocument, position }) => {
    const doc = document(textDocument.uri);
    if (doc === undefined) return null;
    const analysis = analysisOf(doc);
    const at = variableAt(analysis, doc.offsetAt(position));
    // Only declared variables are renamed (an undeclared name is NN016's, and may be a typo of another).
    if (at === undefined || declarationOf(analysis, at.name) === undefined) return null;
    return { range: toLspRange(doc, at.range), placeholder: at.name };
  });
  connection.onRenameRequest(({ textDocument, position, newName }) => {
    const doc = document(textDocument.uri);
    if (doc === undefined) return null;
    const analysis = analysisOf(doc);
    const at = variableAt(analysis, doc.offsetAt(position));
    if (at === undefined || declarationOf(analysis, at.name) === undefined) return null;
    if (!isVariableName(newName) || KEYWORDS.includes(newName)) {
      return new ResponseError(
        ErrorCodes.InvalidParams,
        `\`${newName}\` is not a variable name (a letter or _, then letters, digits, _; not a statement keyword)`,
      );
    }
    const edits = occurrencesOf(analysis, at.name).map((o) => ({ range: toLspRange(doc, o.range), newText: newName }));
    return { changes: { [doc.uri]: edits } };
  });

  documents.listen(connection);
  connection.listen();
}

/** `nnc lsp`: serves over stdin/stdout (what every editor's client starts). */
export function startStdioServer(): void {
  // stdout carries the protocol: anything printed with console.log would corrupt it, so the console goes to stderr
  // (vscode-languageserver does this itself only when it finds --stdio in process.argv).
  for (const name of ["log", "info", "debug", "warn"] as const) console[name] = (...args: unknown[]) => process.stderr.write(`${format(...args)}\n`);
  serve(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
}
