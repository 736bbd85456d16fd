/**
 * A mutation's form with a value of the wrong type is refused with every bad field, not just that one.
 *
 * graphql-js refuses a variable holding a value it cannot read as its type (an unknown enum value, a
 * DateTime that is no date, a required field missing, an unknown field) before any resolver runs, so
 * the edge's and the domain's content checks never saw the rest of the form: `channel: "FAX"` with an
 * empty `subject` was refused naming `channel` alone, and the client heard of `subject` on its second
 * try. When graphql-js has refused a single mutation for its `input` variable and every problem is
 * inside the form (a field, not the whole variable), this plugin runs the mutation again with a
 * stand-in of the right type in each refused place, carrying GraphQL's findings (a non-enumerable
 * `typeFindings` on the resolver's `input`), and answers with that run's refusal. The input pipe and
 * the command runner refuse it with GraphQL's findings and every other one together, judging the
 * refused places as absent and never the stand-ins; nothing is written. Anything else (a variable used elsewhere, a whole variable of the
 * wrong type, a stand-in that does not fit) is left to graphql-js's own refusal, as before.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  coerceInputValue,
  execute,
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLError,
  isEnumType,
  isInputObjectType,
  isListType,
  isScalarType,
  Kind,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  typeFromAST,
  visit,
} from 'graphql';
import { inspect } from 'graphql/jsutils/inspect';
import { type FieldError, InvalidInput } from '../../../domain/domain.errors';
import { formatError, reasonWording } from './format-error';
import { mergeInputErrors } from './merge-input-errors.plugin';

/** The mutation argument whose variable is read here (every mutation of the contract takes its form as `input`). */
const FORM_ARGUMENT = 'input';

/** Values that every scalar the forms use accepts. */
const SCALAR_STAND_INS: Record<string, unknown> = {
  String: '',
  ID: '',
  Int: 0,
  Float: 0,
  Boolean: false,
  DateTime: '2000-01-01T00:00:00.000Z',
};

type Path = ReadonlyArray<string | number>;

/** Where a refused value sits, and what to put there. */
interface Repair {
  container: Path;
  key: string | number;
  /** Leave the field out (an unknown field) rather than put a stand-in there. */
  remove: boolean;
}

/** A form variable's findings and repaired value; null when the variable cannot be repaired. */
function repairForm(
  name: string,
  type: GraphQLInputType,
  value: unknown,
): { value: unknown; findings: FieldError[] } | null {
  const repairs: Repair[] = [];
  const findings: FieldError[] = [];
  let repairable = true;
  coerceInputValue(value, type, (path, invalid, error) => {
    if (path.length === 0) repairable = false;
    // The place comes from the path graphql-js gives, never from the message (which quotes the
    // client's own keys and values, so a key could name another field).
    const field = namedField(type, value, path, error.message);
    const place = field === null ? path : [...path, field.key];
    if (place.length === 0) repairable = false;
    findings.push({ path: formPath(place), message: reasonWording(error.message) });
    if (field !== null) repairs.push({ container: path, key: field.key, remove: field.remove });
    else repairs.push({ container: path.slice(0, -1), key: path[path.length - 1], remove: false });
  });
  if (!repairable || findings.length === 0) return null;
  const repaired = structuredClone(value);
  for (const repair of repairs) {
    const container = valueAt(repaired, repair.container) as Record<string | number, unknown> | null;
    if (container === null || typeof container !== 'object') return null;
    if (repair.remove) {
      delete container[repair.key];
      continue;
    }
    const standIn = standInFor(typeAt(type, [...repair.container, repair.key]));
    if (standIn === undefined) return null;
    container[repair.key] = standIn;
  }
  return { value: repaired, findings };
}

/**
 * The field an error about an object names: a required one not given (a field of its type, matched to
 * the exact message), or one its type does not define (a key of the value; the longest whose message
 * this is, as a key may quote another). Null for an error about the value at the path itself.
 */
