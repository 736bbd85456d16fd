import {
  type ASTVisitor,
  GraphQLError,
  isListType,
  isNonNullType,
  type GraphQLOutputType,
  Kind,
  type ValidationContext,
} from 'graphql';
import { isIntrospection, MAX_INTROSPECTION_DEPTH, MAX_QUERY_DEPTH } from './depth-limit.rule';
import { forEachField, MAX_EXPANDED_SELECTIONS, SelectionBudget, type SelectedField } from './selection-walk';

/**
 * The complexity budget of one operation. Each selected field costs 1 plus its children's cost, times
 * how many items it returns: its `first` argument for a paged field (the literal up to PAGE_MAX, the schema's default
 * when absent, PAGE_MAX when it comes from a variable, which validation cannot see), and
 * ASSUMED_LIST_SIZE for other lists (comments, history, catalog entries). A full page of 100 tickets
 * with every field, comments and coupon requests costs about 60,000. Introspection counts like data
 * (the standard introspection query costs about 5,000): it reads only the schema, but aliases could
 * otherwise ask for the whole schema thousands of times in one request.
 */
export const MAX_QUERY_COMPLEXITY = 100_000;
const PAGE_MAX = 100;
const ASSUMED_LIST_SIZE = 10;
/** Fields of a connection that repeat its page: already multiplied at the connection. */
const PAGE_FIELDS = new Set(['edges', 'nodes']);

function returnsList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** How many times a field's selection is resolved. */
function multiplier(field: SelectedField): number {
  const definition = field.definition;
  if (!definition) return 1;
  const first = definition.args.find((arg) => arg.name === 'first');
  if (first) {
    const given = field.node.arguments?.find((arg) => arg.name.value === 'first')?.value;
    if (!given) return typeof first.defaultValue === 'number' ? first.defaultValue : PAGE_MAX;
    // A literal over the page size is refused by the field itself, saying so, rather than as too complex.
    if (given.kind === Kind.INT) return Math.min(PAGE_MAX, Math.max(1, Number(given.value)));
    return PAGE_MAX;
  }
  if (!returnsList(definition.type) || PAGE_FIELDS.has(field.node.name.value)) return 1;
  return ASSUMED_LIST_SIZE;
}

/** Refuses operations whose estimated cost exceeds `budget`. */
export function complexityLimitRule(budget: number = MAX_QUERY_COMPLEXITY) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const walk = new SelectionBudget();
      // Introspection nests deeper than data (its own depth limit): below an introspection root field,
      // every level down to that limit is counted.
      const cost = (field: SelectedField, depth: number, deepest: number): number => {
        let children = 0;
        if (field.node.selectionSet && depth <= deepest) {
          forEachField(context, field.node.selectionSet, field.returns, walk, (child) => {
            if (children <= budget) children += cost(child, depth + 1, deepest);
          });
        }
        return 1 + multiplier(field) * children;
      };
      let total = 0;
      const root = context.getSchema().getRootType(operation.operation) ?? null;
      forEachField(context, operation.selectionSet, root, walk, (field) => {
        if (total <= budget)
          total += cost(field, 1, isIntrospection(field) ? MAX_INTROSPECTION_DEPTH : MAX_QUERY_DEPTH);
      });
      if (walk.exhausted) {
        context.reportError(
          new GraphQLError(
            `Query is too large: it selects more than ${MAX_EXPANDED_SELECTIONS} fields once its fragments are expanded`,
            { nodes: [operation] },
          ),
        );
      } else if (total > budget) {
        context.reportError(
          new GraphQLError(`Query is too complex: estimated cost exceeds the budget of ${budget}`, {
            nodes: [operation],
          }),
        );
      }
    },
  });
}
