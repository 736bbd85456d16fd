import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { type FieldError, InvalidInput } from '../../../domain/domain.errors';
import { coveredBy } from '../../../application/command-request';
import { plainInputCheck } from './plain-input-check';

/**
 * Runs the class-validator checks of an argument's input class and fails with the domain's own
 * InvalidInput, so the client sees one error shape (`extensions.fields`) whoever found the problem.
 * The argument passes on unchanged: commands and queries receive plain data. An argument the plain
 * pre-check (plain-input-check.ts) finds valid skips class-validator.
 */
@Injectable()
export class InputValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype;
    if (!metatype || !isInputClass(metatype) || value === null || typeof value !== 'object') return value;
    // Values GraphQL could not read (type-findings.plugin.ts) stand in for themselves here: the form is
    // refused with GraphQL's findings, and the places holding stand-ins are not judged again.
    const typeFindings = (value as { typeFindings?: readonly FieldError[] }).typeFindings ?? [];
    if (typeFindings.length === 0 && plainInputCheck(metatype)?.(value as Record<string, unknown>))
      return value;
    const errors = await validate(plainToInstance(metatype, value) as object);
    if (errors.length === 0 && typeFindings.length === 0) return value;
    // Fields are named relative to their argument, as the commands name those of `input` (`agent.lastName`)
    // and as GraphQL's own refusals and the query handlers name a filter's (`status[0]`, `createdFrom`).
    const fields = flatten(errors, '').filter((field) => !coveredBy(field.path, typeFindings));
    if (typeFindings.length > 0) {
      // The command runner refuses the form with the domain's findings too; without a usable ticketId
      // there is nothing to check against, so it is refused here.
      const all = [...typeFindings, ...fields];
      if (metadata.data !== 'input' || all.some((field) => field.path === 'ticketId'))
        throw new InvalidInput(all);
      const found = fields.filter((field) => !CHECKED_WITH_THE_COMMAND.has(field.path));
      Object.defineProperty(value, 'edgeFindings', { value: found, enumerable: false, configurable: true });
      return value;
    }
    // The command runner checks these again together with the domain's checks of the command, so when
    // nothing else is wrong here, they go on and are listed there beside every other bad field.
    if (fields.every((field) => CHECKED_WITH_THE_COMMAND.has(field.path))) return value;
    // A mutation's input goes on too, carrying what the edge found, and the command runner refuses it
    // with the domain's findings (a 1,001-character module and a 201-character subject are both named).
    // Not when the ticket itself is unusable: without a valid ticketId there is nothing to check against.
    if (metadata.data === 'input' && !fields.some((field) => field.path === 'ticketId')) {
      const found = fields.filter((field) => !CHECKED_WITH_THE_COMMAND.has(field.path));
      Object.defineProperty(value, 'edgeFindings', { value: found, enumerable: false, configurable: true });
      return value;
    }
    throw new InvalidInput(fields);
  }
}

const PRIMITIVES: unknown[] = [String, Boolean, Number, Array, Object, Date];

/** Fields of a mutation's `input` that the command runner checks itself (command-request.ts). */
const CHECKED_WITH_THE_COMMAND: ReadonlySet<string> = new Set(['commandId', 'expectedVersion']);

function isInputClass(metatype: unknown): metatype is new () => object {
  return typeof metatype === 'function' && !PRIMITIVES.includes(metatype);
}

function flatten(errors: ValidationError[], prefix: string): FieldError[] {
  const fields: FieldError[] = [];
  for (const error of errors) {
    const path = `${prefix}${error.property}`;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      fields.push(...findings(path, constraint, message, error.value));
    }
    if (error.children?.length) fields.push(...flatten(error.children, `${path}.`));
  }
  return fields;
}

/**
 * The same checks for an argument whose TypeScript type is a union (`Filter | null`): TypeScript records
 * such a parameter's type as `Object`, so the global pipe cannot see the class and would let the
 * argument through unchecked. Give the class here: `@Args('filter', options, validatedAs(FilterInput))`.
 */
export function validatedAs(inputClass: new () => object): PipeTransform {
  const pipe = new InputValidationPipe();
  return {
    transform: (value: unknown, metadata: ArgumentMetadata) =>
      pipe.transform(value, { ...metadata, metatype: inputClass }),
  };
}

/** The bound in class-validator's wording of a `maxLength` refusal ("… shorter than or equal to 500 characters"). */
const MAX_LENGTH_BOUND = /than or equal to (\d+) characters$/;

/**
 * One constraint's findings: the field's, or, for a bound on each item of a list (class-validator names
 * the list), each item past it by its place (`module[2]`), as GraphQL and the domain name list items.
 */
function findings(path: string, constraint: string, message: string, value: unknown): FieldError[] {
  const limit = MAX_LENGTH_BOUND.exec(message)?.[1];
  if (constraint === 'maxLength' && Array.isArray(value) && limit !== undefined) {
    const items = value.flatMap((item: unknown, i) =>
      typeof item === 'string' && item.length > Number(limit)
        ? [{ path: `${path}[${i}]`, message: `must be at most ${limit} characters (${item.length} given)` }]
        : [],
    );
    if (items.length > 0) return items;
  }
  return [{ path, message: worded(constraint, message, value) }];
}

/**
 * class-validator's message in the domain's words ("must be at most 200 characters (201 given)"):
 * its own ("search must be shorter than or equal to 500 characters") repeats the field's name, which a
 * form shows beside the field anyway, and reads unlike every other finding listed with it. The bound is
 * read from class-validator's own wording of each constraint; any other message stays as it is.
 */
function worded(constraint: string, message: string, value: unknown): string {
  const bound = (pattern: RegExp): string | undefined => pattern.exec(message)?.[1];
  if (constraint === 'maxLength') {
    const limit = bound(MAX_LENGTH_BOUND);
    if (limit === undefined) return message;
    const given = typeof value === 'string' ? ` (${value.length} given)` : '';
    return `must be at most ${limit} characters${given}`;
  }
  if (constraint === 'arrayMaxSize') {
    const limit = bound(/no more than (\d+) elements$/);
    if (limit === undefined) return message;
    return `must hold at most ${limit} items${Array.isArray(value) ? ` (${value.length} given)` : ''}`;
  }
  if (constraint === 'min') {
    const limit = bound(/not be less than (-?\d+)$/);
    return limit === undefined ? message : `must be at least ${limit}`;
  }
  return message;
}
