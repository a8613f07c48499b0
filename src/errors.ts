// Errors the CLI reports to the user without a stack trace: a user's mistake (bad spec, bad data file,
// bad flag) is a UserError and exits 1; anything else is an internal error and exits 2.

export class UserError extends Error {
  constructor(
    message: string,
    /** Process exit code when this reaches the CLI. */
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "UserError";
  }
}

export const EXIT_OK = 0;
export const EXIT_USER_ERROR = 1;
export const EXIT_INTERNAL_ERROR = 2;
