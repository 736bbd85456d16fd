import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RecordedEvent } from '../../src/application/ports/event-store.port';
import { EmbeddedEventStore } from '../../src/infrastructure/event-store/embedded/embedded-event-store';
import { spawnTsChild } from './child-process';
import { crashEventData } from './children/crash-event-data';

const ROUNDS = 3;
const ACKS_BEFORE_KILL = 1500;

interface Acknowledged {
  streamId: string;
  revision: number;
}

/** Runs the crash writer on `dir` and kills it with SIGKILL once it has acknowledged enough appends. */
async function writeUntilKilled(dir: string, acknowledged: Map<string, Acknowledged>, tried: string[][]) {
  const child = spawnTsChild('crash-writer.ts', [dir]);
  let acks = 0;
  child.onLine((line) => {
    const [kind, ...rest] = line.split(' ');
    if (kind === 'try') tried.push(rest[0].split(','));
    if (kind !== 'ack') return;
    const [streamId, last, ids] = rest;
    const list = ids.split(',');
    list.forEach((id, i) => acknowledged.set(id, { streamId, revision: Number(last) - list.length + 1 + i }));
    if (++acks === ACKS_BEFORE_KILL) child.process.kill('SIGKILL');
  });
  const { signal, stderr } = await child.finished;
  if (signal !== 'SIGKILL' || acks < ACKS_BEFORE_KILL) {
    throw new Error(`crash writer ended by ${signal} after ${acks} acknowledged appends: ${stderr}`);
  }
}

describe('embedded event store under kill -9', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'event-store-crash-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged event, whole appends only, and accepts new appends after reopening', async () => {
    const acknowledged = new Map<string, Acknowledged>();
    const tried: string[][] = [];
    for (let round = 0; round < ROUNDS; round++) await writeUntilKilled(dir, acknowledged, tried);

    const store = await EmbeddedEventStore.open(dir, { warn: () => undefined });
    try {
      const stored = new Map<string, RecordedEvent>();
      for await (const event of store.readAll()) stored.set(event.id, event);

      for (const [id, ack] of acknowledged) {
        const event = stored.get(id);
        expect(event).toBeDefined();
        expect(event).toMatchObject({ streamId: ack.streamId, revision: ack.revision, type: 'CrashTested' });
        expect(event!.data).toEqual(crashEventData(id));
      }

      for (const ids of tried) {
        const present = ids.filter((id) => stored.has(id)).length;
        expect([0, ids.length]).toContain(present);
      }

      const streams = new Set([...stored.values()].map((event) => event.streamId));
      let total = 0;
      for (const streamId of streams) {
        const events = await store.readStream(streamId);
        expect(events.map((event) => event.revision)).toEqual(events.map((_, i) => i));
        total += events.length;
      }
      expect(total).toBe(stored.size);

      const [streamId] = streams;
      const last = store.streamRevision(streamId);
      const result = await store.appendToStream(
        streamId,
        [{ id: randomUUID(), type: 'AfterCrash', data: {} }],
        last,
      );
      expect(result.nextExpectedRevision).toBe(last + 1);
    } finally {
      await store.close();
    }
  });
});