function namedField(
  type: GraphQLInputType,
  value: unknown,
  path: Path,
  message: string,
): { key: string; remove: boolean } | null {
  const holder = typeAt(type, path);
  const object = holder === null ? null : getNullableType(holder);
  if (object === null || !isInputObjectType(object)) return null;
  for (const field of Object.values(object.getFields())) {
    if (message === `Field "${field.name}" of required type "${inspect(field.type)}" was not provided.`) {
      return { key: field.name, remove: false };
    }
  }
  const given = valueAt(value, path);
  if (given === null || typeof given !== 'object') return null;
  const unknown = Object.keys(given)
    .filter((key) => !Object.hasOwn(object.getFields(), key))
    .filter((key) => message.startsWith(`Field "${key}" is not defined by type "${object.name}".`))
    .sort((a, b) => b.length - a.length);
  return unknown.length > 0 ? { key: unknown[0], remove: true } : null;
}

/** A place in the form as the domain names it: `agent.lastName`, `couponNumbers[1]`. */
function formPath(path: Path): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('');
}

function valueAt(value: unknown, path: Path): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return null;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** The input type at `path` under `type`, or null when the path leaves the schema. */
function typeAt(type: GraphQLInputType, path: Path): GraphQLInputType | null {
  let current: GraphQLInputType | null = type;
  for (const key of path) {
    const nullable: GraphQLInputType | null = current === null ? null : getNullableType(current);
    if (nullable !== null && isListType(nullable)) current = typeof key === 'number' ? nullable.ofType : null;
    else if (nullable !== null && isInputObjectType(nullable))
      current = nullable.getFields()[key]?.type ?? null;
    else current = null;
  }
  return current;
}

/** A value of `type` graphql-js accepts, or undefined when there is none to offer. */
function standInFor(type: GraphQLInputType | null): unknown {
  if (type === null) return undefined;
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]?.name;
  if (isScalarType(named)) return SCALAR_STAND_INS[named.name];
  return undefined;
}

/**
 * The variables given only as the `input` of top-level mutation fields (each use then carries the
 * findings to a resolver); a variable used anywhere else is not repaired.
 */
function formVariables(document: DocumentNode, operation: OperationDefinitionNode): Set<string> {
  const uses = new Map<string, number>();
  visit(operation, {
    VariableDefinition: () => false,
    Variable: (node) => {
      uses.set(node.name.value, (uses.get(node.name.value) ?? 0) + 1);
    },
  });
  const asForm = new Map<string, number>();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    for (const argument of selection.arguments ?? []) {
      if (argument.name.value === FORM_ARGUMENT && argument.value.kind === Kind.VARIABLE) {
        const name = argument.value.name.value;
        asForm.set(name, (asForm.get(name) ?? 0) + 1);
      }
    }
  }
  // A variable used in a fragment is used beyond the form.
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    visit(definition, {
      Variable: (node) => {
        asForm.delete(node.name.value);
      },
    });
  }
  return new Set([...asForm].filter(([name, count]) => uses.get(name) === count).map(([name]) => name));
}

/** graphql-js's refusal of a variable's value (`Variable "$input" got invalid value …`). */
const isVariableError = (error: GraphQLError): boolean =>
  error.message.startsWith('Variable "$') && !(error.originalError instanceof InvalidInput);

/** Where a re-run request's findings wait for the mutation's resolver, by variable name. */
const FINDINGS = Symbol('typeFindings');

type WithFindings = { [FINDINGS]?: Map<string, FieldError[]> };

/**
 * Wraps the mutations' resolvers once: when the request carries findings for the variable given as a
 * field's `input`, they are attached to the input the resolver receives (a symbol lookup otherwise).
 */
