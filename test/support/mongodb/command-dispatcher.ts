import { Document } from 'bson';
import { Catalog } from './catalog';
import { CommandContext, CommandHandler } from './command-context';
import { adminCommands } from './commands/admin-commands';
import { aggregateCommands } from './commands/aggregate-command';
import { collectionCommands } from './commands/collection-commands';
import { findAndModifyCommands } from './commands/find-and-modify';
import { indexCommands } from './commands/index-commands';
import { readCommands } from './commands/read-commands';
import { writeCommands } from './commands/write-commands';
import { CursorRegistry } from './cursor-registry';
import { asCommandError, MongoCommandError } from './errors';

const HANDLERS = new Map<string, CommandHandler>(
  Object.entries({
    ...adminCommands,
    ...writeCommands,
    ...readCommands,
    ...aggregateCommands,
    ...findAndModifyCommands,
    ...indexCommands,
    ...collectionCommands,
  }),
);

/** Routes a command document to its handler and shapes the reply (`ok: 1`, or MongoDB's error fields). */
export class CommandDispatcher {
  readonly catalog = new Catalog();
  readonly cursors = new CursorRegistry();

  dispatch(body: Document, database: string, connectionId: number): Document {
    const name = Object.keys(body)[0] ?? '';
    try {
      const handler = HANDLERS.get(name);
      if (!handler) throw new MongoCommandError('CommandNotFound', `no such command: '${name}'`);
      if (body.startTransaction === true) {
        // What a standalone mongod answers; this server has no replication and so no transactions.
        throw new MongoCommandError(
          'IllegalOperation',
          'Transaction numbers are only allowed on a replica set member or mongos',
        );
      }
      const context: CommandContext = {
        catalog: this.catalog,
        cursors: this.cursors,
        database,
        connectionId,
      };
      return { ...handler(body, context), ok: 1 };
    } catch (error) {
      return asCommandError(error).toReply();
    }
  }
}
