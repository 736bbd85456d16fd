import { type ASTVisitor, GraphQLError, type SelectionSetNode, type ValidationContext } from 'graphql';
import type { GraphQLCompositeType } from 'graphql';
import { MAX_INTROSPECTION_DEPTH } from './depth-limit.rule';
import { forEachField, SelectionBudget } from './selection-walk';

/**
 * How many names one field of one object may be asked under, below the root. Aliases repeat a value in
 * the answer without reading anything more, so no read budget sees them: `comments { b0: body … b99:
 * body }` on a long ticket answered 301 MB (a mutation's payload, which is never refused once the change
 * is made, as much), `description` aliased 300 times on a page of tickets 300 MB. A client asks a field
 * under more than one name only to give it different arguments (`comments(last: 1)` beside `comments`) or
 * to tell apart same-named fields of several event types (`reason`); four leaves room for that. The root
 * is limited otherwise (ROOT_FIELD_LIMITS, the complexity budget).
 */
export const MAX_NAMES_PER_FIELD = 4;

export function repeatedFieldRule(limit: number = MAX_NAMES_PER_FIELD) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const walk = new SelectionBudget();
      let reported = false;
      const check = (set: SelectionSetNode, parent: GraphQLCompositeType | null, depth: number): void => {
        // Response names per field of a type (a field's definition is its type's own).
        const names = new Map<unknown, Set<string>>();
        const children: [SelectionSetNode, GraphQLCompositeType | null][] = [];
        forEachField(context, set, parent, walk, (field) => {
          const key = field.definition ?? field.node.name.value;
          const asked = names.get(key) ?? new Set<string>();
          asked.add(field.node.alias?.value ?? field.node.name.value);
          names.set(key, asked);
          if (!reported && asked.size > limit) {
            reported = true;
            const name = field.node.name.value;
            const where = parent ? ` of ${parent.name}` : '';
            context.reportError(
              new GraphQLError(
                `A field may be asked under at most ${limit} names in one object: \`${name}\`${where} is asked under more; ask it once`,
                { nodes: [field.node] },
              ),
            );
          }
          if (field.node.selectionSet) children.push([field.node.selectionSet, field.returns]);
        });
        if (depth >= MAX_INTROSPECTION_DEPTH) return;
        for (const [childSet, returns] of children) check(childSet, returns, depth + 1);
      };
      const root = context.getSchema().getRootType(operation.operation) ?? null;
      // The root's own fields are limited otherwise; each one's selection is checked.
      forEachField(context, operation.selectionSet, root, walk, (field) => {
        if (field.node.selectionSet) check(field.node.selectionSet, field.returns, 1);
      });
    },
  });
}
