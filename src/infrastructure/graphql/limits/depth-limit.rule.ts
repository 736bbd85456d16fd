import { type ASTVisitor, GraphQLError, type ValidationContext } from 'graphql';
import { forEachField, type SelectedField } from './selection-walk';

/** Deepest nesting of fields an operation may select (`{ tickets { nodes { comments { author { id } } } } }` is 5). */
export const MAX_QUERY_DEPTH = 12;

/** Refuses operations nested deeper than `maxDepth` fields, fragments included. */
export function depthLimitRule(maxDepth: number = MAX_QUERY_DEPTH) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      let deepest = 0;
      const walk = (field: SelectedField, depth: number): void => {
        deepest = Math.max(deepest, depth);
        if (deepest > maxDepth || !field.node.selectionSet) return;
        forEachField(context, field.node.selectionSet, field.returns, (child) => walk(child, depth + 1));
      };
      const root = context.getSchema().getRootType(operation.operation) ?? null;
      forEachField(context, operation.selectionSet, root, (field) => walk(field, 1));
      if (deepest > maxDepth) {
        context.reportError(
          new GraphQLError(`Query is nested deeper than ${maxDepth} levels`, { nodes: [operation] }),
        );
      }
    },
  });
}
