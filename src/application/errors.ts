/** Application-level typed errors; the GraphQL layer maps them (and the domain's) to error codes in one place. */

/** The stream moved on past the version the caller pinned, or a bounded retry gave up (→ CONFLICT). */
export class ConcurrencyConflict extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number | null,
    readonly actualVersion: number | null,
  ) {
    // In the client's words (the stream's name is the engine's own): what it sent, what is there, what to do.
    super(
      expectedVersion === null
        ? `The ticket kept changing while this command was retried (it is at version ${actualVersion ?? 'none'}); send it again`
        : actualVersion !== null && actualVersion < expectedVersion
          ? // A version the ticket has not reached: the client's copy is not the ticket's (or not this ticket's).
            `The ticket is at version ${actualVersion}, not ${expectedVersion}: read it again and decide anew`
          : `The ticket has changed since version ${expectedVersion} (it is at version ${actualVersion ?? 'none'}): read it again and decide anew`,
    );
    this.name = 'ConcurrencyConflict';
  }
}

/** Nothing there, or nothing the caller may see (→ NOT_FOUND). */
export class NotFound extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFound';
  }
}

/** The caller's roles do not allow this (→ FORBIDDEN). */
export class Forbidden extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Forbidden';
  }
}

/** No valid credentials (→ UNAUTHENTICATED). */
export class Unauthenticated extends Error {
  constructor(message = 'A valid bearer token is required') {
    super(message);
    this.name = 'Unauthenticated';
  }
}