function carryFindings(schema: GraphQLSchema): void {
  const mutations = schema.getMutationType();
  for (const field of Object.values(mutations?.getFields() ?? {})) {
    const resolve = field.resolve;
    if (resolve === undefined) continue;
    field.resolve = (source, args: Record<string, unknown>, context: WithFindings | undefined, info) => {
      const waiting = context?.[FINDINGS];
      if (waiting !== undefined && info.path.prev === undefined) {
        const argument = info.fieldNodes[0].arguments?.find((a) => a.name.value === FORM_ARGUMENT);
        const findings =
          argument?.value.kind === Kind.VARIABLE ? waiting.get(argument.value.name.value) : undefined;
        const form = args[FORM_ARGUMENT];
        if (findings !== undefined) {
          // Never without them: a form holding stand-ins must be refused, so it does not run at all.
          if (form === null || typeof form !== 'object')
            throw new GraphQLError('A refused form lost its findings');
          Object.defineProperty(form, 'typeFindings', { value: findings, enumerable: false });
        }
      }
      return resolve(source, args, context, info);
    };
  }
}

/**
 * The variables of a single mutation with its form's wrong-typed values replaced by stand-ins, and the
 * findings for each form variable; null when graphql-js's own refusal stands (see the module comment).
 */
function repairedRequest(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): { variables: Record<string, unknown>; findings: Map<string, FieldError[]> } | null {
  const definitions = operation.variableDefinitions ?? [];
  // One mutation per request: with two, the other would run while this one is refused.
  if (operation.selectionSet.selections.length !== 1 || definitions.length === 0) return null;
  if (!getVariableValues(schema, definitions, variables).errors) return null;
  const forms = formVariables(document, operation);
  const repaired: Record<string, unknown> = { ...variables };
  const findings = new Map<string, FieldError[]>();
  for (const definition of definitions) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!forms.has(name) || type === undefined || variables[name] === undefined) continue;
    const result = repairForm(name, type, variables[name]);
    if (result === null) continue;
    repaired[name] = result.value;
    findings.set(name, result.findings);
  }
  // Only when the stand-ins leave nothing else wrong: otherwise graphql-js refuses it all, as before.
  if (findings.size === 0 || getVariableValues(schema, definitions, repaired).errors) return null;
  return { variables: repaired, findings };
}

/**
 * The plugin. Requests whose variables graphql-js reads are not touched (nothing runs twice on the
 * common road): only a mutation graphql-js refused for its variables is run again, with stand-ins and
 * its findings, and its answer replaces the refusal.
 */
export function typeFindingsPlugin(): ApolloServerPlugin {
  return {
    async serverWillStart({ schema }) {
      carryFindings(schema);
    },
    async requestDidStart() {
      return {
        async willSendResponse({
          operation,
          document,
          request,
          schema,
          contextValue,
          response,
          errors: refusal,
        }) {
          if (operation?.operation !== 'mutation' || document === undefined) return;
          // Only what would have run: a POST (a mutation sent by GET is refused for that, 405), refused
          // for its variables alone, with nothing run (no `data`). Another refusal beside it (a lone
          // surrogate found by wellFormedVariablesPlugin) keeps the request GraphQL's to refuse whole.
          if (request.http?.method !== 'POST' || response.body.kind !== 'single') return;
          const ranNothing = !('data' in response.body.singleResult);
          if (!ranNothing || !refusal?.length || !refusal.every(isVariableError)) return;
          const repaired = repairedRequest(schema, document, operation, request.variables ?? {});
          if (repaired === null) return;
          (contextValue as WithFindings)[FINDINGS] = repaired.findings;
          const result = await execute({
            schema,
            document,
            contextValue,
            variableValues: repaired.variables,
            operationName: request.operationName ?? undefined,
          });
          // Nothing refused it (the field was skipped by @skip/@include): GraphQL's refusal stands.
          if (!result.errors?.length) return;
          const errors = mergeInputErrors(
            (result.errors ?? []).map((error) => formatError(error.toJSON(), error)),
          );
          // Answered as GraphQL answered the request it refused before anything ran: HTTP 400, no `data`.
          // (Another answer — FORBIDDEN to a caller who may change nothing — is shown as such, with its data.)
          if (errors.length > 0 && errors.every((error) => error.extensions?.code === 'BAD_USER_INPUT')) {
            response.body.singleResult = { errors };
            response.http.status = 400;
          } else {
            response.body.singleResult = {
              ...(result.data !== undefined ? { data: result.data } : {}),
              errors,
            };
            response.http.status = 200;
          }
        },
      };
    },
  };
}
