import { ThrottledLog } from '../../src/infrastructure/graphql/errors/throttled-log';

describe('ThrottledLog', () => {
  it('writes a kind once per interval, then says how many lines it held back', () => {
    const lines: string[] = [];
    let now = Date.parse('2026-11-22T10:00:00.000Z');
    const log = new ThrottledLog(
      (line) => lines.push(line),
      10_000,
      () => now,
    );
    log.note('event store: disk full', 'createTicket: disk full');
    log.note('event store: disk full', 'addComment: disk full');
    log.note('read store: away', 'tickets: away');
    now += 9_999;
    log.note('event store: disk full', 'createTicket: disk full');
    now += 1;
    log.note('event store: disk full', 'assignTicket: disk full');
    log.note('event store: disk full', 'assignTicket: disk full');
    now += 10_000;
    log.note('event store: disk full', 'closeTicket: disk full');
    expect(lines).toEqual([
      'createTicket: disk full',
      'tickets: away',
      'assignTicket: disk full (and 2 more like it since 2026-11-22T10:00:00.000Z)',
      'closeTicket: disk full (and 1 more like it since 2026-11-22T10:00:10.000Z)',
    ]);
  });

  it('forgets the oldest kinds past a hundred', () => {
    const lines: string[] = [];
    const log = new ThrottledLog(
      (line) => lines.push(line),
      10_000,
      () => 0,
    );
    for (let i = 0; i <= 100; i++) log.note(`kind ${i}`, `line ${i}`);
    log.note('kind 0', 'line 0 again');
    log.note('kind 100', 'line 100 again');
    expect(lines.slice(-1)).toEqual(['line 0 again']);
    expect(lines).toHaveLength(102);
  });
});
