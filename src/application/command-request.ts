/**
 * The parts of running a command that concern the request rather than the ticket's stream
 * (command-runner.ts): its shape, its own fields, when it is decided, who acts, and its fingerprint.
 */
import { controlCharacterIn } from '../domain/field-checks';
import { createHash } from 'node:crypto';
import { type FieldError, InvalidInput } from '../domain/domain.errors';
import type { TicketState } from '../domain/ticket';
import type { DecideContext, TicketCommand } from '../domain/ticket.commands';
import { decide } from '../domain/ticket.decide';
import type { Actor } from '../domain/ticket.types';
import type { FoldedStream } from './folded-streams';
import type { SequenceAllocator } from './sequences';

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

/** The request's own fields, which the domain does not check. */
const REQUEST_FIELDS: ReadonlySet<string> = new Set(['commandId', 'expectedVersion']);

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
  // A key is compared exactly: no character of it is rewritten, so a control character is refused.
  const control = typeof commandId === 'string' ? controlCharacterIn(commandId) : null;
  if (typeof commandId === 'string' && commandId.length > MAX_COMMAND_ID_LENGTH) {
    errors.push({ path: 'commandId', message: `must be at most ${MAX_COMMAND_ID_LENGTH} characters` });
  } else if (control !== null) {
    errors.push({ path: 'commandId', message: `must not contain control characters (${control} found)` });
  } else if (typeof commandId === 'string' && commandId.trim() === '') {
    // A client sending "" for "no key" would otherwise share one key across all its commands.
    errors.push({ path: 'commandId', message: 'must not be blank (leave it out to send no key)' });
  }
  return errors;
}

/** A command that needs a number from a sequence (a ticket number, a registration number). */
export interface NumberedCommand {
  sequence: SequenceAllocator;
  /** The command carrying number `n`. Called first with a placeholder, for the dry run. */
  build(n: number): TicketCommand;
}

export interface TicketCommandRequest {
  ticketId: string;
  command: TicketCommand | NumberedCommand;
  /** Who acts, in the strongest role they act in; recorded in every event's metadata. */
  actor: Actor;
  /**
   * The same caller in their weaker roles, tried in order when `actor` may not do the command (a rule
   * of the domain refuses it, or `authorize` does); the first allowed one acts. When none is, the
   * refusal of `actor` is the answer.
   */
  alsoActs?: readonly Actor[];
  /** The version the client last saw: if the stream has moved on, ConcurrencyConflict and nothing appended. */
  expectedVersion?: number | null;
  /** Makes the command idempotent: repeating it appends nothing and returns the first result. */
  commandId?: string | null;
  /** What the API's edge found wrong with the input: refused together with the domain's findings. */
  edgeFindings?: readonly FieldError[];
  /**
   * Values the API could not read as their type: the command holds stand-ins in their places. Refused
   * with every other finding; the domain judges those places as absent, and nothing about them but
   * these findings is reported.
   */
  typeFindings?: readonly FieldError[];
  /** For commands whose id depends on the stream (auto-close: one per proposed solution). Wins over commandId. */
  commandIdFor?: (stream: Pick<FoldedStream, 'lastRevisionOf'>) => string;
  /** For system actions: the policy that fired. */
  policy?: string | null;
  /** Checked on the existing ticket before deciding as `actor`; throws to refuse (a requester's foreign ticket → NotFound). */
  authorize?: (state: TicketState, actor: Actor) => void;
  /** The instant of the decision; the clock's now by default. */
  now?: Date;
}

/** Stands in for a sequence number during the dry run; any positive integer would do. */
export const PLACEHOLDER_NUMBER = 1;

/** Refuses a commandId whose first use was a different command (by their fingerprints). */
export function checkSameCommand(
  recorded: unknown,
  fingerprint: string | null,
  command: TicketCommand | NumberedCommand,
): void {
  if (typeof recorded !== 'string' || recorded === fingerprint) return;
  const message = isCreation(command)
    ? 'was already used to create a different ticket'
    : 'was already used for a different command on this ticket';
  throw new InvalidInput([{ path: 'commandId', message }]);
}

/**
 * A digest of what the command asks and who asks it. What the application makes rather than the client
 * asks — sequence numbers, comment ids — is left out.
 */
