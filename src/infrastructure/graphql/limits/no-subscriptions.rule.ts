import { type ASTVisitor, GraphQLError, type ValidationContext } from 'graphql';

/**
 * The API has no subscriptions (the contract defines none): a `subscription` operation is the client's
 * mistake and is refused while the request is validated, like an unknown field. Left to graphql-js it
 * failed at execution ("Schema is not configured to execute subscription operation"), which came out as
 * INTERNAL with a stack trace in the server log.
 */
export function noSubscriptionsRule() {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      if (operation.operation === 'subscription' && context.getSchema().getSubscriptionType() == null) {
        context.reportError(
          new GraphQLError('This API has no subscriptions; send a query or a mutation', {
            nodes: [operation],
          }),
        );
      }
    },
  });
}
