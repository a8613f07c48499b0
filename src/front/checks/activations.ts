// Checks of the activation written after a layer's sizes (`tanh`, `leaky_relu(0.1)`), on every `layer`
// statement whatever its kind (the grammar gives an activation to `layer` statements only): an unknown
// activation word (NN006), an argument to an activation that takes none (NN008), leaky_relu's alpha out of
// range (NN012), a second activation (NN009: the grammar lets the activation stand before or after the
// settings, so `layer conv 6 relu kernel=5 tanh` parses).
import { statementsOf } from "../lower.js";
import { activationWords } from "../schema.js";
import { suggestion } from "../suggest.js";
import { reportOutOfRange } from "./shared.js";
import { ruleOfWord } from "../../layers/index.js";
import type { Check } from "./types.js";

export const activationChecks: readonly Check[] = [
  {
    code: "NN009",
    run({ statements }, report) {
      for (const s of statementsOf(statements, "layer")) {
        const [first, ...more] = s.activations;
        // An unknown word is NN006's (often an option written without `=`).
        for (const extra of more.filter((a) => activationWords.includes(a.kind.text)))
          report(extra.kind.range, `a layer has one activation: \`${first!.kind.text}\` is already given`, "keep one; options are written `name=value`");
      }
    },
  },
  {
    code: "NN006",
    run({ statements }, report) {
      for (const s of statementsOf(statements, "layer")) {
        for (const activation of s.activations) {
          const word = activation.kind.text;
          if (activationWords.includes(word)) continue;
          // A bare option name (`layer conv 6 kernel`) reads as an activation: say what it is.
          const options = ruleOfWord(s.kind?.text ?? "")?.syntax?.options ?? {};
          const hint = Object.hasOwn(options, word)
            ? `\`${word}\` is an option of \`layer ${s.kind!.text}\`: write \`${word}=…\``
            : suggestion(word, activationWords, "activations");
          report(activation.kind.range, `unknown activation \`${word}\``, hint);
        }
      }
    },
  },
  {
    code: "NN008",
    run({ statements }, report) {
      for (const s of statementsOf(statements, "layer")) {
        if (s.activation?.alpha && s.activation.kind.text !== "leaky_relu" && activationWords.includes(s.activation.kind.text)) {
          report(s.activation.alpha.range, `\`${s.activation.kind.text}\` takes no argument`, "only leaky_relu(alpha) has one");
        }
      }
    },
  },
  {
    code: "NN012",
    run({ statements }, report) {
      for (const s of statementsOf(statements, "layer")) {
        if (s.activation?.kind.text === "leaky_relu") reportOutOfRange(report, s.activation.alpha, "leaky_relu's alpha", { min: 0 });
      }
    },
  },
];
