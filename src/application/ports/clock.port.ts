/** Injection token for the Clock port. */
export const CLOCK = Symbol('Clock');

/** The time, as the application sees it (tests pin it). */
export interface Clock {
  now(): Date;
}

/** The longest step back of the system clock that is held rather than followed. */
export const HELD_STEP_BACK_MS = 60_000;

/**
 * The system clock, never going back by a small step: an NTP step or a VM restored a moment back would
 * otherwise date a later ticket number, or a later registration number, before an earlier one (seen with
 * a clock stepped back an hour: N8 registered an hour "before" N7). While the reading is behind the
 * latest time given, by at most HELD_STEP_BACK_MS, that latest time is given again; a larger step back
 * is followed (a clock that was set far ahead by mistake must not freeze every time until the real
 * time catches up), and `onStepBack` hears of it.
 */
export function monotonicClock(
  read: () => number = Date.now,
  onStepBack: (ms: number) => void = () => undefined,
): Clock {
  let latest = -Infinity;
  return {
    now(): Date {
      const reading = read();
      if (reading >= latest) latest = reading;
      else if (latest - reading > HELD_STEP_BACK_MS) {
        onStepBack(latest - reading);
        latest = reading;
      }
      return new Date(latest);
    },
  };
}
