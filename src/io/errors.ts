/**
 * Errors that end a run with exit code 2 and one clear message: bad input files, bad flags, bad config.
 * Anything else that escapes is a bug (exit 3).
 */
export class InputError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
