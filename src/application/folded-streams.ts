/**
 * Tickets as the command side last folded them, so a command reads only the events appended since
 * (architecture.md "Application": read → fold → decide → append). Without it every command read and
 * folded its ticket's whole stream: ~7–11 µs an event here, 1.4 ms a command on a ticket of 100 events
 * and 11.7 ms on one of 1,000 (`npm run bench -- commands`).
 *
 * An entry is used only while it is a prefix of its stream: each command reads the stream from the
 * entry's last event on and goes on only if that event is still there (same revision, same id), so
 * events another process appended in between are folded on before deciding, and a stream deleted,
 * truncated or restored from an older backup (even one that has since grown past the entry's revision)
 * is folded afresh. An append that meets a conflict drops the entry too. A state handed out in a
 * command's result never changes under its holder: events are folded on a copy (`foldEntriesOnto`).
 *
 * The cache is bounded by tickets and by the text its states hold (comments, descriptions, coupon
 * requests, the actors' names): least recently used entries go first, and a ticket heavier than half
 * the text bound is not kept (it is folded from its stream each time, as before).
 */
import { foldEntries, foldEntriesOnto, type TicketState } from '../domain/ticket';
import type { EventData, RecordedEvent } from './ports/event-store.port';
import { metadataOf, toTicketEntry } from './recorded-events';

/** The event a fold ends with; its id tells it from another event stored at that revision. */
export interface FoldedEvent {
  readonly revision: number;
  readonly position: bigint;
  readonly id: string;
}

/** What a command needs of its ticket's stream besides the folded state. */
export interface FoldedStream {
  readonly state: TicketState | null;
  /** The last event folded in; null when the stream has none. */
  readonly last: FoldedEvent | null;
  /**
   * commandIds found in the events' metadata: a repeat is answered from the stream itself. Shared by
   * an entry and the ones folded on from it (see `foldOn`).
   */
  readonly commandIds: Set<string>;
  /** The revision of the latest event of each type (auto-close keys its commandId on a proposal's). */
  readonly lastRevisionOf: Map<string, number>;
  /** Characters of text held, roughly (the bound's measure). */
  readonly weight: number;
}

export interface FoldedStreamsOptions {
  maxTickets: number;
  /** Characters of text in all kept states together (UTF-16 code units: up to twice as many bytes). */
  maxWeight: number;
}

export const DEFAULT_FOLDED_STREAMS: FoldedStreamsOptions = { maxTickets: 10_000, maxWeight: 32_000_000 };

/** What an event costs besides its texts (ids, dates, the object's own fields). */
const EVENT_OVERHEAD = 200;

/** A stream with no events yet (a ticket about to be created). */
export function emptyStream(): FoldedStream {
  return { state: null, last: null, commandIds: new Set(), lastRevisionOf: new Map(), weight: 0 };
}

/**
 * `folded` with `events` (the stream's next ones, in order) folded in, as a new FoldedStream; the state
 * `folded` holds is left as it was. The commandIds and latest revisions are grown in place and shared
 * with `folded`: they only ever gain facts about events that are in the stream, so an entry holding
 * more of them than its `last` covers is still right (copying them made each command linear in its
 * ticket's events again).
 */
export function foldOn(folded: FoldedStream, events: readonly RecordedEvent[]): FoldedStream {
  if (events.length === 0) return folded;
  let weight = folded.weight;
  for (const event of events) {
    const commandId = metadataOf(event)?.commandId;
    const id = typeof commandId === 'string' ? commandId : null;
    weight += note(folded, event.type, event.revision, [event.data, event.metadata], id);
  }
  const entries = events.map(toTicketEntry);
  // A fold from the first event owns its lists and appends to them in place.
  const state = folded.state === null ? foldEntries(entries) : foldEntriesOnto(folded.state, entries);
  const last = events[events.length - 1];
  return {
    ...folded,
    state,
    last: { revision: last.revision, position: last.position, id: last.id },
    weight,
  };
}

/** `folded` after a command of this process appended `events` (the last one is `appended`). */
export function afterAppend(
  folded: FoldedStream,
  state: TicketState,
  events: readonly EventData[],
  appended: FoldedEvent,
  commandId: string | null,
): FoldedStream {
  const first = appended.revision - events.length + 1;
  let weight = folded.weight;
  events.forEach((event, i) => {
    weight += note(folded, event.type, first + i, [event.data, event.metadata], commandId);
  });
  return { ...folded, state, last: appended, weight };
}

/**
 * Records an event's commandId and revision in `folded`'s shared sets; returns the event's weight: the
 * texts of its data and metadata (the actor's name is kept with each comment and coupon request).
 */
function note(
  folded: FoldedStream,
  type: string,
  revision: number,
  texts: unknown,
  commandId: string | null,
): number {
  if (commandId !== null) folded.commandIds.add(commandId);
  folded.lastRevisionOf.set(type, revision);
  return EVENT_OVERHEAD + textLength(texts);
}

/** The characters of every text in a value (a stored event's data), nested ones included. */
function textLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (typeof value !== 'object' || value === null) return 0;
  let sum = 0;
  for (const item of Array.isArray(value) ? value : Object.values(value)) sum += textLength(item);
  return sum;
}

/** The bounded, least-recently-used store of FoldedStreams, by stream name. */
export class FoldedStreams {
  private readonly entries = new Map<string, FoldedStream>();
  private weight = 0;

  constructor(private readonly options: FoldedStreamsOptions = DEFAULT_FOLDED_STREAMS) {}

  get(streamId: string): FoldedStream | undefined {
    const entry = this.entries.get(streamId);
    if (entry !== undefined) {
      // Map keeps insertion order: moving the entry to the end makes the first one the least recent.
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  set(streamId: string, entry: FoldedStream): void {
    this.delete(streamId);
    if (entry.state === null || entry.weight > this.options.maxWeight / 2) return;
    this.entries.set(streamId, entry);
    this.weight += entry.weight;
    for (const [oldest, held] of this.entries) {
      if (this.entries.size <= this.options.maxTickets && this.weight <= this.options.maxWeight) break;
      this.entries.delete(oldest);
      this.weight -= held.weight;
    }
  }

  delete(streamId: string): void {
    const held = this.entries.get(streamId);
    if (held === undefined) return;
    this.entries.delete(streamId);
    this.weight -= held.weight;
  }

  /** Tickets held and their weight (tests, diagnostics). */
  get size(): { tickets: number; weight: number } {
    return { tickets: this.entries.size, weight: this.weight };
  }
}
