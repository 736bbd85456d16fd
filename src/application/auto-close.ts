import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { autoClosePolicyName } from '../domain/auto-close';
import type { TicketPolicy } from '../domain/ticket.commands';
import { SYSTEM_ACTOR } from './access';
import { TicketCommandRunner, type TicketCommandRequest } from './command-runner';
import { AUTO_CLOSE_CANDIDATES, type AutoCloseCandidates } from './ports/auto-close-candidates.port';
import { CLOCK, type Clock } from './ports/clock.port';
import type { FoldedStream } from './folded-streams';
import { TICKET_POLICY } from './ports/ticket-policy.port';

const DAY_MS = 86_400_000;
/** Tickets looked at per run; the rest wait for the next run. */
const BATCH_SIZE = 100;

/**
 * The commandId of auto-closing a ticket: one per proposed solution (the revision of the latest
 * SolutionProposed). Every instance computes the same id, so two instances racing on one ticket close
 * it once; after a reopen and a new proposal the id is new, so the policy can fire again.
 */
export function autoCloseCommandId(ticketId: string, stream: Pick<FoldedStream, 'lastRevisionOf'>): string {
  return `auto-close:${ticketId}:${stream.lastRevisionOf.get('SolutionProposed') ?? 'none'}`;
}

/** Closing one ticket as AUTO_CLOSED, by the system, recording the policy that fired. */
export function autoCloseRequest(
  ticketId: string,
  policy: Pick<TicketPolicy, 'autoCloseAfterDays'>,
  now?: Date,
): TicketCommandRequest {
  return {
    ticketId,
    actor: SYSTEM_ACTOR,
    policy: autoClosePolicyName(policy),
    commandIdFor: (stream) => autoCloseCommandId(ticketId, stream),
    command: { kind: 'CloseTicket', resolution: 'AUTO_CLOSED', reason: null },
    now,
  };
}

export interface AutoCloseRun {
  /** Tickets this run closed (or found closed by the same decision of another instance). */
  closed: string[];
  /** Candidates the domain refused (answered meanwhile, already closed, not yet due): left as they are. */
  refused: { ticketId: string; reason: string }[];
}

/**
 * The auto-close policy (domain.md §2): a proposed solution unanswered for the configured days closes
 * the ticket as AUTO_CLOSED. Candidates come from the read side; each one is decided on its event stream.
 */
@Injectable()
export class AutoClosePolicy implements OnModuleDestroy {
  private readonly logger = new Logger(AutoClosePolicy.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<AutoCloseRun> | null = null;

  constructor(
    private readonly runner: TicketCommandRunner,
    @Inject(AUTO_CLOSE_CANDIDATES) private readonly candidates: AutoCloseCandidates,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(TICKET_POLICY) private readonly policy: TicketPolicy,
  ) {}

  /** Closes every due ticket the candidates port names (one batch). */
  async runOnce(now: Date = this.clock.now()): Promise<AutoCloseRun> {
    const cutoff = new Date(now.getTime() - this.policy.autoCloseAfterDays * DAY_MS);
    const ticketIds = await this.candidates.solutionProposedBy(cutoff, BATCH_SIZE);
    const run: AutoCloseRun = { closed: [], refused: [] };
    for (const ticketId of ticketIds) {
      try {
        const outcome = await this.runner.run(autoCloseRequest(ticketId, this.policy, now));
        // A repeat (another instance closed it first, or the read models still listed a ticket this
        // policy closed) is not counted again: the log says how many tickets this run closed.
        if (outcome.state.resolution === 'AUTO_CLOSED' && !outcome.repeated) run.closed.push(ticketId);
      } catch (error) {
        run.refused.push({ ticketId, reason: error instanceof Error ? error.message : String(error) });
      }
    }
    return run;
  }

  /** Runs the policy every `intervalMs`; a run still going when the next is due makes that one skip. */
  start(intervalMs: number): void {
    this.stopTimer();
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  /** Stops the interval and waits for a run in progress. */
  async stop(): Promise<void> {
    this.stopTimer();
    await this.running?.catch(() => undefined);
  }

  onModuleDestroy(): Promise<void> {
    return this.stop();
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.runOnce();
    try {
      const run = await this.running;
      if (run.closed.length > 0) this.logger.log(`Auto-closed ${run.closed.length} ticket(s)`);
    } catch (error) {
      this.logger.error(`Auto-close run failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.running = null;
    }
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
