// Path flags: an empty value (`--out "$UNSET"`) would otherwise mean the working folder, and nnc would
// write its files there. Commander calls this parser for the flag, so the refusal is a usage error.
import { InvalidArgumentError } from "commander";

export function nonEmptyPath(value: string): string {
  if (value.trim() === "") throw new InvalidArgumentError("the path is empty (an unset shell variable?)");
  return value;
}
