import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import {
  type FieldNode,
  type FragmentSpreadNode,
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  type GraphQLResolveInfo,
  type InlineFragmentNode,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import type { ReadBudget } from '../../../application/queries/read-budget';
import type { CommentsNeeded } from '../../../application/queries/ticket-queries';

/**
 * What the selection below the field being resolved asks for, in one walk (fragments included, what
 * `@skip`/`@include` leave out not): the names of the fields it selects at any depth, which lets a query
 * skip reading what nobody selected (over-approximating: a field of that name at any depth counts,
 * which only ever costs a read), and the largest `last` every selection of `comments` gives (a literal
 * or a variable's value), or null when one gives none (or one the resolver will refuse): what of that
 * list the whole selection shows, at most. One walk: four, one per name, cost each mutation ~4 µs.
 */
function selectionOf(info: GraphQLResolveInfo): { names: Set<string>; last: number | null } {
  const names = new Set<string>();
  let largest: number | null = -1;
  const seen = new Set<string>();
  const search = (set: SelectionSetNode | undefined): void => {
    for (const selection of set?.selections ?? []) {
      if (!included(info, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        names.add(selection.name.value);
        if (selection.name.value === 'comments') largest = larger(largest, valueOf(info, selection, 'last'));
        search(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        search(selection.selectionSet);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        search(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) search(node.selectionSet);
  return { names, last: largest === -1 ? null : largest };
}

/**
 * False for a selection `@skip(if: true)` or `@include(if: false)` leaves out (literal or variable): a
 * desk's toggle `comments @include(if: $show)` read every comment with `$show` false, and a long ticket
 * was refused past the request's budget for comments it would not show.
 */
function included(
  info: GraphQLResolveInfo,
  node: FieldNode | InlineFragmentNode | FragmentSpreadNode,
): boolean {
  if (!node.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
}

function larger(largest: number | null, value: number | null): number | null {
  return largest === null || value === null ? null : Math.max(largest, value);
}

/** A field's whole-number argument from the literal or its variable; null when absent or not such. */
function valueOf(info: GraphQLResolveInfo, field: FieldNode, argument: string): number | null {
  const given = field.arguments?.find((arg) => arg.name.value === argument)?.value;
  const value =
    given?.kind === Kind.INT
      ? Number(given.value)
      : given?.kind === Kind.VARIABLE
        ? info.variableValues[given.name.value]
        : null;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

/**
 * What of a ticket's correspondence the selection shows: its comments are read only when `comments` is
 * selected (only the latest when every selection of it says `last`), or a requester's `commentCount` is
 * (counted from what they may see); with the request's budget to count them against. A ticket with
 * thousands of comments was read whole for `ticket(id) { status }`, and a list page read every page
 * ticket's.
 */
export function commentsNeeded(info: GraphQLResolveInfo, budget: ReadBudget | undefined): CommentsNeeded {
  const { names, last } = selectionOf(info);
  return {
    comments: names.has('comments'),
    commentCount: names.has('commentCount'),
    last,
    bodies: names.has('body'),
    history: names.has('history'),
    budget,
  };
}

/** The resolver's `commentsNeeded` (a parameter decorator): from its selection and the request's budget. */
export const CommentsSelected = createParamDecorator(
  (_: unknown, context: ExecutionContext): CommentsNeeded => {
    const gql = GqlExecutionContext.create(context);
    return commentsNeeded(
      gql.getInfo<GraphQLResolveInfo>(),
      gql.getContext<{ budget?: ReadBudget }>().budget,
    );
  },
);
