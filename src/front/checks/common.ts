// Checks about any statement, whatever its keyword: the keyword itself (NN004), the numbers written in it
// (NN005), its kind word (NN006) and statements that may appear once (NN014). A 1 MB spec can be
// 55,000–100,000 statements alike, so a message or hint is built once per distinct word or group, not per
// statement (55,000 `lyer` lines once computed the same "did you mean" 55,000 times; 100,000 `let H = 2`
// share one message and hint).
import { statementKeywords } from "../../../grammar/tokens.js";
import { knownStatements, optimizerKeywords, statementsOf } from "../lower.js";
import type { NumberNode, StatementNode, ValueNode } from "../statements.js";
import { suggestion } from "../suggest.js";
import { kindsFor } from "./shared.js";
import type { Check, Report } from "./types.js";

const keywordWords = statementKeywords.map((t) => t.name.toLowerCase());

/** Adds `s` to its group (in place: copying the group per statement made 100,000 `let H = 2` quadratic). */
function groupPush(groups: Map<string, StatementNode[]>, key: string, s: StatementNode): void {
  const group = groups.get(key);
  if (group === undefined) groups.set(key, [s]);
  else group.push(s);
}

/** Reports the second and later statements of a group that may appear once (one message and hint for the group). */
function reportRepeats(group: readonly StatementNode[], what: string, report: Report): void {
  if (group.length < 2) return;
  const message = `${what} is given twice`;
  const hint = `the first is on line ${group[0]!.range.startLine}; keep one`;
  for (let i = 1; i < group.length; i++) report(group[i]!.keyword.range, message, hint);
}

export const commonChecks: readonly Check[] = [
  {
    code: "NN004",
    run({ statements }, report) {
      const hints = new Map<string, string>();
      for (const s of statements) {
        if (s.known) continue;
        const word = s.keyword.text;
        let hint = hints.get(word);
        if (hint === undefined) hints.set(word, (hint = suggestion(word, keywordWords, "statements")));
        report(s.keyword.range, `unknown statement \`${word}\``, hint);
      }
    },
  },
  {
    code: "NN005",
    run({ statements, source }, report) {
      // A number literal (-?digits[.digits][e±digits]) overflows only at a magnitude ≥ 1.8e308: an exponent
      // of 3+ digits, or (exponent ≤ 99) an integer part of 210+ digits. Without either in the text nothing
      // can be reported, and one scan (~1 ms) saves reading the ~150,000 number nodes of 1 MB of rows
      // (~10-25 ms: each node and its boxed value is a cache miss).
      if (!/\d{210}|[eE][+-]?\d{3}/.test(source)) return;
      // Every number written in a statement, in this order, without building an array of them (one big
      // array of all numbers was ~0.3 s on 55,000 layers).
      const check = (n: NumberNode): void => {
        if (!Number.isFinite(n.value)) report(n.range, `the number ${n.text.length > 30 ? n.text.slice(0, 30) + "…" : n.text} is too large`);
      };
      // A number, or each part of dims (`1x` then 400 digits): one report per dims, naming the part.
      const checkValue = (v: ValueNode | null): void => {
        if (v?.type === "number") check(v);
        else if (v?.type === "dims") {
          const i = v.values.findIndex((n) => !Number.isFinite(n));
          const part = i < 0 ? "" : v.text.split("x")[i]!;
          if (i >= 0)
            report(
              v.range,
              `the number ${part.length > 30 ? part.slice(0, 30) + "…" : part} in \`${v.text.length > 40 ? v.text.slice(0, 40) + "…" : v.text}\` is too large`,
            );
        }
      };
      for (const s of statements) {
        for (const n of s.numbers) check(n);
        for (const n of s.inputs) check(n);
        for (const n of s.targets) check(n);
        checkValue(s.from);
        checkValue(s.to);
        checkValue(s.size);
        for (const x of s.settings) checkValue(x.value);
        for (const a of s.activations) if (a.alpha) check(a.alpha);
      }
    },
  },
  {
    code: "NN006",
    run({ statements }, report) {
      let keyword: string | undefined;
      let kinds: readonly string[] | null = null;
      for (const s of knownStatements(statements)) {
        // Looked up again only when the keyword changes (runs of `layer`/`row`/`let` in big specs).
        if (s.keyword.text !== keyword) kinds = kindsFor((keyword = s.keyword.text));
        if (kinds && s.kind && !kinds.includes(s.kind.text)) {
          report(s.kind.range, `unknown ${s.keyword.text} \`${s.kind.text}\``, suggestion(s.kind.text, kinds, `${s.keyword.text} kinds`));
        }
      }
    },
  },
  {
    code: "NN014",
    run({ statements }, report) {
      for (const keyword of ["model", "input", "loss", "schedule", "init", "data", "test", "classes", "split", "normalize", "precision"]) {
        reportRepeats(statementsOf(statements, keyword), `\`${keyword}\``, report);
      }
      reportRepeats(statementsOf(statements, ...optimizerKeywords), "an optimiser (sgd, momentum, rmsprop, adam)", report);
      for (const keyword of ["let", "sweep"]) {
        const byName = new Map<string, StatementNode[]>();
        // A run of the same name is pushed to the previous group without a Map lookup (100,000 `let H = 2`).
        let lastName: string | undefined;
        let lastGroup: StatementNode[] | undefined;
        for (const s of statementsOf(statements, keyword)) {
          if (!s.variable) continue;
          if (s.variable.text === lastName) lastGroup!.push(s);
          else {
            lastName = s.variable.text;
            groupPush(byName, lastName, s);
            lastGroup = byName.get(lastName);
          }
        }
        for (const [name, group] of byName) reportRepeats(group, `\`${keyword} ${name}\``, report);
      }
      const byKind = new Map<string, StatementNode[]>();
      for (const s of statementsOf(statements, "stop")) if (s.kind) groupPush(byKind, s.kind.text, s);
      for (const [kind, group] of byKind) reportRepeats(group, `\`stop ${kind}\``, report);
    },
  },
];
