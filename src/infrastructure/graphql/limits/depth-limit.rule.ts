import { type ASTVisitor, GraphQLError, type ValidationContext } from 'graphql';
import { forEachField, SelectionBudget, type SelectedField } from './selection-walk';

/** Deepest nesting of fields an operation may select (`{ tickets { nodes { comments { author { id } } } } }` is 5). */
export const MAX_QUERY_DEPTH = 12;
/**
 * Introspection (`__schema`, `__type`) nests type references: graphql-js's own introspection query is
 * 15 deep, so it gets a higher limit of its own. It reads only the schema, never the stores.
 */
export const MAX_INTROSPECTION_DEPTH = 20;

/** Whether a root field is introspection rather than data (`__typename` is neither: it names the type). */
export const isIntrospection = (field: SelectedField): boolean =>
  field.node.name.value.startsWith('__') && field.node.name.value !== '__typename';

/**
 * Refuses operations nested deeper than `maxDepth` fields (introspection: `maxIntrospectionDepth`),
 * fragments included. An operation too large to walk (SelectionBudget) is left to the complexity rule,
 * which refuses it.
 */
export function depthLimitRule(
  maxDepth: number = MAX_QUERY_DEPTH,
  maxIntrospectionDepth: number = MAX_INTROSPECTION_DEPTH,
) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      let exceeded: number | null = null;
      const budget = new SelectionBudget();
      const deepest = (field: SelectedField, depth: number, limit: number): number => {
        if (depth > limit || !field.node.selectionSet) return depth;
        let max = depth;
        forEachField(context, field.node.selectionSet, field.returns, budget, (child) => {
          if (max <= limit) max = Math.max(max, deepest(child, depth + 1, limit));
        });
        return max;
      };
      const root = context.getSchema().getRootType(operation.operation) ?? null;
      forEachField(context, operation.selectionSet, root, budget, (field) => {
        const limit = isIntrospection(field) ? maxIntrospectionDepth : maxDepth;
        if (exceeded === null && deepest(field, 1, limit) > limit) exceeded = limit;
      });
      if (exceeded !== null) {
        context.reportError(
          new GraphQLError(`Query is nested deeper than ${exceeded} levels`, { nodes: [operation] }),
        );
      }
    },
  });
}
