/**
 * Creating a ticket (domain.md §1, §4, §5, §6): who may create it, every field checked at once
 * against §1 and the catalog, and the SLA due times.
 */
import { whatCodeIs, findCategory, findModule, findType, type Catalog, type CatalogType } from './catalog';
import {
  FieldErrors,
  flattened,
  isBlank,
  isoInstant,
  lines,
  oneOf,
  optionalLine,
  optionalText,
  pnr,
  requiredLine,
  requiredText,
  thirteenDigits,
} from './field-checks';
import { violated } from './rules';
import { slaDueTimes } from './sla';
import type { CreateTicket, TicketPolicy } from './ticket.commands';
import type { TicketCreatedData } from './ticket.events';
import { CHANNELS, PRIORITIES, type Actor, type Channel, type Priority } from './ticket.types';

const SUBJECT_MAX = 200;
const DESCRIPTION_MAX = 10_000;
const NAME_MAX = 200;

type NewTicket = Omit<TicketCreatedData, 'occurredAt' | 'actor'>;

/**
 * The TicketCreated data for a command, or the error: RuleViolated when the actor may not create it,
 * InvalidInput listing every bad field. A requester creates their own tickets (their name defaults
 * to the one they act under); an agent or supervisor creates one on someone's behalf.
 */
export function validateNewTicket(
  command: CreateTicket,
  actor: Actor,
  now: Date,
  policy: TicketPolicy,
  catalog: Catalog,
): NewTicket {
  if (actor.role === 'REQUESTER') {
    if (command.requester?.id !== actor.id) {
      throw violated('create.requester-not-self', 'A requester creates tickets only for themselves');
    }
  } else if (actor.role !== 'AGENT' && actor.role !== 'SUPERVISOR') {
    throw violated('create.role', `A ${actor.role} cannot create tickets`);
  }

  const errors = new FieldErrors();
  const requesterId = requiredLine(errors, 'requester.id', command.requester?.id, NAME_MAX);
  const requesterName = optionalText(errors, 'requester.name', flattened(command.requester?.name), NAME_MAX);
  const validatorNumber = optionalLine(
    errors,
    'requester.validatorNumber',
    command.requester?.validatorNumber,
    NAME_MAX,
  );
  const channel = oneOf<Channel>(errors, 'channel', command.channel ?? 'WEB', CHANNELS);
  const priority = oneOf<Priority>(errors, 'priority', command.priority ?? 'NORMAL', PRIORITIES);
  const subject = requiredText(errors, 'subject', flattened(command.subject), SUBJECT_MAX);
  const description = requiredText(errors, 'description', lines(command.description), DESCRIPTION_MAX);
  const placed = placeInCatalog(errors, catalog, command);
  const requires = new Set<string>(placed.type?.requires ?? []);
  /** A field the catalog's type may require: checked when given, reported when required and missing. */
  const field = (path: string, value: string | null | undefined, check: typeof pnr): string | null => {
    if (!isBlank(value)) return check(errors, path, value as string);
    return requires.has(path) ? errors.reject(path, `is required for type ${placed.type?.code}`) : null;
  };
  const pnrValue = field('pnr', command.pnr, pnr);
  const departure = field('nearestDepartureAt', command.nearestDepartureAt, isoInstant);
  const eTicket = field('eTicketNumber', command.eTicketNumber, thirteenDigits);
  errors.throwIfAny();

  const ownName = actor.role === 'REQUESTER' ? actor.name : null;
  const due = slaDueTimes(now, priority as Priority, policy);
  return {
    ticketId: command.ticketId,
    number: command.number,
    requester: { id: requesterId as string, name: requesterName ?? ownName, validatorNumber },
    channel: channel as Channel,
    module: command.module,
    category: placed.category,
    type: placed.type?.code ?? null,
    subject: subject as string,
    description: description as string,
    priority: priority as Priority,
    pnr: pnrValue,
    nearestDepartureAt: departure,
    eTicketNumber: eTicket,
    firstResponseDueAt: due.firstResponseDueAt,
    resolutionDueAt: due.resolutionDueAt,
  };
}

/**
 * Checks module, category and type against the catalog, recording what is wrong. A type names its
 * category, so a category left out is taken from the type; one that is given must be the type's own.
 * The result matters only when nothing was recorded.
 */
function placeInCatalog(
  errors: FieldErrors,
  catalog: Catalog,
  command: Pick<CreateTicket, 'module' | 'category' | 'type'>,
): { category: string | null; type: CatalogType | null } {
  const none = { category: null, type: null };
  if (isBlank(command.module)) return errors.reject('module', 'is required') ?? none;
  const module = findModule(catalog, command.module);
  if (!module) {
    const known = catalog.modules.map((m) => m.code).join(', ');
    return errors.reject('module', `unknown module ${command.module}; known: ${known}`) ?? none;
  }
  /** What the code is instead, if anything, and the codes the module has of that kind. */
  const guidance = (code: string, kind: 'category' | 'type'): string => {
    const instead = whatCodeIs(catalog, module, code, kind);
    const codes =
      kind === 'category'
        ? module.categories.map((c) => c.code)
        : module.categories.flatMap((c) => c.types.map((t) => t.code));
    return `${instead ? ` (${instead})` : ''}; known: ${codes.length > 0 ? codes.join(', ') : 'none'}`;
  };

  const categoryCode = isBlank(command.category) ? null : (command.category as string);
  const category = categoryCode === null ? null : findCategory(module, categoryCode);
  if (categoryCode !== null && !category) {
    errors.add(
      'category',
      `${categoryCode} is not a category of module ${module.code}${guidance(categoryCode, 'category')}`,
    );
  }
  if (isBlank(command.type)) {
    if (module.typeRequired) errors.add('type', `is required in module ${module.code}`);
    return { category: categoryCode, type: null };
  }
  const typeCode = command.type as string;
  const found = findType(module, typeCode);
  if (!found) {
    errors.add('type', `${typeCode} is not a type of module ${module.code}${guidance(typeCode, 'type')}`);
    return none;
  }
  if (category && found.category.code !== category.code) {
    errors.add(
      'type',
      `${typeCode} is not a type of category ${category.code}; it belongs to ${found.category.code}`,
    );
    return none;
  }
  return { category: found.category.code, type: found.type };
}
