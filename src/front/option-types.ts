// The types of an option table (what `name=value` settings a statement takes: type, range, default, doc),
// apart from the tables themselves (src/front/schema.ts) so a layer rule can declare its options without
// importing the schema that lists the rules.
export type OptionType =
  /** Any finite number. */
  | "number"
  /** A whole number. */
  | "integer"
  /** A bare `shuffle` (= true) or `shuffle=true` / `shuffle=false`. */
  | "flag"
  /** A word such as `val_loss`. */
  | "name"
  /** A double-quoted string. */
  | "string"
  /** A word or a whole number (csv `label=species` or `label=4`). */
  | "name_or_integer"
  /** A whole number n (= n×n) or `AxB` (rows × columns): a conv or pool layer's kernel and stride. */
  | "pair"
  /** A whole number n ≥ 0 (= n on every side), `AxB` (rows, columns), or the word `same`: a conv layer's padding. */
  | "padding";

export interface NumberRange {
  min?: number;
  minExclusive?: boolean;
  max?: number;
  maxExclusive?: boolean;
}

export interface OptionSpec extends NumberRange {
  type: OptionType;
  /** The value used when the option is left out; null = required (or no default, e.g. cosine period = epochs). */
  default: number | string | boolean | null;
  required?: boolean;
  /** For `name` options: the allowed words. */
  words?: readonly string[];
  doc: string;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;
