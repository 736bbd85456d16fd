import {
  COUPON_REGISTRATION_SEQUENCE,
  MAX_RESERVED_AHEAD,
  SEQUENCE_NUMBERS_RESERVED,
  SequenceAllocator,
  Sequences,
  TICKET_NUMBER_SEQUENCE,
} from '../../src/application/sequences';
import { TempStore } from './support';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const ascending = (numbers: number[]) => [...numbers].sort((a, b) => a - b);

describe('SequenceAllocator on the embedded event store', () => {
  let temp: TempStore;
  beforeEach(async () => {
    temp = await TempStore.open();
  });
  afterEach(() => temp.dispose());

  it('hands out 1, 2, 3 … one after another', async () => {
    const numbers = new SequenceAllocator(temp.store, TICKET_NUMBER_SEQUENCE);
    const got = [await numbers.next(), await numbers.next(), await numbers.next()];
    expect(got).toEqual([1, 2, 3]);
  });

  it('serves 200 callers at once with 200 different numbers, in fewer appends than numbers', async () => {
    const numbers = new SequenceAllocator(temp.store, TICKET_NUMBER_SEQUENCE);
    const got = await Promise.all(Array.from({ length: 200 }, () => numbers.next()));

    expect(ascending(got)).toEqual(range(1, 200));
    const reservations = await temp.store.readStream(TICKET_NUMBER_SEQUENCE);
    expect(reservations.length).toBeLessThan(200);
    expect(reservations.every((e) => e.type === SEQUENCE_NUMBERS_RESERVED)).toBe(true);
  });

  it('never gives the same number to two allocators (two processes) on one store', async () => {
    const a = new SequenceAllocator(temp.store, TICKET_NUMBER_SEQUENCE);
    const b = new SequenceAllocator(temp.store, TICKET_NUMBER_SEQUENCE);
    const fromA: Promise<number>[] = [];
    const fromB: Promise<number>[] = [];
    for (let i = 0; i < 100; i++) {
      fromA.push(a.next());
      fromB.push(b.next());
      if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const gotA = await Promise.all(fromA);
    const gotB = await Promise.all(fromB);

    // Each reserves blocks ahead, so numbers left in a block are gaps; none is given twice.
    expect(new Set([...gotA, ...gotB]).size).toBe(200);
    expect(Math.min(...gotA, ...gotB)).toBe(1);
    // Each process sees its own numbers increase in the order it asked for them.
    expect(gotA).toEqual(ascending(gotA));
    expect(gotB).toEqual(ascending(gotB));
  });

  it('goes on after the last reserved number when the store is reopened (a restart)', async () => {
    const before = new SequenceAllocator(temp.store, TICKET_NUMBER_SEQUENCE);
    await Promise.all(range(1, 5).map(() => before.next()));

    const store = await temp.reopen();
    const after = new SequenceAllocator(store, TICKET_NUMBER_SEQUENCE);

    // The numbers the first process reserved ahead and never handed out are skipped (a gap).
    const next = await after.next();
    expect(next).toBeGreaterThan(5);
    expect(next).toBeLessThanOrEqual(6 + MAX_RESERVED_AHEAD);
  });

  it('when another process took numbers meanwhile, continues after them instead of repeating', async () => {
    const a = new SequenceAllocator(temp.store, TICKET_NUMBER_SEQUENCE);
    const b = new SequenceAllocator(temp.store, TICKET_NUMBER_SEQUENCE);
    const first = await a.next();
    const fromB = [await b.next(), await b.next()];
    const again = await a.next();
    expect(first).toBe(1);
    expect(new Set([first, ...fromB, again]).size).toBe(4);
    expect(fromB[0]).toBeGreaterThan(first);
    expect(fromB[1]).toBeGreaterThan(fromB[0]);
    expect(again).toBeGreaterThan(first);
  });

  it('hands out a steady stream of numbers with far fewer appends, from blocks reserved ahead', async () => {
    const numbers = new SequenceAllocator(temp.store, TICKET_NUMBER_SEQUENCE);
    const got: number[] = [];
    for (let i = 0; i < 100; i++) got.push(await numbers.next());

    expect(got).toEqual(range(1, 100));
    expect((await temp.store.readStream(TICKET_NUMBER_SEQUENCE)).length).toBeLessThan(20);
  });

  it('keeps ticket numbers and registration numbers apart', async () => {
    const sequences = new Sequences(temp.store);
    expect(await sequences.ticketNumbers.next()).toBe(1);
    expect(await sequences.ticketNumbers.next()).toBe(2);
    expect(await sequences.couponRegistrations.next()).toBe(1);
    expect(sequences.couponRegistrations.streamId).toBe(COUPON_REGISTRATION_SEQUENCE);
  });
});
