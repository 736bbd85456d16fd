/** The parts of running a command that concern the request rather than the ticket (command-runner.ts). */
import type { FieldError } from '../domain/domain.errors';
import type { TicketState } from '../domain/ticket';

/** The longest `commandId` taken (clients use UUIDs or similar keys). */
export const MAX_COMMAND_ID_LENGTH = 200;

/**
 * When a decision happens: the clock's reading, but never before the stream's latest event. A ticket's
 * events must not go back in time (`updatedAt` is the latest event's time, and an as-of replay stops
 * at the first event after its instant), yet a reading can be older: the auto-close policy dates a
 * whole batch at its start while agents keep writing, and instances' clocks differ a little.
 */
export function decisionTime(reading: Date, state: TicketState | null): Date {
  if (state === null) return reading;
  const latest = Date.parse(state.updatedAt);
  return latest > reading.getTime() ? new Date(latest) : reading;
}

/** What is wrong with the request's own fields (the domain checks the command's). */
export function requestFieldErrors({
  expectedVersion,
  commandId,
}: {
  expectedVersion?: number | null;
  commandId?: string | null;
}): FieldError[] {
  const errors: FieldError[] = [];
  if (
    expectedVersion !== undefined &&
    expectedVersion !== null &&
    !(Number.isInteger(expectedVersion) && expectedVersion >= 0)
  ) {
    errors.push({ path: 'expectedVersion', message: 'must be a version: an integer from 0' });
  }
  if (typeof commandId === 'string' && commandId.length > MAX_COMMAND_ID_LENGTH) {
    errors.push({ path: 'commandId', message: `must be at most ${MAX_COMMAND_ID_LENGTH} characters` });
  } else if (typeof commandId === 'string' && commandId.trim() === '') {
    // A client sending "" for "no key" would otherwise share one key across all its commands.
    errors.push({ path: 'commandId', message: 'must not be blank (leave it out to send no key)' });
  }
  return errors;
}