export function commandFingerprint(request: TicketCommandRequest): string {
  const built = dryRunCommand(request.command);
  const command = built.kind === 'AddComment' ? { ...built, commentId: undefined } : built;
  const canonical = canonicalJson({ actor: request.actor.id, role: request.actor.role, command });
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 22);
}

/** JSON with object keys sorted and undefined dropped, so equal commands give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The caller's roles (`actor`, then `alsoActs`) that `authorize` lets act on the ticket, in order; the
 * first refusal when it lets none. A new ticket has nothing to authorize against: `actor` creates it.
 */
export function authorizedActors(request: TicketCommandRequest, state: TicketState | null): Actor[] {
  if (state === null || request.authorize === undefined) return [request.actor, ...(request.alsoActs ?? [])];
  const allowed: Actor[] = [];
  let refusal: unknown = undefined;
  for (const actor of [request.actor, ...(request.alsoActs ?? [])]) {
    try {
      request.authorize(state, actor);
      allowed.push(actor);
    } catch (error) {
      refusal ??= error;
    }
  }
  if (allowed.length === 0) throw refusal;
  return allowed;
}

export function isNumbered(command: TicketCommand | NumberedCommand): command is NumberedCommand {
  return !('kind' in command);
}

/** The command itself, or a numbered one with a placeholder number (for dry runs). */
export function dryRunCommand(command: TicketCommand | NumberedCommand): TicketCommand {
  return isNumbered(command) ? command.build(PLACEHOLDER_NUMBER) : command;
}

export function isCreation(command: TicketCommand | NumberedCommand): boolean {
  return dryRunCommand(command).kind === 'CreateTicket';
}

/**
 * Refuses a request whose own fields (`expectedVersion`, `commandId`) are bad, listing with them every
 * bad field the domain finds in the command (a dry run), so the client hears of all of them at once.
 */
export function refuse(
  fields: FieldError[],
  command: TicketCommand | NumberedCommand,
  state: TicketState | null,
  context: DecideContext,
  typeFindings: readonly FieldError[] = [],
): never {
  const own = [...typeFindings, ...fields.filter((field) => !coveredBy(field.path, typeFindings))];
  try {
    decide(withoutStandIns(dryRunCommand(command), typeFindings), state, context);
  } catch (error) {
    if (error instanceof InvalidInput) {
      const found = error.fields.filter((field) => !coveredBy(field.path, typeFindings));
      // The domain's finding on a field says more than the edge's bound on it (`at most 200
      // characters (1001 given)` rather than the edge's generous limit): one per field.
      const domainPaths = new Set(found.map((field) => field.path));
      const kept = own.filter(
        (field) =>
          !domainPaths.has(field.path) || REQUEST_FIELDS.has(field.path) || typeFindings.includes(field),
      );
      throw new InvalidInput([...kept, ...found]);
    }
  }
  throw new InvalidInput(own);
}

/** A finding's place: a refused list item stands for its whole list (`couponNumbers[1]` → `couponNumbers`). */
const placeOf = (finding: FieldError): string => finding.path.split('[')[0];

/** Whether `path` is at or under the place of one of `typeFindings` (see TicketCommandRequest.typeFindings). */
export function coveredBy(path: string, typeFindings: readonly FieldError[]): boolean {
  return typeFindings.some((finding) => {
    const place = placeOf(finding);
    return path === place || path.startsWith(`${place}.`) || path.startsWith(`${place}[`);
  });
}

/** The command with the places holding stand-ins left out, so the domain judges them as absent. */
export function withoutStandIns(command: TicketCommand, typeFindings: readonly FieldError[]): TicketCommand {
  const without = (value: unknown, parts: readonly string[]): unknown => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const [part, ...rest] = parts;
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    if (rest.length === 0) delete copy[part];
    else copy[part] = without(copy[part], rest);
    return copy;
  };
  // The fields of a coupon request's form are named as in the form (`pnr`), which the command holds whole.
  const under = command.kind === 'RequestCouponStatusChange' ? ['form'] : [];
  let result: unknown = command;
  for (const finding of typeFindings) result = without(result, [...under, ...placeOf(finding).split('.')]);
  return result as TicketCommand;
}
