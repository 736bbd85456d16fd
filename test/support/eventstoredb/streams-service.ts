import type {
  sendUnaryData,
  ServerReadableStream,
  ServerUnaryCall,
  ServerWritableStream,
  ServiceError,
} from '@grpc/grpc-js';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import type { IStreamsServer } from '@eventstore/db-client/generated/streams_grpc_pb';
import {
  AppendReq,
  AppendResp,
  DeleteReq,
  DeleteResp,
  ReadReq,
  ReadResp,
  TombstoneReq,
  TombstoneResp,
} from '@eventstore/db-client/generated/streams_pb';
import { WrongExpectedVersion, type ExpectedRevision } from '../../../src/application/ports/event-store.port';
import {
  internalError,
  invalidArgumentError,
  streamDeletedError,
  StreamTombstoned,
  wrongExpectedVersionError,
} from './grpc-errors';
import { serveRead, type ReadServices } from './read-handler';
import { streamNameOf, toStoredEvent } from './stored-event-codec';

/** The handlers of `event_store.client.streams.Streams`; BatchAppend is left unimplemented on purpose. */
export type StreamsHandlers = Omit<IStreamsServer, 'batchAppend'>;

/** What a Delete/Tombstone/Append options message says about the expected revision. */
interface ExpectedOptions {
  hasRevision(): boolean;
  getRevision(): string;
  hasNoStream(): boolean;
  hasStreamExists(): boolean;
}

/**
 * Builds the Streams service over the lifecycle (writes) and the store (reads). `openCalls`
 * holds an abort handle for every running read, so stopping the server ends subscriptions.
 */
export function createStreamsService(
  services: ReadServices,
  openCalls: Set<AbortController>,
): StreamsHandlers {
  return {
    append(call: ServerReadableStream<AppendReq, AppendResp>, callback: sendUnaryData<AppendResp>) {
      let options: AppendReq.Options | undefined;
      const messages: AppendReq.ProposedMessage[] = [];
      call.on('data', (request: AppendReq) => {
        if (request.hasOptions()) options = request.getOptions();
        const message = request.getProposedMessage();
        if (message) messages.push(message);
      });
      call.on('end', () => {
        if (!options) return callback(invalidArgumentError('Append must start with options'));
        append(services, options, messages).then(
          (response) => callback(null, response),
          (error: unknown) => callback(toServiceError(error, streamNameOf(options?.getStreamIdentifier()))),
        );
      });
    },

    delete(call: ServerUnaryCall<DeleteReq, DeleteResp>, callback: sendUnaryData<DeleteResp>) {
      const options = call.request.getOptions() as DeleteReq.Options;
      const name = streamNameOf(options.getStreamIdentifier());
      services.lifecycle.softDelete(name, expectedOf(options)).then(
        (position) => {
          services.signal.notify();
          callback(null, new DeleteResp().setPosition(positionOf(new DeleteResp.Position(), position)));
        },
        (error: unknown) => callback(toServiceError(error, name)),
      );
    },

    tombstone(call: ServerUnaryCall<TombstoneReq, TombstoneResp>, callback: sendUnaryData<TombstoneResp>) {
      const options = call.request.getOptions() as TombstoneReq.Options;
      const name = streamNameOf(options.getStreamIdentifier());
      services.lifecycle.tombstone(name, expectedOf(options)).then(
        (position) => {
          services.signal.notify();
          callback(null, new TombstoneResp().setPosition(positionOf(new TombstoneResp.Position(), position)));
        },
        (error: unknown) => callback(toServiceError(error, name)),
      );
    },

    read(call: ServerWritableStream<ReadReq, ReadResp>) {
      const stop = new AbortController();
      openCalls.add(stop);
      call.on('cancelled', () => stop.abort());
      serveRead(services, call, stop.signal)
        .then(
          () => {
            if (!stop.signal.aborted) call.end();
          },
          (error: unknown) => {
            const name = streamNameOf(call.request.getOptions()?.getStream()?.getStreamIdentifier());
            if (!stop.signal.aborted) call.emit('error', toServiceError(error, name));
          },
        )
        .finally(() => openCalls.delete(stop));
    },
  };
}

async function append(
  services: ReadServices,
  options: AppendReq.Options,
  messages: AppendReq.ProposedMessage[],
): Promise<AppendResp> {
  const name = streamNameOf(options.getStreamIdentifier());
  const expected = expectedOf(options);
  const success = new AppendResp.Success();
  if (messages.length === 0) {
    // Nothing to write: report where the stream stands, as EventStoreDB does.
    const read = await services.lifecycle.read(name, { direction: 'backwards', maxCount: 1 });
    if (read.kind === 'deleted') throw new StreamTombstoned(name);
    const last = read.kind === 'events' ? read.events[0] : undefined;
    if (last) success.setCurrentRevision(String(last.revision));
    else success.setNoStream(new Empty());
    return new AppendResp().setSuccess(success.setNoPosition(new Empty()));
  }
  try {
    const result = await services.lifecycle.append(name, messages.map(toStoredEvent), expected);
    services.signal.notify();
    success.setCurrentRevision(String(result.nextExpectedRevision));
    success.setPosition(positionOf(new AppendResp.Position(), result.position));
    return new AppendResp().setSuccess(success);
  } catch (error) {
    if (!(error instanceof WrongExpectedVersion)) throw error;
    const wrong = new AppendResp.WrongExpectedVersion();
    if (error.actual === 'no_stream') wrong.setCurrentNoStream(new Empty());
    else wrong.setCurrentRevision(String(error.actual));
    if (typeof expected === 'number') wrong.setExpectedRevision(String(expected));
    else if (expected === 'no_stream') wrong.setExpectedNoStream(new Empty());
    else if (expected === 'stream_exists') wrong.setExpectedStreamExists(new Empty());
    else wrong.setExpectedAny(new Empty());
    return new AppendResp().setWrongExpectedVersion(wrong);
  }
}

function expectedOf(options: ExpectedOptions): ExpectedRevision {
  if (options.hasRevision()) return Number(options.getRevision());
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  return 'any';
}

function positionOf<T extends { setCommitPosition(v: string): T; setPreparePosition(v: string): T }>(
  message: T,
  position: bigint,
): T {
  return message.setCommitPosition(position.toString()).setPreparePosition(position.toString());
}

/** EventStoreDB's numbers for expected versions: -1 no stream, -2 any, -4 stream exists. */
function expectedNumber(expected: ExpectedRevision): bigint {
  if (typeof expected === 'number') return BigInt(expected);
  return expected === 'no_stream' ? -1n : expected === 'stream_exists' ? -4n : -2n;
}

function toServiceError(error: unknown, streamName: string): ServiceError {
  if (error instanceof StreamTombstoned) return streamDeletedError(error.streamName);
  if (error instanceof WrongExpectedVersion) {
    const actual = error.actual === 'no_stream' ? null : BigInt(error.actual);
    return wrongExpectedVersionError(error.streamId, expectedNumber(error.expected), actual);
  }
  if (error && typeof error === 'object' && 'code' in error && 'metadata' in error)
    return error as ServiceError;
  const message = error instanceof Error ? error.message : String(error);
  return internalError(`${streamName}: ${message}`);
}
