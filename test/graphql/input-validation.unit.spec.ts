import { InvalidInput } from '../../src/domain/domain.errors';
import { InputValidationPipe } from '../../src/infrastructure/graphql/inputs/input-validation.pipe';
import { plainInputCheck } from '../../src/infrastructure/graphql/inputs/plain-input-check';
import {
  AssignTicketInputType,
  CreateTicketInputType,
} from '../../src/infrastructure/graphql/inputs/ticket-command.inputs';
import { TicketFilterInputType } from '../../src/infrastructure/graphql/inputs/ticket-query.inputs';

const pipe = new InputValidationPipe();
const asInput = (metatype: new () => object) => ({ type: 'body' as const, metatype, data: 'input' });
const asFilter = (metatype: new () => object) => ({ type: 'body' as const, metatype, data: 'filter' });

const create = (fields: Record<string, unknown> = {}) => ({
  module: 'BONUS',
  category: 'MILES',
  type: 'MILES_ACCRUAL',
  subject: 'Мили не начислены',
  description: 'Рейс SU100',
  ...fields,
});

describe('InputValidationPipe with its plain pre-check', () => {
  it('passes a valid argument on unchanged, with or without the pre-check deciding', async () => {
    const input = create();
    expect(plainInputCheck(CreateTicketInputType)?.(input)).toBe(true);
    await expect(pipe.transform(input, asInput(CreateTicketInputType))).resolves.toBe(input);
    const withRequester = create({ requester: { id: 'kassir_1', name: 'Анна' } });
    expect(plainInputCheck(CreateTicketInputType)?.(withRequester)).toBe(false);
    await expect(pipe.transform(withRequester, asInput(CreateTicketInputType))).resolves.toBe(withRequester);
  });

  it('leaves every violation to class-validator, which names the fields', async () => {
    const input = create({ subject: 'x'.repeat(5000), pnr: 'y'.repeat(5000) });
    expect(plainInputCheck(CreateTicketInputType)?.(input)).toBe(false);
    // A mutation's input goes on with what the edge found, for the command runner to list beside the
    // domain's findings; anything else is refused here.
    const passed = (await pipe.transform(input, asInput(CreateTicketInputType))) as {
      edgeFindings?: InvalidInput['fields'];
    };
    expect(passed).toBe(input);
    expect(passed.edgeFindings?.map((f) => f.path).sort()).toEqual(['pnr', 'subject']);
    expect(Object.keys(passed)).not.toContain('edgeFindings'); // not enumerable: never spread into a command
    const filter = { search: 'x'.repeat(5000) };
    const error = await pipe.transform(filter, asFilter(TicketFilterInputType)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInput);
    expect((error as InvalidInput).fields).toEqual([
      { path: 'search', message: 'must be at most 500 characters (5000 given)' },
    ]);
  });

  it('a required field that is missing, or a list that is too long, is not passed by the pre-check', async () => {
    const { subject: _subject, ...withoutSubject } = create();
    expect(plainInputCheck(CreateTicketInputType)?.(withoutSubject)).toBe(false);
    expect(plainInputCheck(AssignTicketInputType)?.({ assigneeId: 'agent_1' })).toBe(false);
    const longList = { module: Array.from({ length: 1000 }, () => 'BONUS') };
    expect(plainInputCheck(TicketFilterInputType)?.(longList)).toBe(false);
    await expect(pipe.transform(longList, asFilter(TicketFilterInputType))).rejects.toBeInstanceOf(
      InvalidInput,
    );
    expect(plainInputCheck(TicketFilterInputType)?.({ status: ['NEW'], module: ['BONUS'] })).toBe(true);
    const longName = { module: ['BONUS', 'x'.repeat(5000)] };
    expect(plainInputCheck(TicketFilterInputType)?.(longName)).toBe(false);
    await expect(pipe.transform(longName, asFilter(TicketFilterInputType))).rejects.toBeInstanceOf(
      InvalidInput,
    );
  });
});
