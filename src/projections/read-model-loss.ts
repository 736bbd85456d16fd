/**
 * Telling that the read store lost the read models (an empty server behind the same address, a backup
 * restored): a save or a check finds the checkpoint gone or reset by another instance, or an event meets
 * no document. ProjectionRunner then projects every event afresh (see its lossShownBy and projectAfresh).
 */
import type { CheckpointState, ReadStore } from '../application/ports/read-store.port';
import { OutOfOrderEvent } from './projector';

/** What a projection found of its checkpoint when it is not `kept`. */
export type Loss = Exclude<CheckpointState, 'kept'>;

/** A save found the checkpoint gone, or reset by another instance (ReadStore.saveCheckpoint). */
export class CheckpointLost extends Error {
  constructor(
    readonly state: Loss,
    position: bigint | null,
  ) {
    super(
      `The checkpoint at ${position} is ${state === 'missing' ? 'gone from' : 'reset in'} the read store`,
    );
    this.name = 'CheckpointLost';
  }
}

/** Whether `error` comes from an event that met no document where one should be (OutOfOrderEvent). */
export function documentMissing(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof OutOfOrderEvent) return cause.documentMissing;
  }
  return false;
}

/**
 * Asks every `intervalMs` whether the checkpoint is still the projection's: lost while no event comes,
 * the read models would be served empty, with /health saying ok, until the next event met the loss.
 */
export class LossWatch {
  private readonly timer: NodeJS.Timeout;

  constructor(
    store: ReadStore,
    checkpointName: string,
    intervalMs: number,
    projection: {
      /** The position a check would answer for, or null when no check should run now. */
      checkable(): bigint | null;
      lost(state: Loss, at: bigint): void;
    },
  ) {
    this.timer = setInterval(() => {
      const at = projection.checkable();
      if (at === null) return;
      void store
        .checkCheckpoint(checkpointName)
        .catch((): CheckpointState => 'kept') // away: nothing to tell yet
        .then((state) => {
          // Answered for a position the projection has moved on from, or while it stopped: not news.
          if (state !== 'kept' && projection.checkable() === at) projection.lost(state, at);
        });
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
