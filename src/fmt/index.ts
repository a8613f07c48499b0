// The formatter's public face: `formatSpec` (pure: source → canonical text or syntax diagnostics) and
// `optionOrder` (the canonical option order of a statement). `nnc fmt` (src/commands/fmt.ts) is the I/O shell.
export { formatSpec, type FormatResult } from "./format.js";
export { optionOrder, printStatement } from "./layout.js";
