/**
 * Recovery of the embedded event store's log on open: what a crash may leave (a torn tail, a zero-filled
 * stretch, an unfinished append, a new log's torn header) is cut, what would lose acknowledged events
 * (damage before the acknowledged end, a damaged or missing checkpoint file) is refused, and cut bytes
 * are kept beside the log.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedEventStore } from '../../src/infrastructure/event-store/embedded/embedded-event-store';
import { collect, event, LOG_FILE, lengthWithoutTrailingZeros, plantedRecord } from './log-fixtures';

describe('embedded event store: recovery on open', () => {
  let dir: string;
  const warnings: string[] = [];
  const open = () => EmbeddedEventStore.open(dir, { warn: (message) => warnings.push(message) });
  const logFile = () => path.join(dir, LOG_FILE);
  /** A log holding one acknowledged event (`Opened` on ticket-1), closed cleanly. */
  const closedLogWithOne = async (data: unknown = {}): Promise<void> => {
    const store = await open();
    await store.appendToStream('ticket-1', [event('Opened', data)], 'no_stream');
    await store.close();
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'event-store-recovery-'));
    warnings.length = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('cuts off a torn tail (half a record, then garbage) and keeps appending after it', async () => {
    let store = await open();
    await store.appendToStream('ticket-1', [event('Opened', { n: 1 })], 'no_stream');
    const kept = await collect(store.readAll());
    await store.close();
    const cleanSize = fs.statSync(logFile()).size;
    const record = plantedRecord('ticket-1', 1, true);
    fs.appendFileSync(logFile(), record.subarray(0, record.length - 7));

    store = await open();
    try {
      expect(await collect(store.readAll())).toEqual(kept);
      expect(fs.statSync(logFile()).size).toBe(cleanSize);
      expect(warnings).toEqual([expect.stringContaining(`cut ${record.length - 7} bytes`)]);
      await store.appendToStream('ticket-1', [event('Noted', { n: 2 })], 0);
      expect((await store.readStream('ticket-1')).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    } finally {
      await store.close();
    }
    fs.appendFileSync(logFile(), Buffer.from('not a record at all, just bytes'));
    store = await open();
    expect((await store.readStream('ticket-1')).map((e) => e.revision)).toEqual([0, 1]);
    await store.close();
  });

  it('keeps a zero-filled stretch ahead of the end while open, and a clean close trims it off', async () => {
    const store = await open();
    await store.appendToStream('ticket-1', [event('Opened', { n: 1 })], 'no_stream');
    const end = Number(store.headPosition()) + 1;
    const whileOpen = fs.readFileSync(logFile());
    await store.close();

    const closedSize = fs.statSync(logFile()).size;
    expect(whileOpen.length).toBeGreaterThan(end);
    // Trimmed to the end of its one record: shorter than while open, longer than where the record starts,
    // and what was cut is the zero-filled stretch alone.
    expect(closedSize).toBeLessThan(whileOpen.length);
    expect(closedSize).toBeGreaterThan(end);
    expect(whileOpen.subarray(closedSize).every((byte) => byte === 0)).toBe(true);
    expect(fs.readFileSync(logFile())).toEqual(whileOpen.subarray(0, closedSize));
    const reopened = await open();
    const events = await collect(reopened.readAll());
    await reopened.close();
    expect(events.map((e) => e.data)).toEqual([{ n: 1 }]);
  });

  it('after a crash, cuts the zero-filled tail without calling it torn, and a torn record in it by its own bytes', async () => {
    await closedLogWithOne({ n: 1 });
    let store: EmbeddedEventStore;
    const cleanSize = fs.statSync(logFile()).size;
    // What a killed store leaves: its preallocated zeros after the last acknowledged append.
    fs.appendFileSync(logFile(), Buffer.alloc(300_000));

    store = await open();
    try {
      expect((await store.readStream('ticket-1')).map((e) => e.data)).toEqual([{ n: 1 }]);
      expect(fs.statSync(logFile()).size).toBe(cleanSize);
      expect(warnings).toEqual([]);
    } finally {
      await store.close();
    }

    const record = plantedRecord('ticket-1', 1, true);
    fs.appendFileSync(
      logFile(),
      Buffer.concat([record.subarray(0, record.length - 9), Buffer.alloc(200_000)]),
    );
    store = await open();
    try {
      expect((await store.readStream('ticket-1')).map((e) => e.data)).toEqual([{ n: 1 }]);
      expect(warnings).toEqual([expect.stringContaining(`cut ${record.length - 9} bytes`)]);
    } finally {
      await store.close();
    }
  });

  it('drops an append whose last record never reached the disk (appends are atomic)', async () => {
    await closedLogWithOne();
    fs.appendFileSync(
      logFile(),
      Buffer.concat([plantedRecord('ticket-1', 1, false), plantedRecord('ticket-1', 2, false)]),
    );

    const store = await open();
    try {
      expect((await store.readStream('ticket-1')).map((e) => e.type)).toEqual(['Opened']);
      expect(warnings).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('cuts a record with a bad checksum past the acknowledged end', async () => {
    await closedLogWithOne();
    const record = plantedRecord('ticket-1', 1, true);
    record[record.length - 10] ^= 0xff;
    fs.appendFileSync(logFile(), record);

    const store = await open();
    try {
      expect((await store.readStream('ticket-1')).map((e) => e.type)).toEqual(['Opened']);
      // Trailing zero bytes (the high bytes of the record's length trailer) cannot be told
      // apart from the zeros a store keeps ahead of its end, so they are not counted as torn.
      expect(warnings).toEqual([expect.stringContaining(`cut ${lengthWithoutTrailingZeros(record)} bytes`)]);
    } finally {
      await store.close();
    }
  });

  it('refuses to open when an acknowledged record is damaged, rather than losing it', async () => {
    const store = await open();
    await store.appendToStream('ticket-1', [event('Opened', { text: 'first' })], 'no_stream');
    await store.appendToStream('ticket-1', [event('Noted', { text: 'second' })], 0);
    const [first] = await store.readStream('ticket-1');
    await store.close();
    const bytes = fs.readFileSync(logFile());
    bytes[Number(first.position) + 50] ^= 0xff;
    fs.writeFileSync(logFile(), bytes);

    await expect(open()).rejects.toThrow(/damaged at byte \d+, before the acknowledged end/);
    expect(fs.readFileSync(logFile())).toEqual(bytes);
  });

  it('after a kill, damage early in the log is refused, not cut as a torn tail (the checkpoint follows every commit)', async () => {
    const store = await open();
    for (let i = 0; i < 30; i++) {
      await store.appendToStream(`ticket-${i % 3}`, [event('Noted', { i })], i < 3 ? 'no_stream' : 'any');
    }
    const third = (await collect(store.readAll()))[2];
    // What a process killed now leaves on disk (its page cache survives it): both files as they are.
    const killed = fs.mkdtempSync(path.join(os.tmpdir(), 'event-store-killed-'));
    try {
      fs.copyFileSync(logFile(), path.join(killed, LOG_FILE));
      fs.copyFileSync(path.join(dir, 'events.chk'), path.join(killed, 'events.chk'));
      await store.close();
      const bytes = fs.readFileSync(path.join(killed, LOG_FILE));
      bytes[Number(third.position) + 40] ^= 0x01; // one bit of an acknowledged event, on disk
      fs.writeFileSync(path.join(killed, LOG_FILE), bytes);

      await expect(EmbeddedEventStore.open(killed, { warn: () => undefined })).rejects.toThrow(
        /damaged at byte \d+, before the acknowledged end/,
      );
      expect(fs.readFileSync(path.join(killed, LOG_FILE)).equals(bytes)).toBe(true); // nothing cut
    } finally {
      fs.rmSync(killed, { recursive: true, force: true });
    }
  });

  it('refuses a log holding events when its checkpoint file is damaged, naming the file', async () => {
    await closedLogWithOne();
    const checkpoint = path.join(dir, 'events.chk');
    const bytes = fs.readFileSync(checkpoint);
    bytes[0] ^= 0x01;
    fs.writeFileSync(checkpoint, bytes);
    // Cut at a record boundary, which no scan can see: only the checkpoint could tell.
    await expect(open()).rejects.toThrow(/events\.chk is damaged .* holds events/);
    fs.writeFileSync(checkpoint, Buffer.from('garbage'));
    await expect(open()).rejects.toThrow(/events\.chk is damaged/);
    // Also when the log's very first record is damaged too: the checkpoint is named, and no
    // truncation that would drop every event is suggested.
    const log = fs.readFileSync(logFile());
    log[16 + 30] ^= 0x01;
    fs.writeFileSync(logFile(), log);
    const refusal = await open().catch((error: Error) => error);
    expect(String(refusal)).toMatch(/events\.chk is damaged/);
    expect(String(refusal)).not.toMatch(/truncate/);
  });

  it('with its checkpoint file missing, opens a log that ends cleanly, and refuses to cut anything but zeros', async () => {
    await closedLogWithOne({ n: 1 });
    let store: EmbeddedEventStore;
    fs.rmSync(path.join(dir, 'events.chk'));
    const clean = fs.statSync(logFile()).size;
    store = await open();
    expect((await store.readStream('ticket-1')).map((e) => e.data)).toEqual([{ n: 1 }]);
    await store.close();
    expect(warnings).toEqual([expect.stringMatching(/events\.chk was missing; .* ends cleanly/)]);

    fs.rmSync(path.join(dir, 'events.chk'));
    const record = plantedRecord('ticket-1', 1, true);
    fs.appendFileSync(logFile(), record.subarray(0, record.length - 5));
    const refusal = open();
    await expect(refusal).rejects.toThrow(new RegExp(`truncate -s ${clean} `));
    expect(fs.statSync(logFile()).size).toBe(clean + record.length - 5); // left as found
    fs.truncateSync(logFile(), clean); // as the message says
    store = await open();
    expect((await store.readStream('ticket-1')).map((e) => e.data)).toEqual([{ n: 1 }]);
    await store.close();
  });

  it('keeps the bytes it cuts off a torn tail in a file beside the log, and names it', async () => {
    await closedLogWithOne();
    const record = plantedRecord('ticket-1', 1, true);
    const torn = record.subarray(0, record.length - 7);
    fs.appendFileSync(logFile(), torn);
    const store = await open();
    await store.close();
    const kept = /kept in (.+)\)$/.exec(warnings[0])?.[1] ?? '';
    expect(path.dirname(kept)).toBe(dir);
    expect(path.basename(kept)).toMatch(/^events\.log\.cut-/);
    expect(fs.readFileSync(kept)).toEqual(torn.subarray(0, lengthWithoutTrailingZeros(torn)));
  });

  it('refuses to open a log shorter than what was acknowledged, rather than starting afresh', async () => {
    await closedLogWithOne({ text: 'acknowledged' });
    fs.truncateSync(logFile(), 0); // emptied by something other than this store
    await expect(open()).rejects.toThrow(/is 0 bytes long, shorter than the acknowledged end \d+/);
    expect(fs.statSync(logFile()).size).toBe(0); // left as found
  });

  it('refuses a file that is not an event log', async () => {
    fs.writeFileSync(logFile(), 'hello, I am a text file');
    await expect(open()).rejects.toThrow(/not an event log/);
    fs.writeFileSync(logFile(), Buffer.concat([Buffer.alloc(16), Buffer.from('not zeros')]));
    await expect(open()).rejects.toThrow(/not an event log/);
  });

  it.each([
    ['a beginning of its header', Buffer.from('TKTEV', 'latin1')],
    [
      'a beginning of its header and zeros',
      Buffer.concat([Buffer.from('TKTEVLO', 'latin1'), Buffer.alloc(4096)]),
    ],
    ['zeros only', Buffer.alloc(16)],
  ])('starts a new log again when a crash at its creation left %s', async (_, bytes) => {
    fs.writeFileSync(logFile(), bytes);
    const store = await open();
    try {
      await store.appendToStream('ticket-1', [event('Opened', { text: 'first' })], 'no_stream');
      expect((await store.readStream('ticket-1')).map((e) => e.type)).toEqual(['Opened']);
    } finally {
      await store.close();
    }
    const reopened = await open();
    try {
      expect((await reopened.readStream('ticket-1')).map((e) => e.type)).toEqual(['Opened']);
    } finally {
      await reopened.close();
    }
  });
});
