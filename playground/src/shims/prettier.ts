// The page's "prettier" (scripts/build-playground.mjs aliases it): prettier/standalone with the plugins the
// compiler's fixed options need (babel for babel-ts and babel, estree to print). The same prettier version and
// options as `nnc build`, so the module's bytes are the same.
import type { Options } from "prettier";
import { format as formatStandalone } from "prettier/standalone";
import * as babel from "prettier/plugins/babel";
import * as estree from "prettier/plugins/estree";

export function format(text: string, options: Options): Promise<string> {
  return formatStandalone(text, { ...options, plugins: [babel, estree] });
}
