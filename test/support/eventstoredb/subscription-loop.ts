import { randomUUID } from 'node:crypto';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { AppendSignal } from './append-signal';
import type { BackingStore } from './backing-store';
import { eventFilterOf } from './event-filter';
import { StreamTombstoned } from './grpc-errors';
import { eventMessage, send, type ReadCall } from './wire-writes';
import type { StreamLifecycle } from './stream-lifecycle';
import { streamNameOf } from './stored-event-codec';

/** Events read from the store per step, so a long catch-up does not hold everything in memory. */
const BATCH = 256;

export interface SubscriptionServices {
  store: BackingStore;
  lifecycle: StreamLifecycle;
  signal: AppendSignal;
}

/** Sends what follows the cursor; says whether anything new was found. */
interface SubscriptionSource {
  pump(): Promise<boolean>;
  /** Last words before `caught_up` (a filtered subscription checkpoints what it scanned). */
  beforeCaughtUp(): Promise<void>;
}

/**
 * A catch-up subscription as EventStoreDB serves it: confirmation, the stored events after
 * the start point (exclusive), `caught_up`, then live events as they are appended. It ends
 * only when the client cancels or the server stops.
 */
export async function serveSubscription(
  services: SubscriptionServices,
  call: ReadCall,
  options: ReadReq.Options,
  stop: AbortSignal,
): Promise<void> {
  const confirmation = new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID());
  await send(call, new ReadResp().setConfirmation(confirmation), stop);
  const source = options.hasAll()
    ? await allSource(services, call, options, stop)
    : streamSource(services, call, options, stop);
  const stopped = new Promise<void>((resolve) =>
    stop.addEventListener('abort', () => resolve(), { once: true }),
  );
  let caughtUp = false;
  while (!stop.aborted) {
    const appended = services.signal.next();
    if (await source.pump()) continue;
    if (!caughtUp) {
      await source.beforeCaughtUp();
      await send(call, new ReadResp().setCaughtUp(new ReadResp.CaughtUp()), stop);
      caughtUp = true;
    }
    await Promise.race([appended, stopped]);
  }
}

async function allSource(
  services: SubscriptionServices,
  call: ReadCall,
  options: ReadReq.Options,
  stop: AbortSignal,
): Promise<SubscriptionSource> {
  const all = options.getAll() as ReadReq.Options.AllOptions;
  let cursor: bigint | null = null;
  if (all.hasPosition()) {
    const position = BigInt((all.getPosition() as ReadReq.Options.Position).getCommitPosition());
    // Position 0 is the start of the log: nothing to skip.
    cursor = position === 0n ? null : position;
  } else if (all.hasEnd()) {
    for await (const last of services.store.readAllIncludingSystem({ direction: 'backwards', maxCount: 1 })) {
      cursor = last.position;
    }
  }
  const filter = eventFilterOf(options);
  let scanned = 0;
  const checkpoint = async () => {
    if (!filter || scanned === 0 || cursor === null) return;
    scanned = 0;
    const at = new ReadResp.Checkpoint()
      .setCommitPosition(cursor.toString())
      .setPreparePosition(cursor.toString());
    await send(call, new ReadResp().setCheckpoint(at), stop);
  };
  return {
    async pump() {
      let progressed = false;
      const events = services.store.readAllIncludingSystem({
        fromPosition: cursor ?? 'start',
        maxCount: BATCH,
      });
      for await (const event of events) {
        if (stop.aborted) return false;
        if (cursor !== null && event.position <= cursor) continue;
        cursor = event.position;
        progressed = true;
        if (!filter || filter.matches(event)) await send(call, eventMessage(event), stop);
        if (filter && ++scanned >= filter.checkpointEvery) await checkpoint();
      }
      return progressed;
    },
    beforeCaughtUp: checkpoint,
  };
}

function streamSource(
  services: SubscriptionServices,
  call: ReadCall,
  options: ReadReq.Options,
  stop: AbortSignal,
): SubscriptionSource {
  const stream = options.getStream() as ReadReq.Options.StreamOptions;
  const name = streamNameOf(stream.getStreamIdentifier());
  let cursor = stream.hasRevision() ? Number(stream.getRevision()) : -1;
  let fromEnd = stream.hasEnd();
  return {
    async pump() {
      if (fromEnd) {
        const last = await services.lifecycle.read(name, { direction: 'backwards', maxCount: 1 });
        if (last.kind === 'events' && last.events.length > 0) cursor = last.events[0].revision;
        fromEnd = false;
      }
      const read = await services.lifecycle.read(name, { fromRevision: cursor + 1, maxCount: BATCH });
      if (read.kind === 'deleted') throw new StreamTombstoned(name);
      if (read.kind === 'not_found') return false;
      let progressed = false;
      for (const event of read.events) {
        if (stop.aborted || event.revision <= cursor) continue;
        cursor = event.revision;
        progressed = true;
        await send(call, eventMessage(event), stop);
      }
      return progressed;
    },
    async beforeCaughtUp() {},
  };
}
