import { Inject, Injectable } from '@nestjs/common';
import type { DecideContext, TicketCommand, TicketPolicy } from '../domain/ticket.commands';
import { evolve, foldEntries, type TicketState } from '../domain/ticket';
import { decide } from '../domain/ticket.decide';
import { ticketStreamName, type TicketEvent, type TicketEventMetadata } from '../domain/ticket.events';
import type { Actor } from '../domain/ticket.types';
import { InvalidInput } from '../domain/domain.errors';
import { ConcurrencyConflict, NotFound } from './errors';
import { CLOCK, type Clock } from './ports/clock.port';
import {
  EVENT_STORE,
  WrongExpectedVersion,
  type EventData,
  type EventStore,
  type RecordedEvent,
} from './ports/event-store.port';
import { IDS, type Ids } from './ports/ids.port';
import { TICKET_POLICY } from './ports/ticket-policy.port';
import { CATALOG } from './ports/catalog.port';
import { DEFAULT_CATALOG, type Catalog } from '../domain/catalog';
import {
  authorizedActors,
  checkSameCommand,
  commandFingerprint,
  coveredBy,
  decisionTime,
  dryRunCommand,
  isCreation,
  isNumbered,
  PLACEHOLDER_NUMBER,
  refuse,
  requestFieldErrors,
  type NumberedCommand,
  type TicketCommandRequest,
  withoutStandIns,
} from './command-request';
import { actingContext, refusalContext } from './acting-role';
import { afterAppend, emptyStream, foldOn, FoldedStreams, type FoldedStream } from './folded-streams';
import { KeyedQueue } from './keyed-queue';
import { metadataOf, toTicketEntry, toTicketEvent } from './recorded-events';
import { backoffDelay, sleep } from './retry';
import { mayChangeNothing, UnchangedCommands } from './unchanged-commands';
import type { CommandResult } from './views';

export type { NumberedCommand, TicketCommandRequest } from './command-request';

/** What a command returns (its result carries the ticket as it stands after the command). */
export type TicketCommandOutcome = CommandResult;

export interface CommandRunnerOptions {
  /** Tries in all when a writer in another process appends to the same ticket in between. */
  maxAttempts: number;
}

export const DEFAULT_RUNNER_OPTIONS: CommandRunnerOptions = { maxAttempts: 8 };

/**
 * The one road every ticket command takes: read the stream → fold → decide → append with the
 * expected revision (architecture.md "Application"). The fold is kept between commands
 * (FoldedStreams), so a command reads and folds only the events appended since the last one.
 *
 * - Conflicts: commands on one ticket in this process are queued (KeyedQueue), so they never race each
 *   other. A writer in another process can still append in between: then the runner re-reads and
 *   decides again, a bounded number of times with backoff — unless the caller pinned
 *   `expectedVersion`, which fails at once as ConcurrencyConflict and appends nothing.
 * - Idempotency: if the stream already holds events of the command's `commandId`, nothing is appended
 *   and the first result is returned. Two duplicates racing in different processes are stored once:
 *   the second append meets the first as a conflict (pinned version or not), re-reads, finds the
 *   first one's events by their commandId and answers with them. Event ids are fresh, so the store
 *   never takes another run's append as a repeat.
 * - Sequence numbers: when the allocator's reserved block has a number at hand, a NumberedCommand is
 *   decided once with it, and a refused command gives it back. Otherwise it is first decided with a
 *   placeholder (the dry run); only if that yields events is a real number allocated, then the command
 *   is decided again and appended. A refused command thus burns no number; the number is kept across
 *   conflict retries, and is lost (a gap, which domain.md allows) only if a retry then refuses the
 *   command.
 */
