// Child process for the crash test: appends concurrently to the store in argv[2] until killed,
// printing "try <ids>" before each append and "ack <stream> <lastRevision> <ids>" as soon as
// it is acknowledged (synchronous writes to the pipe, so a printed ack is never lost).
import { randomUUID } from 'node:crypto';
import { writeSync } from 'node:fs';
import { EmbeddedEventStore } from '../../../src/infrastructure/event-store/embedded/embedded-event-store';
import { crashEventData } from './crash-event-data';

const WRITERS = 32;
const STREAMS = 50;

async function writer(store: EmbeddedEventStore, seed: number): Promise<void> {
  for (let n = 0; ; n++) {
    const streamId = `crash-${(seed * 7 + n) % STREAMS}`;
    const count = n % 5 === 0 ? 3 : 1;
    const ids = Array.from({ length: count }, () => randomUUID());
    writeSync(1, `try ${ids.join(',')}\n`);
    const result = await store.appendToStream(
      streamId,
      ids.map((id) => ({ id, type: 'CrashTested', data: crashEventData(id), metadata: { writer: seed } })),
      'any',
    );
    writeSync(1, `ack ${streamId} ${result.nextExpectedRevision} ${ids.join(',')}\n`);
  }
}

EmbeddedEventStore.open(process.argv[2]).then((store) => {
  writeSync(1, 'open\n');
  for (let seed = 0; seed < WRITERS; seed++) void writer(store, seed);
});
