import { Metadata, status, type ServiceError } from '@grpc/grpc-js';

/**
 * Errors the way EventStoreDB sends them: a gRPC status plus an `exception` trailer the
 * client maps to its error classes (see the client's convertToCommandError).
 */
function eventStoreError(code: status, exception: string, details: string, extra: Record<string, string>) {
  const metadata = new Metadata();
  metadata.set('exception', exception);
  for (const [key, value] of Object.entries(extra)) metadata.set(key, value);
  const error = Object.assign(new Error(details), { code, details, metadata }) as ServiceError;
  return error;
}

export function streamDeletedError(streamName: string): ServiceError {
  return eventStoreError(
    status.FAILED_PRECONDITION,
    'stream-deleted',
    `Event stream '${streamName}' is deleted.`,
    {
      'stream-name': streamName,
    },
  );
}

/** `expected` and `actual` are EventStoreDB's numbers: -1 no stream, -2 any, -4 stream exists. */
export function wrongExpectedVersionError(
  streamName: string,
  expected: bigint,
  actual: bigint | null,
): ServiceError {
  const extra: Record<string, string> = {
    'stream-name': streamName,
    'expected-version': expected.toString(),
  };
  if (actual !== null) extra['actual-version'] = actual.toString();
  return eventStoreError(
    status.FAILED_PRECONDITION,
    'wrong-expected-version',
    `Append failed due to WrongExpectedVersion. Stream: ${streamName}, Expected version: ${expected}, Actual version: ${actual ?? 'none'}`,
    extra,
  );
}

export function invalidArgumentError(details: string): ServiceError {
  return Object.assign(new Error(details), {
    code: status.INVALID_ARGUMENT,
    details,
    metadata: new Metadata(),
  });
}

/** Anything else that went wrong inside the server. */
export function internalError(details: string): ServiceError {
  return Object.assign(new Error(details), { code: status.INTERNAL, details, metadata: new Metadata() });
}

/** Marks a stream the client may not touch because it was tombstoned. */
export class StreamTombstoned extends Error {
  constructor(readonly streamName: string) {
    super(`Stream ${streamName} is deleted`);
  }
}
