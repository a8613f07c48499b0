// The nnc command line: the I/O shell around the pure compiler. Each command lives in src/commands/<name>.ts
// and registers itself here; this file only wires them up and turns errors into exit codes.
import { Command, CommanderError } from "commander";
import { EXIT_INTERNAL_ERROR, UserError } from "./errors.js";
import { registerCommands } from "./commands/index.js";
import { VERSION } from "./version.js";
import { describeFsError, fsErrorCode } from "./fs-errors.js";

// Output that cannot be written is a user's situation, not a crash: `nnc … | head` closing the pipe ends
// nnc quietly (as `cat` does), and a full or broken stdout/stderr (/dev/full) is one line and exit 1.
for (const [stream, name] of [
  [process.stdout, "standard output"],
  [process.stderr, "standard error"],
] as const) {
  stream.on("error", (error: unknown) => {
    if (fsErrorCode(error) === "EPIPE") process.exit(0);
    if (stream !== process.stderr) process.stderr.write(`nnc: cannot write to ${name}: ${describeFsError(error)}\n`);
    process.exit(1);
  });
}

const program = new Command("nnc")
  .description("Compile .nn neural-network specs into standalone TypeScript modules, check their gradients and train them")
  .version(VERSION)
  .showHelpAfterError()
  .exitOverride();

await registerCommands(program, process.argv.slice(2));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end here with code 0; usage errors are user errors (1).
    process.exitCode = error.exitCode === 0 ? 0 : 1;
  } else if (error instanceof UserError) {
    process.stderr.write(`nnc: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`nnc: internal error (please report): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT_INTERNAL_ERROR;
  }
}
