/**
 * A projector is data plus functions (architecture.md "Projections"): which events it handles, which
 * collections it writes (with their indexes), and how one event changes its documents.
 */
import type { RecordedEvent } from '../application/ports/event-store.port';
import type { IndexSpec, ReadDocument, ReplaceGuard } from '../application/ports/read-store.port';
import type { EvolveMeta } from '../domain/ticket';
import type { TicketEvent } from '../domain/ticket.events';
import { TICKET_STREAM_PREFIX } from '../domain/ticket.events';

/** What a projector may do with the read store while applying one event. */
export interface ProjectionStore {
  /** The current document (including writes of earlier events in the same batch). */
  get(collection: string, id: string): Promise<ReadDocument | null>;
  /** Guarded replace (see ReadStore.replace): a stale or duplicated write is a no-op. */
  replace(collection: string, doc: ReadDocument, guard: ReplaceGuard): Promise<boolean>;
}

/**
 * The same, synchronously, for the fast path: every document `applyNow` reads must be at hand (a
 * rebuild's writer holds all it wrote; a catch-up writer loads what `reads` names first).
 */
export interface LoadedProjectionStore {
  get(collection: string, id: string): ReadDocument | null;
  replace(collection: string, doc: ReadDocument, guard: ReplaceGuard): boolean;
}

/** A document a projector reads while applying an event. */
export interface DocumentRef {
  collection: string;
  id: string;
}

export interface Projector {
  readonly name: string;
  /** Event types it applies; others pass it by. */
  readonly handles: readonly string[];
  /** Collections it writes, each with its indexes. */
  readonly collections: Readonly<Record<string, readonly IndexSpec[]>>;
  /** Applies one event; must be idempotent (applying it again changes nothing). */
  apply(event: RecordedEvent, store: ProjectionStore): Promise<void>;
  /**
   * Optional plain-code form of `apply` (same effect), used for catch-up and rebuilds, where one await
   * per event and projector costs more than computing the document.
   */
  applyNow?(event: RecordedEvent, store: LoadedProjectionStore): void;
  /** The documents `applyNow` reads for this event (none when absent). */
  reads?(event: RecordedEvent): readonly DocumentRef[];
}

/** Only ticket streams feed the read models. */
export const READ_MODEL_FILTER = { streamPrefixes: [TICKET_STREAM_PREFIX] };

/** The ticket's id, from its stream name. */
export const ticketIdOf = (event: RecordedEvent): string => event.streamId.slice(TICKET_STREAM_PREFIX.length);

/** The stored event as the domain's typed event. */
export const asTicketEvent = (event: RecordedEvent): TicketEvent =>
  ({ type: event.type, data: event.data }) as TicketEvent;

/** The actor's name recorded in the event's metadata (domain.md §7). */
export function metaOf(event: RecordedEvent): EvolveMeta {
  const metadata = event.metadata as { actor?: { name?: string | null } } | null | undefined;
  return { actorName: metadata?.actor?.name ?? null };
}

/** An event that arrived before the one it follows: applying it would corrupt the read model. */
export class OutOfOrderEvent extends Error {
  /** No document at all for an event that follows others: the read store lost it (or never had it). */
  readonly documentMissing: boolean;

  constructor(event: RecordedEvent, documentRevision: number | null) {
    super(
      `${event.type} ${event.streamId}@${event.revision} arrived while the read model is at revision ` +
        `${documentRevision ?? 'none'}`,
    );
    this.name = 'OutOfOrderEvent';
    this.documentMissing = documentRevision === null;
  }
}
