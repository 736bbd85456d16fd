/**
 * The read side wired as the app wires it, without Nest: the real embedded event store in a temp dir,
 * the real command handlers (data made the way users make it), the projection runner feeding an
 * embedded read store, and the query handlers. A pinned clock the test moves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TicketCommandRunner } from '../../src/application/command-runner';
import { CreateTicketHandler } from '../../src/application/commands/create-ticket.handler';
import {
  AddCommentHandler,
  AssignTicketHandler,
  CloseTicketHandler,
  ProposeSolutionHandler,
  ReopenTicketHandler,
  RequestCouponStatusChangeHandler,
} from '../../src/application/commands/ticket-change.handlers';
import {
  AddCommentCommand,
  AssignTicketCommand,
  CloseTicketCommand,
  CreateTicketCommand,
  ProposeSolutionCommand,
  ReopenTicketCommand,
  RequestCouponStatusChangeCommand,
  type AddCommentInput,
  type AssignTicketInput,
  type CloseTicketInput,
  type CreateTicketInput,
  type RequestCouponStatusChangeInput,
} from '../../src/application/commands/ticket-commands';
import type { Clock } from '../../src/application/ports/clock.port';
import { uuidIds } from '../../src/application/ports/ids.port';
import type { Principal } from '../../src/application/principal';
import { Sequences } from '../../src/application/sequences';
import type { CommandResult } from '../../src/application/views';
import { DEFAULT_POLICY } from '../../src/domain/ticket.commands';
import { EmbeddedEventStore } from '../../src/infrastructure/event-store/embedded/embedded-event-store';
import { EmbeddedReadStore } from '../../src/infrastructure/read-store/embedded/embedded-read-store';
import { principal } from '../application/support';
import { ProjectionRunner } from '../../src/projections/projection-runner';
import type { Projector } from '../../src/projections/projector';
import { READ_MODEL_PROJECTORS } from '../../src/projections/read-model-projectors';

export class MovableClock implements Clock {
  constructor(public current: Date = new Date('2026-11-20T08:00:00.000Z')) {}
  now(): Date {
    return this.current;
  }
  advanceHours(hours: number): void {
    this.current = new Date(this.current.getTime() + hours * 3_600_000);
  }
}

export const ANNA = principal('kassir_5LE', ['REQUESTER'], 'Анна Кассирова');
export const OLEG = principal('kassir_9XZ', ['REQUESTER'], 'Олег Другой');
export const AGENT = principal('agent_1', ['AGENT'], 'Ирина Агентова');
export const SUPERVISOR = principal('sup_1', ['SUPERVISOR'], 'Светлана Старшая');
export const AUDITOR = principal('aud_1', ['AUDITOR'], 'Аудитор');
export const REPORTER = principal('rep_1', ['REPORTER'], 'Отчётов');
export const NOBODY = principal('x', [], null);

export const ticketInput = (overrides: Partial<CreateTicketInput> = {}): CreateTicketInput => ({
  module: 'BONUS',
  category: 'MILES',
  type: 'MILES_ACCRUAL',
  subject: 'Не начислены мили',
  description: 'Мили за перелёт SU100 не начислены',
  ...overrides,
});

export const couponInput = (ticketId: string, overrides: Partial<RequestCouponStatusChangeInput> = {}) => ({
  ticketId,
  pnr: 'A1B2C3',
  eTicketNumber: '4212345678901',
  couponNumbers: [1, 2],
  passengerName: 'IVANOV IVAN',
  scenario: 'UNAVAILABLE_REFUND' as const,
  fromStatus: 'UNAVAILABLE_EXCHANGE_ONLY' as const,
  toStatus: 'OPEN_FOR_USE' as const,
  description: 'После переоформления купоны остались в статусе U, возврат невозможен',
  agent: { lastName: 'Кассирова', firstName: 'Анна', middleName: 'Петровна', referenceNumber: 'REF-77' },
  agency: {
    name: 'ООО Авиакасса',
    validatorNumber: '995-4731-7',
    address: 'Новосибирск, ул. Ленина, 1',
    contacts: '+7 383 000-00-00',
  },
  ...overrides,
});

export class ReadSide {
  readStore = new EmbeddedReadStore();
  projection: ProjectionRunner;
  private runner: TicketCommandRunner;
  private sequences: Sequences;

  private constructor(
    readonly dir: string,
    public events: EmbeddedEventStore,
    readonly clock: MovableClock,
    private readonly projectors: readonly Projector[],
  ) {
    this.runner = new TicketCommandRunner(events, clock, uuidIds, DEFAULT_POLICY);
    this.sequences = new Sequences(events);
    this.projection = this.newRunner();
  }

  /** Opens a fresh data dir; the projection starts unless `start` is false. */
  static async open(
    options: { projectors?: readonly Projector[]; start?: boolean; dir?: string } = {},
  ): Promise<ReadSide> {
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'read-side-'));
    const events = await EmbeddedEventStore.open(dir, { warn: () => undefined });
    const side = new ReadSide(dir, events, new MovableClock(), options.projectors ?? READ_MODEL_PROJECTORS);
    if (options.start !== false) await side.projection.start();
    return side;
  }

  newRunner(store = this.readStore): ProjectionRunner {
    return new ProjectionRunner(this.events, store, this.projectors, { retryDelayMs: 1, attempts: 3 });
  }

  /** Waits until the read models include the command's events. */
  async settled(result: CommandResult): Promise<CommandResult> {
    if (!(await this.projection.waitForPosition(result.position, 10_000))) {
      throw new Error(
        `read models did not reach ${result.position}: ${JSON.stringify(this.projection.health())}`,
      );
    }
    return result;
  }

  create(by: Principal, input: Partial<CreateTicketInput> = {}): Promise<CommandResult> {
    const handler = new CreateTicketHandler(this.runner, this.sequences, uuidIds);
    return handler.execute(new CreateTicketCommand(by, ticketInput(input))).then((r) => this.settled(r));
  }

  assign(by: Principal, input: AssignTicketInput): Promise<CommandResult> {
    return new AssignTicketHandler(this.runner)
      .execute(new AssignTicketCommand(by, input))
      .then((r) => this.settled(r));
  }

  comment(by: Principal, input: AddCommentInput): Promise<CommandResult> {
    return new AddCommentHandler(this.runner, uuidIds)
      .execute(new AddCommentCommand(by, input))
      .then((r) => this.settled(r));
  }

  propose(by: Principal, ticketId: string, solution = 'Мили начислены вручную'): Promise<CommandResult> {
    return new ProposeSolutionHandler(this.runner)
      .execute(new ProposeSolutionCommand(by, { ticketId, solution }))
      .then((r) => this.settled(r));
  }

  reopen(by: Principal, ticketId: string, reason = 'Не помогло'): Promise<CommandResult> {
    return new ReopenTicketHandler(this.runner)
      .execute(new ReopenTicketCommand(by, { ticketId, reason }))
      .then((r) => this.settled(r));
  }

  closeTicket(by: Principal, input: CloseTicketInput): Promise<CommandResult> {
    return new CloseTicketHandler(this.runner)
      .execute(new CloseTicketCommand(by, input))
      .then((r) => this.settled(r));
  }

  requestCoupon(by: Principal, input: RequestCouponStatusChangeInput): Promise<CommandResult> {
    return new RequestCouponStatusChangeHandler(this.runner, this.sequences)
      .execute(new RequestCouponStatusChangeCommand(by, input))
      .then((r) => this.settled(r));
  }

  /** Restart: the projection and the event store close; a new read store is fed from the reopened log. */
  async restart(): Promise<EmbeddedReadStore> {
    await this.projection.stop();
    await this.events.close();
    this.events = await EmbeddedEventStore.open(this.dir, { warn: () => undefined });
    this.runner = new TicketCommandRunner(this.events, this.clock, uuidIds, DEFAULT_POLICY);
    this.sequences = new Sequences(this.events);
    this.readStore = new EmbeddedReadStore();
    this.projection = this.newRunner();
    await this.projection.start();
    return this.readStore;
  }

  async close(): Promise<void> {
    await this.projection.stop();
    await this.readStore.close();
    await this.events.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
