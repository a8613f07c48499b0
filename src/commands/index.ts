// Every CLI command, one module each. Add a command by writing src/commands/<name>.ts exporting
// `register(program)` and listing it in COMMANDS below.
//
// Commands are imported lazily: a run loads only the module of the command it names, so `nnc parse` does
// not pay for ts-morph, prettier, vega or opentype (start-up went from ~1.5 s to a fraction of that).
// Anything that is not a single known command (`nnc --help`, a typo, no command) loads them all, so
// commander can list them and suggest the nearest name.
import type { Command } from "commander";

type CommandModule = { register(program: Command): void };

const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  build: () => import("./build.js"),
  check: () => import("./check.js"),
  data: () => import("./data.js"),
  parse: () => import("./parse.js"),
  fmt: () => import("./fmt.js"),
  train: () => import("./train.js"),
  predict: () => import("./predict.js"),
  sweep: () => import("./sweep.js"),
  lsp: () => import("./lsp.js"),
  import: () => import("./import.js"),
  export: () => import("./export.js"),
  playground: () => import("./playground.js"),
};

/** The command named on the command line: the first argument that is not an option. */
function requestedCommand(args: readonly string[]): string | undefined {
  return args.find((arg) => !arg.startsWith("-"));
}

export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  const requested = requestedCommand(args);
  if (requested === undefined && (args.includes("--version") || args.includes("-V"))) return;
  const names = requested !== undefined && requested in COMMANDS ? [requested] : Object.keys(COMMANDS);
  for (const name of names) (await COMMANDS[name]!()).register(program);
}
