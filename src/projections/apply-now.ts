/**
 * The plain-code road for catch-up and rebuilds: every projector that handles an event applies it
 * synchronously against the writer's documents. One await per event and projector (and the promise
 * each makes) cost more than computing the document, so this road takes none.
 */
import type { RecordedEvent } from '../application/ports/event-store.port';
import type { BatchWriter } from './batch-writer';
import type { DocumentRef, Projector } from './projector';

interface Route {
  projectors: readonly Projector[];
  /** Every one of them has `applyNow`. */
  direct: boolean;
}

export class ProjectorRoutes {
  private readonly routes = new Map<string, Route>();

  constructor(private readonly projectors: readonly Projector[]) {}

  private route(type: string): Route {
    let route = this.routes.get(type);
    if (route === undefined) {
      const projectors = this.projectors.filter((projector) => projector.handles.includes(type));
      route = { projectors, direct: projectors.every((projector) => projector.applyNow !== undefined) };
      this.routes.set(type, route);
    }
    return route;
  }

  /** The documents the event's projectors read, or null when one of them has no plain-code form. */
  reads(event: RecordedEvent): DocumentRef[] | null {
    const route = this.route(event.type);
    if (!route.direct) return null;
    const refs: DocumentRef[] = [];
    for (const projector of route.projectors) if (projector.reads) refs.push(...projector.reads(event));
    return refs;
  }

  /**
   * Applies the event through `applyNow` when every projector has it and the writer holds what they
   * read. False when it could not, or a projector threw: the caller then takes the async road (with
   * its retries), where what was applied already is a no-op (revision guard).
   */
  applyNow(event: RecordedEvent, writer: BatchWriter): boolean {
    const route = this.route(event.type);
    if (!route.direct) return false;
    try {
      for (const projector of route.projectors)
        (projector.applyNow as NonNullable<Projector['applyNow']>)(event, writer.loaded);
      return true;
    } catch {
      return false;
    }
  }
}
