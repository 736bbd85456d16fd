/**
 * Where in the operation a literal value GraphQL refused sits, as a field path relative to its argument
 * (`tickets(filter: { createdFrom: "yesterday" })` → `createdFrom`; `ticketAsOf(at: "later")` → `at`), the
 * way variable errors name paths relative to their variable. Validation errors carry only the value's
 * node, and AST nodes know no parents, so the operation text is parsed again (only when such an error
 * is answered) and walked to the node at the same offset.
 */
import { type ASTNode, type GraphQLError, Kind, parse, visit } from 'graphql';

const VALUE_KINDS: ReadonlySet<string> = new Set([
  Kind.VARIABLE,
  Kind.INT,
  Kind.FLOAT,
  Kind.STRING,
  Kind.BOOLEAN,
  Kind.NULL,
  Kind.ENUM,
  Kind.LIST,
  Kind.OBJECT,
]);
/** What a refused literal can be: a value, or a field of an input object the type does not define. */
const TARGET_KINDS: ReadonlySet<string> = new Set([...VALUE_KINDS, Kind.OBJECT_FIELD]);

/**
 * `child`: a field of the refused object value that the error is about (a required field not given),
 * named below the object's own path.
 */
export function literalPath(error: GraphQLError, child?: string): string | null {
  const target = error.nodes?.[0];
  const start = target?.loc?.start;
  if (!target || start === undefined || !error.source || !TARGET_KINDS.has(target.kind)) return null;
  let document;
  try {
    document = parse(error.source, { noLocation: false });
  } catch {
    return null;
  }
  const steps: string[] = [];
  const pushed: boolean[] = [];
  let found: string[] | null = null;
  visit(document, {
    enter(node: ASTNode, key, parent, _path, ancestors) {
      if (found) return false;
      let step: string | null = null;
      if (node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD) step = node.name.value;
      else if (Array.isArray(parent) && (ancestors.at(-1) as ASTNode | undefined)?.kind === Kind.LIST) {
        step = `[${String(key)}]`;
      }
      pushed.push(step !== null);
      if (step !== null) steps.push(step);
      if (TARGET_KINDS.has(node.kind) && node.loc?.start === start && node.kind === target.kind) {
        found = [...steps];
      }
      return undefined;
    },
    leave() {
      if (pushed.pop()) steps.pop();
    },
  });
  const path = found as string[] | null;
  if (path === null || path.length === 0) return null;
  // Relative to the argument: its own name only when the argument's whole value is what was refused.
  const relative = child !== undefined ? [...path.slice(1), child] : path.length === 1 ? path : path.slice(1);
  return relative.reduce(
    (text, step) => (step.startsWith('[') || text === '' ? text + step : `${text}.${step}`),
    '',
  );
}
