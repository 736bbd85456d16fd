import { type ASTVisitor, GraphQLError, type ValidationContext } from 'graphql';
import { forEachField, SelectionBudget } from './selection-walk';

/**
 * How many of each costly root field one operation may hold, aliases and fragments counted. Each does
 * its work whatever the rest of the selection asks: a past state folds the ticket's whole stream (400
 * aliased on a long ticket ran the server out of memory), statistics group the caller's tickets (700
 * aliased took 21 s, no one else answered meanwhile), a verified retention audit reads every request
 * event, a mutation decides, writes and reads its ticket back (200 aliased on a long ticket: 11 s). The
 * query complexity cannot see that cost: it counts fields, not what they read. A client with more to
 * do sends further requests, which the server interleaves with everyone else's.
 */
export const ROOT_FIELD_LIMITS: Readonly<Record<string, number>> = {
  // Lists count their matches whatever the page (700 aliased counts over tickets holding coupon
  // requests took 2 s); a desk shows a few lists at once.
  tickets: 20,
  couponRequests: 20,
  ticketAsOf: 10,
  ticketStats: 5,
  couponRequestRetentionAudit: 2,
};
/** Mutations one request may hold. */
export const MAX_MUTATIONS = 10;

export function rootFieldLimitRule() {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const root = context.getSchema().getRootType(operation.operation) ?? null;
      const counts = new Map<string, number>();
      forEachField(context, operation.selectionSet, root, new SelectionBudget(), (field) => {
        const name = operation.operation === 'mutation' ? 'mutation' : field.node.name.value;
        counts.set(name, (counts.get(name) ?? 0) + 1);
      });
      const limits: [string, number, string][] = [
        ['mutation', MAX_MUTATIONS, 'mutations'],
        ...Object.entries(ROOT_FIELD_LIMITS).map(([name, limit]): [string, number, string] => [
          name,
          limit,
          `${name} fields`,
        ]),
      ];
      for (const [name, limit, what] of limits) {
        const count = counts.get(name) ?? 0;
        if (count > limit) {
          context.reportError(
            new GraphQLError(
              `A request may hold at most ${limit} ${what} (this one holds ${count}): send the others in further requests`,
              { nodes: [operation] },
            ),
          );
        }
      }
    },
  });
}
