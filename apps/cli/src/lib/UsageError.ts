/** Bad usage: a flag or argument the user got wrong. Exit code 2, and the message names the flag. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A check that failed (a request Bedrock would reject, a failed probe). Exit code 1. */
export class CheckFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckFailed";
  }
}
