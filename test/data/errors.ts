import { UserError } from "../../src/errors.js";

/** Runs `fn`, expecting a UserError, and returns its message (any other outcome fails the test). */
export function userErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error("expected a UserError, but nothing was thrown");
}
