import {
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/** A selected field with its definition in the schema (null when the schema has no such field). */
export interface SelectedField {
  node: FieldNode;
  definition: GraphQLField<unknown, unknown> | null;
  /** The composite type the field returns, whose selection set its children are read against. */
  returns: GraphQLCompositeType | null;
}

/**
 * Calls `visit` for each field selected directly in `set` on `parent`, looking through fragment
 * spreads and inline fragments. Callers bound their own recursion (by depth), so a fragment cycle,
 * which graphql-js reports separately, cannot loop forever.
 */
export function forEachField(
  context: ValidationContext,
  set: SelectionSetNode,
  parent: GraphQLCompositeType | null,
  visit: (field: SelectedField) => void,
): void {
  const schema = context.getSchema();
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const definition =
        parent && (isObjectType(parent) || isInterfaceType(parent))
          ? (parent.getFields()[selection.name.value] ?? null)
          : null;
      const named = definition ? getNamedType(definition.type) : null;
      visit({ node: selection, definition, returns: named && isCompositeType(named) ? named : null });
      continue;
    }
    const fragment =
      selection.kind === Kind.INLINE_FRAGMENT ? selection : context.getFragment(selection.name.value);
    if (!fragment) continue;
    const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
    forEachField(
      context,
      fragment.selectionSet,
      condition && isCompositeType(condition) ? condition : null,
      visit,
    );
  }
}
