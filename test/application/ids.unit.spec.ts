import { v5 as uuidPackageV5, validate, version } from 'uuid';
import { COMMAND_ID_NAMESPACE, uuidIds, uuidV5 } from '../../src/application/ports/ids.port';

describe('ids', () => {
  it('derives the same RFC 4122 version-5 UUID as the uuid package', () => {
    for (const name of ['create-1', 'cmd:ticket-1:0', 'ключ команды', '']) {
      expect(uuidV5(name, COMMAND_ID_NAMESPACE)).toBe(uuidPackageV5(name, COMMAND_ID_NAMESPACE));
    }
  });

  it('gives the same id for the same commandId and salt, and different ids otherwise', () => {
    const a = uuidIds.fromCommandId('cmd-1', 'ticket:kassir_5LE');
    expect(uuidIds.fromCommandId('cmd-1', 'ticket:kassir_5LE')).toBe(a);
    expect(uuidIds.fromCommandId('cmd-1', 'ticket:kassir_9XZ')).not.toBe(a);
    expect(uuidIds.fromCommandId('cmd-2', 'ticket:kassir_5LE')).not.toBe(a);
    expect(version(a)).toBe(5);
  });

  it('makes fresh random ids', () => {
    const id = uuidIds.newId();
    expect(validate(id) && version(id)).toBe(4);
    expect(uuidIds.newId()).not.toBe(id);
  });
});
