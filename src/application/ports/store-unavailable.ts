/**
 * A store could not be reached, after its adapter's own retries (EventStoreDB or MongoDB away): the
 * operation did nothing that matters, and repeating it later is safe. Callers that can wait (the
 * projections) wait for the store to return; a request answers INTERNAL saying so, and the server logs
 * one line instead of a stack trace.
 */
export class StoreUnavailable extends Error {
  constructor(
    readonly store: 'event store' | 'read store',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreUnavailable';
  }
}
