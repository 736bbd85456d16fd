import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { BackingStore } from './backing-store';
import { eventFilterOf } from './event-filter';
import { invalidArgumentError, StreamTombstoned } from './grpc-errors';
import type { StreamLifecycle } from './stream-lifecycle';
import { streamIdentifier, streamNameOf } from './stored-event-codec';
import { serveSubscription, type SubscriptionServices } from './subscription-loop';
import { eventMessage, send, type ReadCall } from './wire-writes';

export interface ReadServices extends SubscriptionServices {
  lifecycle: StreamLifecycle;
  store: BackingStore;
}

/**
 * `Streams.Read`: one-off reads of a stream or of `$all`, and catch-up subscriptions
 * (the same RPC with `subscription` set).
 */
export async function serveRead(services: ReadServices, call: ReadCall, stop: AbortSignal): Promise<void> {
  const options = call.request.getOptions();
  if (!options || (!options.hasStream() && !options.hasAll())) {
    throw invalidArgumentError('Read needs options with a stream or $all');
  }
  if (options.hasSubscription()) return serveSubscription(services, call, options, stop);
  const forwards = options.getReadDirection() === ReadReq.Options.ReadDirection.FORWARDS;
  const count = options.hasCount() ? Number(options.getCount()) : Number.MAX_SAFE_INTEGER;
  if (options.hasStream()) return readStream(services, call, options, forwards, count, stop);
  return readAll(services, call, options, forwards, count, stop);
}

async function readStream(
  services: ReadServices,
  call: ReadCall,
  options: ReadReq.Options,
  forwards: boolean,
  count: number,
  stop: AbortSignal,
): Promise<void> {
  const stream = options.getStream() as ReadReq.Options.StreamOptions;
  const name = streamNameOf(stream.getStreamIdentifier());
  const fromRevision = stream.hasRevision()
    ? Number(stream.getRevision())
    : stream.hasEnd()
      ? 'end'
      : 'start';
  const read = await services.lifecycle.read(name, {
    direction: forwards ? 'forwards' : 'backwards',
    fromRevision,
    maxCount: count,
  });
  if (read.kind === 'deleted') throw new StreamTombstoned(name);
  if (read.kind === 'not_found') {
    const notFound = new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name));
    await send(call, new ReadResp().setStreamNotFound(notFound), stop);
    return;
  }
  for (const event of read.events) {
    if (stop.aborted) return;
    await send(call, eventMessage(event), stop);
  }
}

async function readAll(
  services: ReadServices,
  call: ReadCall,
  options: ReadReq.Options,
  forwards: boolean,
  count: number,
  stop: AbortSignal,
): Promise<void> {
  const all = options.getAll() as ReadReq.Options.AllOptions;
  const from = all.hasPosition()
    ? BigInt((all.getPosition() as ReadReq.Options.Position).getCommitPosition())
    : all.hasEnd()
      ? 'end'
      : 'start';
  const filter = eventFilterOf(options);
  let sent = 0;
  const events = services.store.readAllIncludingSystem({
    direction: forwards ? 'forwards' : 'backwards',
    fromPosition: from,
  });
  for await (const event of events) {
    if (stop.aborted || sent >= count) return;
    // EventStoreDB reads backwards from the record BEFORE a position (a position is a point in the log).
    if (!forwards && typeof from === 'bigint' && event.position >= from) continue;
    if (filter && !filter.matches(event)) continue;
    await send(call, eventMessage(event), stop);
    sent++;
  }
}
