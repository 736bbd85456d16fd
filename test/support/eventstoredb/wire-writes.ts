import type { ServerWritableStream } from '@grpc/grpc-js';
import type { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { RecordedEvent } from '../../../src/application/ports/event-store.port';
import { toReadEvent } from './stored-event-codec';

export type ReadCall = ServerWritableStream<ReadReq, ReadResp>;

export function eventMessage(event: RecordedEvent): ReadResp {
  return new ReadResp().setEvent(toReadEvent(event, event.position));
}

/** Writes one message, waiting for the client to drain when the HTTP/2 window is full. */
export async function send(call: ReadCall, message: ReadResp, stop: AbortSignal): Promise<void> {
  if (stop.aborted || call.write(message)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      call.off('drain', done);
      stop.removeEventListener('abort', done);
      resolve();
    };
    call.on('drain', done);
    stop.addEventListener('abort', done);
  });
}
