import { SyncPacer } from '../../src/infrastructure/event-store/embedded/sync-pacer';

/** A pacer whose main-thread busy time the test advances by hand. */
function pacer() {
  let busyMs = 0;
  const subject = new SyncPacer(() => busyMs);
  return {
    subject,
    /** The main thread was busy `ms` since the last sync, then a sync of `synced` appends took `syncMs`. */
    cycle(ms: number, syncMs: number, synced: number, waiting = 0) {
      busyMs += ms;
      subject.synced(syncMs, synced, waiting);
    },
  };
}

describe('SyncPacer: how many queued appends one group-commit sync takes', () => {
  it('takes every waiting append in one sync while the writers turn around faster than the disk syncs', () => {
    const { subject, cycle } = pacer();
    for (let i = 0; i < 20; i++) cycle(0.1, 0.4, 16);
    expect(subject.split).toBe(false);
    expect(subject.batchLimit).toBe(Infinity);
  });

  it('splits the writers in two alternating halves once their turn takes longer than a sync', () => {
    const { subject, cycle } = pacer();
    for (let i = 0; i < 30; i++) cycle(0.6, 0.3, 64);
    expect(subject.split).toBe(true);
    expect(subject.batchLimit).toBe(32);
  });

  it('while split, counts one half-period of work as half a turn, so it stays split', () => {
    const { subject, cycle } = pacer();
    for (let i = 0; i < 30; i++) cycle(0.6, 0.3, 64);
    // Split: each period serves the 32 writers acknowledged last time (0.3 ms), 32 wait.
    for (let i = 0; i < 30; i++) cycle(0.3, 0.3, 32, 32);
    expect(subject.split).toBe(true);
    expect(subject.batchLimit).toBe(32);
  });

  it('merges again when the turn becomes shorter than a sync (fewer writers, or a slower disk)', () => {
    const { subject, cycle } = pacer();
    for (let i = 0; i < 30; i++) cycle(0.6, 0.3, 64);
    for (let i = 0; i < 60; i++) cycle(0.05, 0.4, 8, 8);
    expect(subject.split).toBe(false);
    expect(subject.batchLimit).toBe(Infinity);
  });

  it('does not flap on one slow turn (a garbage-collection pause)', () => {
    const { subject, cycle } = pacer();
    for (let i = 0; i < 20; i++) cycle(0.1, 0.4, 16);
    cycle(3, 0.4, 16);
    expect(subject.split).toBe(false);
  });

  it('never splits fewer than four writers', () => {
    const { subject, cycle } = pacer();
    for (let i = 0; i < 30; i++) cycle(5, 0.3, 3);
    expect(subject.split).toBe(false);
  });
});
