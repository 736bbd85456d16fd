/**
 * Whether an operation asks for a field anywhere below the field being resolved (fragments included,
 * what `@skip`/`@include` leave out not): lets a query skip reading what nobody selected.
 * Over-approximates (a field of that name at any depth counts), which only ever costs a read.
 */
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

export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const seen = new Set<string>();
  const search = (set: SelectionSetNode | undefined): boolean => {
    for (const selection of set?.selections ?? []) {
      if (!included(info, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === name || search(selection.selectionSet)) return true;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (search(selection.selectionSet)) return true;
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        if (search(info.fragments[selection.name.value]?.selectionSet)) return true;
      }
    }
    return false;
  };
  return info.fieldNodes.some((node: FieldNode) => search(node.selectionSet));
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

/**
 * The largest `argument` every selection of the field `name` below the field being resolved gives (a
 * literal or a variable's value), or null when one of them gives none (or one a resolver will refuse):
 * what of that list the whole selection shows, at most.
 */
export function largestArgument(info: GraphQLResolveInfo, name: string, argument: string): number | null {
  let largest: number | null = -1;
  const seen = new Set<string>();
  const search = (set: SelectionSetNode | undefined): void => {
    for (const selection of set?.selections ?? []) {
      if (largest === null) return;
      if (!included(info, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === name) largest = larger(largest, valueOf(info, selection, argument));
        else search(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        search(selection.selectionSet);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        search(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) search(node.selectionSet);
  return largest === -1 ? null : largest;
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
  return {
    comments: selectsField(info, 'comments'),
    commentCount: selectsField(info, 'commentCount'),
    last: largestArgument(info, 'comments', 'last'),
    bodies: selectsField(info, 'body'),
    history: selectsField(info, 'history'),
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
