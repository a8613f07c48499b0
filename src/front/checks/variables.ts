// Checks of `let` variables and the sizes that use them (layer sizes, `input`, `sweep` values): unknown
// variables (NN016), sizes that are not whole numbers ≥ 1 (NN017), unused variables (NN041) and overrides
// that name no variable (NN043). Each size check is one function for a statement's three sizes, not a
// [from, to, size] array per statement (55,000 layers).
import { resolveSize, statementsOf } from "../lower.js";
import { pointRange } from "../ranges.js";
import type { ValueNode } from "../statements.js";
import { closest, suggestion } from "../suggest.js";
import { isSizeValue } from "./shared.js";
import type { Check } from "./types.js";
import { ruleOfWord } from "../../layers/index.js";

export const variableChecks: readonly Check[] = [
  {
    code: "NN016",
    run({ statements, lowered }, report) {
      const variables = lowered.spec.variables;
      const names = Object.keys(variables);
      const check = (v: ValueNode | null): void => {
        if (v?.type === "name" && !Object.hasOwn(variables, v.value)) {
          report(
            v.range,
            `unknown variable \`${v.value}\``,
            closest(v.value, names) ? suggestion(v.value, names, "variables") : `declare it first: \`let ${v.value} = 4\``,
          );
        }
      };
      for (const s of statementsOf(statements, "layer", "input")) {
        check(s.from);
        check(s.to);
        check(s.size);
      }
      for (const s of statementsOf(statements, "sweep")) {
        if (s.variable && !Object.hasOwn(variables, s.variable.text))
          report(s.variable.range, `\`sweep ${s.variable.text}\` needs \`let ${s.variable.text} = …\``);
      }
    },
  },
  {
    code: "NN017",
    run({ statements, lowered }, report) {
      const variables = lowered.spec.variables;
      const check = (v: ValueNode | null): void => {
        if (!v || v.type === "string") return;
        const value = resolveSize(v, variables);
        if (isSizeValue(value)) return;
        // NaN and ±Infinity come from an unknown name (NN016's) or an overflowing literal (NN005's), except a
        // declared variable that holds one (an override such as H=NaN): that one is this check's.
        const declared = v.type === "name" && Object.hasOwn(variables, v.value);
        if (!declared && (Number.isNaN(value) || !Number.isFinite(value))) return;
        report(v.range, v.type === "name" ? `\`${v.value}\` is ${value}, not a valid size` : `size ${v.text} must be a whole number ≥ 1`);
      };
      // `AxB…` where a size is written: `input` takes channels×height×width, a pooling layer's window rows×columns, nothing else a shape.
      const checkDims = (v: ValueNode | null, parts: number | null, what: string, example: string): void => {
        if (v?.type !== "dims") return;
        if (parts === null) report(v.range, `\`${v.text}\` is a shape, but ${what} is one whole number`, `write e.g. ${example}`);
        else if (v.values.length !== parts || !v.values.every(isSizeValue))
          report(v.range, `\`${v.text}\` is not ${what}: ${parts} whole numbers ≥ 1 joined by x`, `write e.g. ${example}`);
      };
      for (const s of statementsOf(statements, "layer", "input")) {
        check(s.from);
        check(s.to);
        check(s.size);
        if (s.keyword.text === "input") checkDims(s.size, 3, "an image input (channels×height×width)", "`input 1x28x28`");
        else {
          // The rule is looked up only for a shape written as a size (most of 55,000 layers have none).
          if (s.from?.type === "dims") {
            const pairSize = ruleOfWord(s.kind?.text ?? "")?.syntax?.pairSize === true;
            checkDims(s.from, pairSize && !s.to ? 2 : null, pairSize && !s.to ? "a window (rows×columns)" : "a layer size", pairSize ? "`2` or `2x3`" : "`6`");
          }
          checkDims(s.to, null, "a layer size", "`6`");
        }
      }
      for (const s of statementsOf(statements, "sweep")) {
        for (const n of s.numbers) if (Number.isFinite(n.value) && !isSizeValue(n.value)) report(n.range, `sweep value ${n.text} must be a whole number ≥ 1`);
      }
    },
  },
  {
    code: "NN041",
    run({ statements }, report) {
      const used = new Set<string>();
      const use = (v: ValueNode | null): void => {
        if (v?.type === "name") used.add(v.value);
      };
      for (const s of statementsOf(statements, "layer", "input")) {
        use(s.from);
        use(s.to);
        use(s.size);
      }
      for (const s of statementsOf(statements, "let")) {
        if (s.variable && !used.has(s.variable.text))
          report(s.variable.range, `variable \`${s.variable.text}\` is never used`, "use it as a size, e.g. `layer fc 2->" + s.variable.text + " tanh`");
      }
    },
  },
  {
    code: "NN043",
    run({ overrides, lowered, source }, report) {
      for (const name of Object.keys(overrides)) {
        if (!Object.hasOwn(lowered.spec.variables, name)) report(pointRange(source, 0), `\`${name}\` is given a value but the spec has no \`let ${name}\``);
      }
    },
  },
];
