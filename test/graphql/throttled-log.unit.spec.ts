import { ThrottledLog } from '../../src/infrastructure/graphql/errors/throttled-log';

describe('ThrottledLog', () => {
  it('writes a kind at once, then once per interval: the latest line held, with how many more there were', () => {
    const lines: string[] = [];
    let now = Date.parse('2026-11-22T10:00:00.000Z');
    const scheduled: { run: () => void; ms: number }[] = [];
    const log = new ThrottledLog(
      (line) => lines.push(line),
      10_000,
      () => now,
      (run, ms) => scheduled.push({ run, ms }),
    );
    log.note('event store', 'createTicket: disk full');
    log.note('read store', 'tickets: away');
    now += 4_000;
    log.note('event store', 'addComment: disk full');
    log.note('event store', 'assignTicket: disk full');
    expect(lines).toEqual(['createTicket: disk full', 'tickets: away']);
    // One flush scheduled for the end of the interval, however many lines were held.
    expect(scheduled.map((s) => s.ms)).toEqual([6_000]);
    now += 6_000;
    scheduled[0].run();
    expect(lines.at(-1)).toBe('assignTicket: disk full (and 1 more like it since 2026-11-22T10:00:00.000Z)');
    // The interval starts again at the flush; a lone held line is written as it is.
    now += 1_000;
    log.note('event store', 'closeTicket: disk full');
    now += 9_000;
    scheduled[1].run();
    expect(lines.at(-1)).toBe('closeTicket: disk full');
    // After a quiet interval, a line is written at once.
    now += 10_000;
    log.note('event store', 'reopenTicket: disk full');
    expect(lines.at(-1)).toBe('reopenTicket: disk full');
    expect(lines).toHaveLength(5);
  });
});
