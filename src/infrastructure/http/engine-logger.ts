import { ConsoleLogger } from '@nestjs/common';

/** Where Nest reports a failure to build the app or to listen: src/main.ts says it in one line. */
const STARTUP_FAILURE_CONTEXTS = new Set(['ExceptionHandler', 'NestApplication']);

/**
 * The server's log: errors and warnings always; the engine's informational lines (the projections
 * caught up, a store back after an outage, a subscription restored, tickets auto-closed) once it serves,
 * so that start-up itself is the one line `npm start` prints. A start-up failure is also reported in one
 * line (src/main.ts), so Nest's own stack trace of it is left out. One logger with fixed levels from the
 * start: changing levels after start-up left loggers first used during it at the start-up levels, and a
 * projection's stop went unlogged.
 */
export class EngineLogger extends ConsoleLogger {
  private serving = false;

  constructor() {
    super({ logLevels: ['fatal', 'error', 'warn', 'log'] });
  }

  /** Each line's time in UTC, ISO 8601 (Nest's default is the local time in 12-hour form, no zone). */
  protected override getTimestamp(): string {
    return new Date().toISOString();
  }

  /** From now on the informational lines are written too. */
  startServing(): void {
    this.serving = true;
  }

  override log(message: unknown, ...optionalParams: unknown[]): void {
    if (this.serving) super.log(message, ...optionalParams);
  }

  override error(message: unknown, ...optionalParams: unknown[]): void {
    if (!this.serving && STARTUP_FAILURE_CONTEXTS.has(String(optionalParams.at(-1)))) return;
    super.error(message, ...optionalParams);
  }
}
