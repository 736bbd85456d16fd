/** GraphQL over HTTP as a client sends it: a JSON POST to /graphql with a bearer token. */

/**
 * Response data as tests read it: nested JSON whose shape the query chose, checked by expectations.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shape is the query's, asserted field by field
export type Data = Record<string, any>;

export interface GraphqlError {
  message: string;
  path?: (string | number)[];
  extensions?: {
    code?: string;
    fields?: { path: string; message: string }[];
    rule?: string;
    guidance?: string;
    expectedVersion?: number | null;
    actualVersion?: number | null;
    [key: string]: unknown;
  };
}

export interface GraphqlResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: GraphqlError[];
}

export class GraphqlClient {
  constructor(
    readonly url: string,
    private readonly token: string | null,
  ) {}

  /** The same client with another caller's token (null: none). */
  as(token: string | null): GraphqlClient {
    return new GraphqlClient(this.url, token);
  }

  /** Sends one operation; answers the HTTP status and the parsed body. */
  async send<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphqlResponse<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.token !== null) headers.authorization = `Bearer ${this.token}`;
    const response = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T | null; errors?: GraphqlError[] };
    return { status: response.status, ...body };
  }

  /** Sends one operation that must succeed; answers its data. */
  async ok<T = Data>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await this.send<T>(query, variables);
    if (result.errors?.length || !result.data) {
      throw new Error(`GraphQL failed (${result.status}): ${JSON.stringify(result.errors)}`);
    }
    return result.data;
  }

  /** Sends one operation that must fail; answers its first error. */
  async error(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphqlError & { status: number }> {
    const result = await this.send(query, variables);
    const first = result.errors?.[0];
    if (!first) throw new Error(`Expected an error, got ${JSON.stringify(result.data)}`);
    return { ...first, status: result.status };
  }
}
