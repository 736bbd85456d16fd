import { mergeInputErrors } from '../../src/infrastructure/graphql/errors/merge-input-errors.plugin';

const bad = (path: string) => ({
  message: `Variable "$i" got invalid value at "i.${path}"`,
  extensions: { code: 'BAD_USER_INPUT', fields: [{ path, message: 'invalid' }] },
});

describe('mergeInputErrors', () => {
  it('merges every BAD_USER_INPUT error into one listing all fields, keeping other errors', () => {
    const other = { message: 'Query is too complex', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    const merged = mergeInputErrors([bad('scenario'), other, bad('fromStatus')]);
    expect(merged).toHaveLength(2);
    expect(merged[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [
        { path: 'scenario', message: 'invalid' },
        { path: 'fromStatus', message: 'invalid' },
      ],
    });
    expect(merged[0].message).toBe('Invalid input: scenario: invalid; fromStatus: invalid');
    expect(merged[1]).toBe(other);
  });

  it('leaves a single error as it is', () => {
    const one = bad('at');
    expect(mergeInputErrors([one])).toEqual([one]);
  });
});
