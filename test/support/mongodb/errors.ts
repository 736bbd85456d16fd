import { Document } from 'bson';

/** MongoDB error codes this server answers with, named as the server names them (`codeName`). */
export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  DuplicateKey: 11000,
} as const;

export type ErrorCodeName = keyof typeof ErrorCodes;

/**
 * A failure the server reports in MongoDB's shape. Thrown by command handlers; the dispatcher turns it into
 * `{ ok: 0, errmsg, code, codeName, ...details }`, and write commands turn it into a `writeErrors` entry.
 */
export class MongoCommandError extends Error {
  readonly code: number;

  constructor(
    readonly codeName: ErrorCodeName,
    message: string,
    /** Extra fields MongoDB puts beside the error, e.g. `keyPattern` and `keyValue` for duplicate keys. */
    readonly details: Document = {},
  ) {
    super(message);
    this.code = ErrorCodes[codeName];
  }

  /** The reply document of a failed command. */
  toReply(): Document {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.details };
  }

  /** The entry of a `writeErrors` array for the write at `index` of the batch. */
  toWriteError(index: number): Document {
    return { index, code: this.code, errmsg: this.message, ...this.details };
  }
}

/** Wraps anything thrown while evaluating a command (mingo errors included) as a MongoDB-shaped error. */
export function asCommandError(error: unknown): MongoCommandError {
  if (error instanceof MongoCommandError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // mingo reports unsupported or malformed operators by throwing; MongoDB answers those with BadValue.
  const isQueryLanguageError = error instanceof Error && error.constructor.name === 'MingoError';
  return new MongoCommandError(isQueryLanguageError ? 'BadValue' : 'InternalError', message);
}