@Injectable()
export class TicketCommandRunner {
  private readonly queue = new KeyedQueue();
  private options: CommandRunnerOptions = DEFAULT_RUNNER_OPTIONS;
  private readonly unchangedCommands: UnchangedCommands;
  private readonly folded = new FoldedStreams();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(IDS) private readonly ids: Ids,
    @Inject(TICKET_POLICY) private readonly policy: TicketPolicy,
    @Inject(CATALOG) private readonly catalog: Catalog = DEFAULT_CATALOG,
  ) {
    this.unchangedCommands = new UnchangedCommands(store, ids);
  }

  /** Overrides the retry bound (tests, benchmarks). */
  configure(options: Partial<CommandRunnerOptions>): this {
    this.options = { ...this.options, ...options };
    return this;
  }

  run(request: TicketCommandRequest): Promise<TicketCommandOutcome> {
    return this.queue.run(ticketStreamName(request.ticketId), () => this.runQueued(request));
  }

  private async runQueued(request: TicketCommandRequest): Promise<TicketCommandOutcome> {
    const { ticketId, expectedVersion = null } = request;
    const streamId = ticketStreamName(ticketId);
    const policyName = request.policy ?? null;
    let allocated: number | null = null;
    /** When the command that took `allocated` was decided: a retry keeps its number and its time. */
    let allocatedAt: Date | null = null;
    const typeFindings = request.typeFindings ?? [];
    const ownErrors = [...requestFieldErrors(request), ...(request.edgeFindings ?? [])];
    const requestErrors =
      typeFindings.length === 0
        ? ownErrors
        : [...typeFindings, ...ownErrors.filter((field) => !coveredBy(field.path, typeFindings))];

    for (let attempt = 1; ; attempt++) {
      const folded = await this.foldedStream(streamId);
      const { state, last } = folded;
      const version = last?.revision ?? null;
      // A form with values the API could not read as their type is refused as such, ticket or not (as
      // GraphQL refused it before anything ran); a missing ticket and another requester's answer alike.
      let allowed: Actor[];
      try {
        if (state === null && !isCreation(request.command))
          throw new NotFound(`Ticket ${ticketId} not found`);
        allowed = authorizedActors(request, state);
      } catch (error) {
        if (typeFindings.length > 0 && error instanceof NotFound) throw new InvalidInput(requestErrors);
        throw error;
      }
      if (requestErrors.length > 0) {
        const now = decisionTime(request.now ?? this.clock.now(), state);
        // Judged without the stand-ins in the places GraphQL could not read, also when choosing the
        // role the caller acts in (a stand-in resolution would pick another one's findings).
        const judged = withoutStandIns(dryRunCommand(request.command), typeFindings);
        refuse(
          requestErrors,
          judged,
          state,
          refusalContext(allowed, judged, state, (actor) => this.contextFor(actor, now)),
          typeFindings,
        );
      }

      const commandId = request.commandIdFor ? request.commandIdFor(folded) : (request.commandId ?? null);
      const fingerprint = commandId === null ? null : commandFingerprint(request);
      if (commandId !== null) {
        const earlier = await this.earlierOutcome(ticketId, folded, commandId, fingerprint, request.command);
        if (earlier) return earlier;
      }
      if (expectedVersion !== null && expectedVersion !== version) {
        throw new ConcurrencyConflict(streamId, expectedVersion, version);
      }

      // The decision's time is read after every wait above and right before a number is taken, so a
      // command taking a later number is never dated earlier (a coupon request with a commandId waited
      // for its earlier-run check while one without took the next number at a later reading).
      const now = decisionTime(allocatedAt ?? request.now ?? this.clock.now(), state);
      const context = actingContext(allowed, request.command, state, (actor) => this.contextFor(actor, now));
      const { actor } = context;
      let events: TicketEvent[];
      if (!isNumbered(request.command)) {
        events = decide(request.command, state, context);
      } else if (allocated !== null) {
        events = decide(request.command.build(allocated), state, context);
      } else {
        const decided = await this.decideNumbered(request.command, state, context);
        if (decided === null) return unchanged(ticketId, state, last, commandId);
        allocated = decided.number;
        allocatedAt = now;
        events = decided.events;
      }
      if (events.length === 0) {
        if (commandId !== null && last !== null) {
          await this.unchangedCommands.note(ticketId, { commandId, fingerprint, version: last.revision });
        }
        return unchanged(ticketId, state, last, commandId);
      }

      const metadata: TicketEventMetadata = {
        actor,
        commandId,
        ...(fingerprint === null ? {} : { commandFingerprint: fingerprint }),
        policy: policyName,
      };
      // Fresh event ids, also with a commandId: repeats are found by the commandId in the events'
      // metadata. Two processes running the same command at once both append at the revision they read,
      // so the second append is a conflict, and the retry below finds the first one's events and answers
      // with them. (Ids derived from the commandId made the store take the second append as a repeat and
      // store nothing, while the runner answered with data of its own that was never stored.)
      const toStore: EventData[] = events.map((event) => ({
        id: this.ids.newId(),
        type: event.type,
        data: event.data,
        metadata,
      }));
      try {
        const appended = await this.store.appendToStream(streamId, toStore, version ?? 'no_stream');
        const after = events.reduce<TicketState | null>(
          (s, e) => evolve(s, e, { actorName: actor.name }),
          state,
        ) as TicketState;
        const revision = appended.nextExpectedRevision;
        // A ticket just created is not kept: its next command reads its one event either way.
        if (folded.last !== null) {
          const appendedLast = { revision, position: appended.position, id: toStore[toStore.length - 1].id };
          this.folded.set(streamId, afterAppend(folded, after, toStore, appendedLast, commandId));
        }
        return outcome(ticketId, after, revision, appended.position, commandId, events);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersion)) throw error;
        const actual = error.actual === 'no_stream' ? null : error.actual;
        // The stream is not where this process saw it. Usually another writer appended: what is kept
        // stays, and the retry reads only their events (folding the whole stream afresh made each retry
        // slower than the other writer's next append on a long, busy ticket, so an instance lost every
        // try). A stream that is shorter or gone (restored from an older backup, deleted) is dropped;
        // one restored and grown again is caught by the next read's check of the kept last event.
        if (actual === null || version === null || actual <= version) this.folded.delete(streamId);
        // With a commandId, the write that got in first may be this very command (another process, a
        // client's retry): read again and answer with it. Otherwise a pinned version is a conflict.
        if (expectedVersion !== null && commandId === null) {
          throw new ConcurrencyConflict(streamId, expectedVersion, actual);
        }
        if (attempt >= this.options.maxAttempts)
          throw new ConcurrencyConflict(streamId, expectedVersion, actual);
        await sleep(backoffDelay(attempt));
      }
    }
  }

  /**
   * The ticket as its stream stands: read from the last event this process folded, and folded on if
   * that event is still there; otherwise (nothing kept, the stream deleted, truncated or restored from
   * an older backup, or events that do not fold on it) read and folded whole.
   */
  private async foldedStream(streamId: string): Promise<FoldedStream> {
    const held = this.folded.get(streamId);
    if (held?.last) {
      const { revision, id } = held.last;
      const read = await this.store.readStream(streamId, { fromRevision: revision });
      if (read[0]?.revision === revision && read[0].id === id) {
        try {
          const folded = foldOn(held, read.slice(1));
          if (folded !== held) this.folded.set(streamId, folded);
          return folded;
        } catch {
          // Folded whole below: an error that is the stream's own comes again there.
        }
      }
      this.folded.delete(streamId);
    }
    const folded = foldOn(emptyStream(), await this.store.readStream(streamId));
    this.folded.set(streamId, folded);
    return folded;
  }

  private contextFor(actor: Actor, now: Date): DecideContext {
    return { now, actor, policy: this.policy, catalog: this.catalog };
  }

  /**
   * Decides a numbered command and takes its number; null when it changes nothing. With a number of the
   * reserved block at hand, it is decided once with that number (given back if the command is refused);
   * otherwise it is first decided with a placeholder, so a refused command reserves nothing.
   */
  private async decideNumbered(
    command: NumberedCommand,
    state: TicketState | null,
    context: DecideContext,
  ): Promise<{ number: number; events: TicketEvent[] } | null> {
    const inHand = command.sequence.take();
    if (inHand !== null) {
      let events: TicketEvent[];
      try {
        events = decide(command.build(inHand), state, context);
      } catch (error) {
        command.sequence.giveBack(inHand);
        throw error;
      }
      if (events.length === 0) {
        command.sequence.giveBack(inHand);
        return null;
      }
      return { number: inHand, events };
    }
    const dryRun = decide(command.build(PLACEHOLDER_NUMBER), state, context);
    if (dryRun.length === 0) return null;
    const number = await command.sequence.next();
    return { number, events: decide(command.build(number), state, context) };
  }

  /**
   * The result the command had the first time, if it ran before: its events are in the stream, or it
   * changed nothing and was noted so (UnchangedCommands). The same commandId with a different command
   * (or actor) is refused: answering it with the first command's result would tell the client its
   * change was made when it was not.
   */
  private async earlierOutcome(
    ticketId: string,
    folded: FoldedStream,
    commandId: string,
    fingerprint: string | null,
    command: TicketCommand | NumberedCommand,
  ): Promise<TicketCommandOutcome | null> {
    if (folded.last === null) return null;
    if (folded.commandIds.has(commandId)) {
      // A repeat (rare): answered from the whole stream, as the first run left the ticket.
      const stream = await this.store.readStream(ticketStreamName(ticketId));
      const own = stream.filter((e) => metadataOf(e)?.commandId === commandId);
      const lastOwn = own.at(-1);
      if (lastOwn !== undefined) {
        checkSameCommand(metadataOf(lastOwn)?.commandFingerprint, fingerprint, command);
        return repeatedOutcome(ticketId, stream, lastOwn.revision, commandId, own.map(toTicketEvent));
      }
    }
    if (!mayChangeNothing(dryRunCommand(command).kind)) return null;
    const noted = await this.unchangedCommands.find(ticketId, commandId);
    if (noted === null) return null;
    checkSameCommand(noted.fingerprint, fingerprint, command);
    const stream = await this.store.readStream(ticketStreamName(ticketId), { maxCount: noted.version + 1 });
    return repeatedOutcome(ticketId, stream, noted.version, commandId, []);
  }
}

