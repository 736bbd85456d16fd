/** Injection token for the GraphQL API's own settings, taken from the configuration at start. */
export const API_OPTIONS = Symbol('ApiOptions');

export interface ApiOptions {
  /** HS256 secret the bearer tokens are signed with. */
  jwtSecret: string;
  /** How long a mutation waits for the read models to include its events before answering. */
  readYourWritesTimeoutMs: number;
  /** Development: Apollo's landing page (Sandbox) at GET /graphql. */
  landingPage: boolean;
}
