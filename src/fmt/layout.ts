// How one statement is printed in the canonical layout. Works from the front end's StatementNode (every
// part with its source range), printing each part exactly as written in the source (numbers keep their
// spelling: `1e-3` stays `1e-3`, strings keep their escapes), so formatting can never change a value.
//
//   model NAME                 input N                 let H = 4             sweep H = 1, 2, 3
//   layer fc 2->H tanh         layer fc 2->4 leaky_relu(0.1)                 layer dropout p=0.2
//   input 1x17x17              layer conv 6 relu kernel=5 stride=1x2         layer maxpool 2   layer fc 26 softmax
//   sgd lr=1 epochs=20 …       data npy "x.npy" labels="y.npy" scale=0.5     row 60.3, 165 -> 1
//   stop loss < 0.1            stop early monitor=val_loss patience=3
//   classes male, female       classes "Iris setosa", versicolor              row 60.3, 165 -> female
//
// Options are printed in the schema's order (src/front/schema.ts); options the schema does not know keep
// their relative order after the known ones (they are errors anyway, but a formatter must not drop them).
import type { SourceRange } from "../ir.js";
import type { SettingNode, StatementNode } from "../front/statements.js";
import { ACTIVATIONS } from "../maths.js";
import { dataOnlyOptions, kindOptions, optimizerOptions, splitOptions, trainingOptions, type OptionTable } from "../front/schema.js";

/** The option names of a statement in canonical order (empty when the statement takes no options or is unknown). */
export function optionOrder(keyword: string, kind: string | null): string[] {
  const tables: (OptionTable | undefined)[] = [];
  if (keyword in optimizerOptions) tables.push(trainingOptions, optimizerOptions[keyword as keyof typeof optimizerOptions]);
  else if (keyword === "split") tables.push(splitOptions);
  else if (keyword === "data" || keyword === "test") {
    tables.push(kind !== null ? kindOptions.data?.[kind] : undefined);
    if (keyword === "data") tables.push(dataOnlyOptions);
  } else if (kind !== null) tables.push(kindOptions[keyword]?.[kind]);
  const names: string[] = [];
  for (const t of tables) for (const name of Object.keys(t ?? {})) if (!names.includes(name)) names.push(name);
  return names;
}

/** Settings sorted into canonical order; a stable sort, so unknown options keep their order after the known ones. */
export function sortSettings(settings: readonly SettingNode[], order: readonly string[]): SettingNode[] {
  const rank = (s: SettingNode) => {
    const i = order.indexOf(s.name.text);
    return i < 0 ? order.length : i;
  };
  return settings
    .map((s, i) => ({ s, i }))
    .sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i)
    .map((x) => x.s);
}

/** Prints one statement canonically; `source` is the file the ranges point into. */
export function printStatement(statement: StatementNode, source: string): string {
  const text = (range: SourceRange) => source.slice(range.startOffset, range.endOffset + 1);
  // A line that starts with an unknown word is kept exactly as written: it is an error either way, and the
  // loose rule that parsed it gives no structure to lay out.
  if (!statement.known) return text(statement.range);
  const s = statement;
  const parts: string[] = [text(s.keyword.range)];
  if (s.variable) parts.push(text(s.variable.range), "=", s.numbers.map((n) => text(n.range)).join(", "));
  if (s.kind) parts.push(text(s.kind.range));
  if (s.size) parts.push(text(s.size.range));
  if (s.path) parts.push(text(s.path.range));
  if (s.from) parts.push(s.to ? `${text(s.from.range)}->${text(s.to.range)}` : text(s.from.range));
  const activations = s.activations.map((a) => text(a.kind.range) + (a.alpha ? `(${text(a.alpha.range)})` : ""));
  // The activation goes right after the sizes (`layer conv 6 relu kernel=5`), except in a layer without
  // sizes whose first activation is no activation word and has no `(…)` (`layer dropout p=0.5 relux`): right
  // after the kind such a word is read as a size (the grammar's gate), so it stays after the settings.
  const first = s.activations[0];
  const activationsLast = s.from === null && first !== undefined && first.alpha === null && !Object.hasOwn(ACTIVATIONS, first.kind.text);
  if (!activationsLast) parts.push(...activations);
  if (s.comparator) parts.push(text(s.comparator.range));
  if (!s.variable) parts.push(...s.numbers.map((n) => text(n.range)));
  // A row's targets are numbers or one class name; a `classes` statement is only names.
  const names = s.names.map((n) => text(n.range)).join(", ");
  if (s.inputs.length > 0)
    parts.push(s.inputs.map((n) => text(n.range)).join(", "), "->", s.targets.length > 0 ? s.targets.map((n) => text(n.range)).join(", ") : names);
  else if (s.names.length > 0) parts.push(names);
  const order = optionOrder(s.keyword.text, s.kind?.text ?? null);
  for (const setting of sortSettings(s.settings, order)) {
    parts.push(text(setting.name.range) + (setting.value ? `=${text(setting.value.range)}` : ""));
  }
  if (activationsLast) parts.push(...activations);
  return parts.join(" ");
}
