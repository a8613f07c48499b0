// Formats a generated module with prettier, once, at the end of compilation. Fixed options (not read from
// any config file) so the output is byte-identical wherever nnc runs. Parser babel-ts: the same output as
// prettier's "typescript" parser on generated modules, and ~40% less CPU cold (nnc build runs it once per process).

export const PRETTIER_OPTIONS = {
  parser: "babel-ts",
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
  // Loaded on first use: every command reads specs through the compiler's front end (src/compile.ts), and
  // only build needs prettier.
  const { format } = await import("prettier");
  return format(text, PRETTIER_OPTIONS);
}
