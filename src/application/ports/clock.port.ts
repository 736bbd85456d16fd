/** Injection token for the Clock port. */
export const CLOCK = Symbol('Clock');

/** The time, as the application sees it (tests pin it). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
