/**
 * The correspondence read model: one document per comment, inserted once (a duplicate is a no-op).
 * Kept apart from the ticket so a long conversation does not make every ticket write heavier.
 */
import type { RecordedEvent } from '../application/ports/event-store.port';
import {
  READ_MODEL_INDEXES,
  TICKET_COMMENTS,
  type CommentDocument,
} from '../application/queries/read-models';
import type { CommentAddedData } from '../domain/ticket.events';
import {
  metaOf,
  ticketIdOf,
  type LoadedProjectionStore,
  type ProjectionStore,
  type Projector,
} from './projector';

export const correspondenceProjector: Projector = {
  name: 'correspondence',
  handles: ['CommentAdded'],
  collections: { [TICKET_COMMENTS]: READ_MODEL_INDEXES[TICKET_COMMENTS] },

  async apply(event: RecordedEvent, store: ProjectionStore): Promise<void> {
    await store.replace(TICKET_COMMENTS, commentDocument(event), { expectedRevision: -1 });
  },

  applyNow(event: RecordedEvent, store: LoadedProjectionStore): void {
    store.replace(TICKET_COMMENTS, commentDocument(event), { expectedRevision: -1 });
  },
};

function commentDocument(event: RecordedEvent): CommentDocument {
  const data = event.data as CommentAddedData;
  const ticketId = ticketIdOf(event);
  return {
    _id: `${ticketId}:${event.revision}`,
    revision: event.revision,
    ticketId,
    id: data.commentId,
    author: { id: data.actor.id, role: data.actor.role, name: metaOf(event).actorName ?? null },
    body: data.body,
    internal: data.internal,
    requestsReply: data.requestsReply,
    createdAt: data.occurredAt,
  };
}
