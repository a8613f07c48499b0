// Every command's --help ends with examples (tested in test/cli/conventions.test.ts). One helper so they all
// look the same:
//
//   Examples:
//     $ nnc parse specs/gender.nn
import type { Command } from "commander";

/** Appends an "Examples:" section to `command`'s --help; each line is one command line, shown after `$ `. */
export function withExamples(command: Command, lines: readonly string[]): Command {
  return command.addHelpText("after", examples(lines));
}

/** The same "Examples:" text, for a command chain: `.addHelpText("after", examples([...]))`. */
export function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`;
}
