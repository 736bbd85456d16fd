/**
 * Which of a caller's roles a command is decided in, when they have several (a supervisor who is also an
 * agent, an agent who is also a requester): found by dry runs of the decision.
 */
import { InvalidInput, RuleViolated } from '../domain/domain.errors';
import type { DecideContext, TicketCommand } from '../domain/ticket.commands';
import type { TicketState } from '../domain/ticket';
import { decide } from '../domain/ticket.decide';
import type { Actor } from '../domain/ticket.types';
import { dryRunCommand, type NumberedCommand } from './command-request';

/**
 * The context to decide in: the first of the allowed roles (strongest first; the requester first on
 * their own ticket) that may do the command; the strongest role's refusal when none may. An invalid
 * input is no refusal of the role: deciding in it reports it.
 */
export function actingContext(
  allowed: readonly Actor[],
  command: TicketCommand | NumberedCommand,
  state: TicketState | null,
  contextFor: (actor: Actor) => DecideContext,
): DecideContext {
  if (allowed.length === 1) return contextFor(allowed[0]);
  // On their own ticket a caller acts first as its requester, wherever a requester may: an agent's
  // reply there is the requester's reply (it moves an AWAITING_REQUESTER ticket on and restarts the
  // auto-close clock, and is no first response). Not when they are also its assignee: then they
  // work it (their reply takes it into work). Elsewhere the strongest role goes first.
  const own =
    state === null || state.assignee?.id === allowed[0].id
      ? undefined
      : allowed.find((actor) => actor.role === 'REQUESTER' && actor.id === state.requester.id);
  const order = own === undefined ? allowed : [own, ...allowed.filter((actor) => actor !== own)];
  let refusal: RuleViolated | undefined;
  let strongestRefusal: RuleViolated | undefined;
  for (const actor of order) {
    const context = contextFor(actor);
    try {
      decide(dryRunCommand(command), state, context);
      return context;
    } catch (error) {
      if (error instanceof InvalidInput) return context;
      if (!(error instanceof RuleViolated)) throw error;
      refusal ??= error;
      if (actor === allowed[0]) strongestRefusal = error;
    }
  }
  // When no role may, the strongest role's refusal is the answer.
  throw strongestRefusal ?? refusal;
}

/**
 * The context a refused request's fields are checked in beside the domain's: the role that would act
 * (so the domain's findings are that role's), or the strongest when none may.
 */
export function refusalContext(
  allowed: readonly Actor[],
  command: TicketCommand | NumberedCommand,
  state: TicketState | null,
  contextFor: (actor: Actor) => DecideContext,
): DecideContext {
  try {
    return actingContext(allowed, command, state, contextFor);
  } catch (error) {
    if (!(error instanceof RuleViolated)) throw error;
    return contextFor(allowed[0]);
  }
}
