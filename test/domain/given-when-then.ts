/**
 * Given/when/then for the ticket decider (architecture.md "Tests"): given past events, when a command
 * is decided in a context, then these events are appended — or this error is thrown and nothing is.
 */
import { InvalidInput, RuleViolated } from '../../src/domain/domain.errors';
import type { RuleId } from '../../src/domain/rules';
import { fold, type TicketState } from '../../src/domain/ticket';
import { DEFAULT_POLICY, type DecideContext, type TicketCommand } from '../../src/domain/ticket.commands';
import { decide } from '../../src/domain/ticket.decide';
import type { TicketEvent } from '../../src/domain/ticket.events';
import { AGENT, hoursAfter } from './fixtures';

export interface Outcome {
  /** The command appends exactly these events. */
  then(expected: TicketEvent[]): void;
  /** The command appends events; returns them for closer checks. */
  thenEvents(): TicketEvent[];
  /** The command is refused for this rule (and, when given, with this guidance). */
  thenRuleViolated(rule: RuleId, guidance?: string): RuleViolated;
  /** The command is refused as bad input naming exactly these fields (in any order). */
  thenInvalidInput(paths: string[]): InvalidInput;
  /** The state after the given events and the appended ones. */
  thenState(): TicketState;
}

const DEFAULT_CONTEXT: DecideContext = { now: hoursAfter(1), actor: AGENT, policy: DEFAULT_POLICY };

export function given(...history: TicketEvent[]) {
  return {
    when(command: TicketCommand, context: Partial<DecideContext> = {}): Outcome {
      const ctx = { ...DEFAULT_CONTEXT, ...context };
      const run = () => decide(command, fold(history), ctx);
      const caught = (): unknown => {
        try {
          run();
        } catch (error) {
          return error;
        }
        throw new Error('expected the command to be refused, but it was accepted');
      };
      return {
        then(expected) {
          expect(run()).toEqual(expected);
        },
        thenEvents() {
          const events = run();
          expect(events.length).toBeGreaterThan(0);
          return events;
        },
        thenRuleViolated(rule, guidance) {
          const error = caught();
          expect(error).toBeInstanceOf(RuleViolated);
          const violation = error as RuleViolated;
          expect(violation.rule).toBe(rule);
          if (guidance !== undefined) expect(violation.guidance).toBe(guidance);
          return violation;
        },
        thenInvalidInput(paths) {
          const error = caught();
          expect(error).toBeInstanceOf(InvalidInput);
          const invalid = error as InvalidInput;
          expect(invalid.fields.map((f) => f.path).sort()).toEqual([...paths].sort());
          return invalid;
        },
        thenState() {
          const state = fold([...history, ...run()]);
          if (state === null) throw new Error('no ticket');
          return state;
        },
      };
    },
  };
}
