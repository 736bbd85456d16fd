import { KeyedQueue } from '../../src/application/keyed-queue';

/** A task the test finishes by hand, recording when it started. */
function gate(log: string[], name: string) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    open,
    task: async () => {
      log.push(`start ${name}`);
      await opened;
      log.push(`end ${name}`);
      return name;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedQueue', () => {
  it('runs tasks of one key one at a time, in arrival order', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const a = gate(log, 'a');
    const b = gate(log, 'b');
    const first = queue.run('ticket-1', a.task);
    const second = queue.run('ticket-1', b.task);
    await settle();
    expect(log).toEqual(['start a']);

    b.open();
    a.open();
    expect(await Promise.all([first, second])).toEqual(['a', 'b']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('runs tasks of different keys side by side', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const a = gate(log, 'a');
    const b = gate(log, 'b');
    const both = Promise.all([queue.run('ticket-1', a.task), queue.run('ticket-2', b.task)]);
    await settle();
    expect(log).toEqual(['start a', 'start b']);
    a.open();
    b.open();
    await both;
  });

  it('goes on with the next task after one fails, and passes the failure to its caller', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run('ticket-1', () => Promise.reject(new Error('refused')));
    const next = queue.run('ticket-1', async () => 'done');
    await expect(failed).rejects.toThrow('refused');
    await expect(next).resolves.toBe('done');
  });
});
