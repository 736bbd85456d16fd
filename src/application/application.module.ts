import {
  Inject,
  Module,
  type DynamicModule,
  type ModuleMetadata,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AutoClosePolicy } from './auto-close';
import { TicketCommandRunner } from './command-runner';
import { AutoCloseTicketHandler } from './commands/auto-close-ticket.handler';
import { CreateTicketHandler } from './commands/create-ticket.handler';
import {
  AddCommentHandler,
  AssignTicketHandler,
  CloseTicketHandler,
  ProposeSolutionHandler,
  ReopenTicketHandler,
  RequestCouponStatusChangeHandler,
} from './commands/ticket-change.handlers';
import { Sequences } from './sequences';

/** Every command handler of the ticket. */
export const TICKET_COMMAND_HANDLERS = [
  CreateTicketHandler,
  AssignTicketHandler,
  AddCommentHandler,
  ProposeSolutionHandler,
  ReopenTicketHandler,
  CloseTicketHandler,
  RequestCouponStatusChangeHandler,
  AutoCloseTicketHandler,
];

/** The services other modules use: the runner (query side: none), the sequences and the auto-close policy. */
export const APPLICATION_SERVICES = [TicketCommandRunner, Sequences, AutoClosePolicy];

const APPLICATION_OPTIONS = Symbol('ApplicationModuleOptions');

export interface ApplicationModuleOptions {
  /**
   * Modules exporting the ports this module needs: EVENT_STORE, CLOCK, IDS, TICKET_POLICY, CATALOG
   * and AUTO_CLOSE_CANDIDATES. Not needed for ports a global module provides.
   */
  imports?: ModuleMetadata['imports'];
  /** Run the auto-close policy every this many milliseconds once the app has started; 0 or absent: never. */
  autoCloseIntervalMs?: number;
}

/**
 * The command side: `@nestjs/cqrs` handlers, the command runner, sequences and the auto-close policy.
 * A dynamic module, because the ports come from the infrastructure chosen at start (embedded or
 * EventStoreDB, …): `ApplicationModule.register({ imports: [StoresModule], autoCloseIntervalMs })`.
 * It exports CqrsModule (the static one, so the whole app shares one CommandBus): import
 * `CqrsModule`, not `CqrsModule.forRoot()`, elsewhere.
 */
@Module({})
export class ApplicationModule implements OnApplicationBootstrap {
  constructor(
    @Inject(APPLICATION_OPTIONS) private readonly options: ApplicationModuleOptions,
    private readonly autoClose: AutoClosePolicy,
  ) {}

  static register(options: ApplicationModuleOptions = {}): DynamicModule {
    return {
      module: ApplicationModule,
      imports: [CqrsModule, ...(options.imports ?? [])],
      providers: [
        { provide: APPLICATION_OPTIONS, useValue: options },
        ...APPLICATION_SERVICES,
        ...TICKET_COMMAND_HANDLERS,
      ],
      exports: [CqrsModule, ...APPLICATION_SERVICES],
    };
  }

  onApplicationBootstrap(): void {
    const interval = this.options.autoCloseIntervalMs ?? 0;
    if (interval > 0) this.autoClose.start(interval);
  }
}
