// Formats a generated module with prettier, once, at the end of compilation. Fixed options (not read from
// any config file) so the output is byte-identical wherever nnc runs.
import { format } from "prettier";

export const PRETTIER_OPTIONS = {
  parser: "typescript",
  printWidth: 120,
  tabWidth: 2,
  useTabs: false,
  semi: true,
  singleQuote: false,
  trailingComma: "all",
  bracketSpacing: true,
  arrowParens: "always",
  endOfLine: "lf",
} as const;

export async function formatModule(text: string): Promise<string> {
  return format(text, PRETTIER_OPTIONS);
}
