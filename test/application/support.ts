/** What the application tests share: a real embedded event store in a temp dir, a pinned clock, callers. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TicketCommandRunner } from '../../src/application/command-runner';
import type { Clock } from '../../src/application/ports/clock.port';
import type { EventStore, RecordedEvent } from '../../src/application/ports/event-store.port';
import { uuidIds } from '../../src/application/ports/ids.port';
import type { Principal } from '../../src/application/principal';
import type { CreateTicket, TicketPolicy } from '../../src/domain/ticket.commands';
import { DEFAULT_POLICY } from '../../src/domain/ticket.commands';
import type { Actor } from '../../src/domain/ticket.types';
import { EmbeddedEventStore } from '../../src/infrastructure/event-store/embedded/embedded-event-store';

/** A data directory of its own and the store opened on it; `reopen` simulates a restart. */
export class TempStore {
  private constructor(
    readonly dir: string,
    public store: EmbeddedEventStore,
  ) {}

  static async open(): Promise<TempStore> {
    const dir = mkdtempSync(join(tmpdir(), 'ticket-app-'));
    return new TempStore(dir, await EmbeddedEventStore.open(dir, { warn: () => undefined }));
  }

  async reopen(): Promise<EmbeddedEventStore> {
    await this.store.close();
    this.store = await EmbeddedEventStore.open(this.dir, { warn: () => undefined });
    return this.store;
  }

  async dispose(): Promise<void> {
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A clock the test moves by hand. */
export class PinnedClock implements Clock {
  constructor(public current: Date = new Date('2026-09-03T08:00:00.000Z')) {}
  now(): Date {
    return this.current;
  }
  advanceDays(days: number): void {
    this.current = new Date(this.current.getTime() + days * 86_400_000);
  }
}

export const newRunner = (
  store: EventStore,
  clock: Clock = new PinnedClock(),
  policy: TicketPolicy = DEFAULT_POLICY,
): TicketCommandRunner => new TicketCommandRunner(store, clock, uuidIds, policy);

export const REQUESTER: Actor = { id: 'kassir_5LE', name: 'Анна Кассирова', role: 'REQUESTER' };
export const AGENT: Actor = { id: 'agent_1', name: 'Ирина Агентова', role: 'AGENT' };

export const principal = (id: string, roles: Principal['roles'], name: string | null = null): Principal => ({
  id,
  name,
  roles,
  validatorNumber: roles.includes('REQUESTER') ? '995-4731-7' : null,
});

export const REQUESTER_PRINCIPAL = principal('kassir_5LE', ['REQUESTER'], 'Анна Кассирова');
export const OTHER_REQUESTER_PRINCIPAL = principal('kassir_9XZ', ['REQUESTER'], 'Олег Другой');
export const AGENT_PRINCIPAL = principal('agent_1', ['AGENT'], 'Ирина Агентова');
export const SUPERVISOR_PRINCIPAL = principal('sup_1', ['SUPERVISOR', 'AGENT'], 'Светлана Старшая');
export const AUDITOR_PRINCIPAL = principal('aud_1', ['AUDITOR'], 'Аудитор');

export const createTicket = (ticketId: string, overrides: Partial<CreateTicket> = {}): CreateTicket => ({
  kind: 'CreateTicket',
  ticketId,
  number: 1,
  requester: { id: REQUESTER.id, name: REQUESTER.name, validatorNumber: '995-4731-7' },
  module: 'BONUS',
  category: 'MILES',
  type: 'MILES_ACCRUAL',
  subject: 'Не начислены мили',
  description: 'Мили за перелёт SU100 не начислены',
  ...overrides,
});

/** A complete, acceptable coupon request form (UNAVAILABLE_REFUND): the domain tests' one. */
export { couponForm } from '../domain/fixtures';

export async function allEvents(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}
