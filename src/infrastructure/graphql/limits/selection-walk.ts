import {
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  type FieldNode,
  type GraphQLSchema,
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
 * Selections (fields, spreads, inline fragments) one walk of an operation may look at, counted with its
 * fragments expanded. Fragments spreading others twice over double at each level: twenty such levels, in
 * a request of 1.5 KB, expand to a million selections, and the walk alone would block the server for
 * seconds. The standard introspection query expands to about 230, a full page of tickets to a few
 * hundred.
 */
export const MAX_EXPANDED_SELECTIONS = 5_000;

/** How many more selections a walk may look at (see MAX_EXPANDED_SELECTIONS). */
export class SelectionBudget {
  private remaining: number;

  constructor(limit: number = MAX_EXPANDED_SELECTIONS) {
    this.remaining = limit;
  }

  /** True once the walk wanted more than the limit: it stopped there, and its result is incomplete. */
  get exhausted(): boolean {
    return this.remaining < 0;
  }

  /** Takes one selection; false when none is left. */
  spend(): boolean {
    return --this.remaining >= 0;
  }
}

/**
 * Calls `visit` for each field selected directly in `set` on `parent`, looking through fragment
 * spreads and inline fragments. Callers bound their own recursion by field depth; a fragment that
 * spreads itself (directly or through others) is entered once per path, so such a cycle — which
 * graphql-js reports as its own validation error — cannot loop here (validation rules run side by side).
 * Every selection looked at, fields and fragments, is taken from `budget`; once it is spent the walk
 * stops (`budget.exhausted`).
 */
export function forEachField(
  context: ValidationContext,
  set: SelectionSetNode,
  parent: GraphQLCompositeType | null,
  budget: SelectionBudget,
  visit: (field: SelectedField) => void,
  entered: ReadonlySet<string> = new Set(),
): void {
  const schema = context.getSchema();
  for (const selection of set.selections) {
    if (!budget.spend()) return;
    if (selection.kind === Kind.FIELD) {
      const definition =
        metaField(schema, parent, selection.name.value) ??
        (parent && (isObjectType(parent) || isInterfaceType(parent))
          ? (parent.getFields()[selection.name.value] ?? null)
          : null);
      const named = definition ? getNamedType(definition.type) : null;
      visit({ node: selection, definition, returns: named && isCompositeType(named) ? named : null });
      continue;
    }
    let fragment;
    let path = entered;
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      fragment = selection;
    } else {
      const name = selection.name.value;
      if (entered.has(name)) continue;
      fragment = context.getFragment(name);
      path = new Set(entered).add(name);
    }
    if (!fragment) continue;
    const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
    forEachField(
      context,
      fragment.selectionSet,
      condition && isCompositeType(condition) ? condition : null,
      budget,
      visit,
      path,
    );
  }
}

/**
 * The introspection fields no type lists among its fields: `__typename` anywhere, `__schema` and
 * `__type` on the query root. Without their definitions a walk would not see the lists under them.
 */
function metaField(
  schema: GraphQLSchema,
  parent: GraphQLCompositeType | null,
  name: string,
): GraphQLField<unknown, unknown> | null {
  if (name === '__typename') return TypeNameMetaFieldDef;
  if (parent === null || parent !== schema.getQueryType()) return null;
  if (name === '__schema') return SchemaMetaFieldDef;
  if (name === '__type') return TypeMetaFieldDef;
  return null;
}