/** A repeated command's answer: the ticket as the first run left it (at `version`), marked repeated. */
function repeatedOutcome(
  ticketId: string,
  stream: readonly RecordedEvent[],
  version: number,
  commandId: string,
  events: readonly TicketEvent[],
): TicketCommandOutcome {
  const upTo = stream.filter((e) => e.revision <= version);
  const state = foldEntries(upTo.map(toTicketEntry)) as TicketState;
  const result = outcome(ticketId, state, version, upTo[upTo.length - 1].position, commandId, events);
  result.repeated = true;
  return result;
}

function outcome(
  ticketId: string,
  state: TicketState,
  version: number,
  position: bigint,
  commandId: string | null,
  events: readonly TicketEvent[],
): TicketCommandOutcome {
  const result: TicketCommandOutcome = { ticketId, version, position, commandId, state };
  for (const event of events) {
    if (event.type === 'CouponStatusChangeRequested')
      result.registrationNumber = event.data.registrationNumber;
  }
  return result;
}

/** A command that changes nothing (e.g. assigning the same person again): the ticket as it is. */
function unchanged(
  ticketId: string,
  state: TicketState | null,
  last: FoldedStream['last'],
  commandId: string | null,
): TicketCommandOutcome {
  if (state === null || last === null) throw new NotFound(`Ticket ${ticketId} not found`);
  return { ticketId, version: last.revision, position: last.position, commandId, state };
}
