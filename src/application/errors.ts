/** Application-level typed errors; the GraphQL layer maps them (and the domain's) to error codes in one place. */

/** The stream moved on past the version the caller pinned, or a bounded retry gave up (→ CONFLICT). */
export class ConcurrencyConflict extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number | null,
    readonly actualVersion: number | null,
  ) {
    super(
      `Conflict on ${streamId}: expected version ${expectedVersion ?? 'none'}, actual ${actualVersion ?? 'none'}`,
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
