import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { GraphQLModule } from '@nestjs/graphql';
import { API_OPTIONS, type ApiOptions } from './api-options';
import { requestContextFactory } from './auth/request-context';
import { formatError } from './errors/format-error';
import { BoundedDocumentStore } from './bounded-document-store';
import { typeFindingsPlugin } from './errors/type-findings.plugin';
import { wellFormedVariablesPlugin } from './errors/well-formed-variables.plugin';
import { responseSizePlugin } from './limits/response-size.plugin';
import { rootFieldLimitRule } from './limits/root-field-limit.rule';
import { repeatedFieldRule } from './limits/repeated-field.rule';
import { noSubscriptionsRule } from './limits/no-subscriptions.rule';
import { GraphqlExceptionFilter } from './errors/graphql-exception.filter';
import { InputValidationPipe } from './inputs/input-validation.pipe';
import { complexityLimitRule } from './limits/complexity-limit.rule';
import { depthLimitRule } from './limits/depth-limit.rule';
import { CallerResolver } from './resolvers/caller.resolver';
import { CouponRequestQueryResolver } from './resolvers/coupon-request-query.resolver';
import { TicketHistoryResolver } from './resolvers/ticket-history.resolver';
import { TicketMutationResolver } from './resolvers/ticket-mutation.resolver';
import { ReadModelsGate } from './resolvers/read-models-gate';
import { TicketQueryResolver } from './resolvers/ticket-query.resolver';
import { DateTimeScalar } from './scalars/date-time.scalar';
import { TICKET_EVENT_TYPES_SERVED } from './types/ticket-event.types';

/** Every resolver of the API. */
export const GRAPHQL_RESOLVERS = [
  CallerResolver,
  TicketQueryResolver,
  TicketHistoryResolver,
  CouponRequestQueryResolver,
  TicketMutationResolver,
];

/**
 * The most tokens a query's text may have. The standard introspection query has about 180, a list page
 * selecting every field a few hundred; without a bound, 900 KB of repeated directives (300,000 tokens)
 * held the server for 1.8 s in parsing and validation, answering nobody else.
 */
export const MAX_QUERY_TOKENS = 10_000;

/** Apollo's settings for this API: schema from the code, auth in the context, errors mapped, limits on. */
export function apolloConfig(options: ApiOptions): ApolloDriverConfig {
  return {
    driver: ApolloDriver,
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    buildSchemaOptions: {
      orphanedTypes: TICKET_EVENT_TYPES_SERVED,
      scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    },
    // Every request needs a token anyway; clients and the contract check introspect with one.
    introspection: true,
    playground: false,
    plugins: [
      // No HTTP caching of answers and no Apollo Studio: without these, Apollo hooks every resolved field.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      options.landingPage
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true })
        : ApolloServerPluginLandingPageDisabled(),
      wellFormedVariablesPlugin(),
      typeFindingsPlugin(),
      responseSizePlugin(),
    ],
    // Parsed queries kept for reuse, bounded by count (bounded-document-store.ts); and no automatic
    // persisted queries: no client here uses them, and Apollo's cache of them grew with every hash sent
    // (160,000 registrations took 36 MB, unbounded in practice).
    documentStore: new BoundedDocumentStore(),
    persistedQueries: false,
    includeStacktraceInErrorResponses: false,
    context: requestContextFactory(options.jwtSecret),
    formatError,
    parseOptions: { maxTokens: MAX_QUERY_TOKENS },
    validationRules: [
      noSubscriptionsRule(),
      depthLimitRule(),
      complexityLimitRule(),
      rootFieldLimitRule(),
      repeatedFieldRule(),
    ],
  };
}

/**
 * The GraphQL API on Apollo Server (Fastify). Needs the QueryBus and CommandBus (CqrsModule, shared
 * with the application) and PROJECTION_STATUS (for read-your-writes) from the modules in `imports`.
 */
@Module({})
export class GraphqlApiModule {
  static register(options: ApiOptions, imports: ModuleMetadata['imports'] = []): DynamicModule {
    return {
      module: GraphqlApiModule,
      imports: [CqrsModule, GraphQLModule.forRoot<ApolloDriverConfig>(apolloConfig(options)), ...imports],
      providers: [
        { provide: API_OPTIONS, useValue: options },
        { provide: APP_PIPE, useClass: InputValidationPipe },
        { provide: APP_FILTER, useClass: GraphqlExceptionFilter },
        ReadModelsGate,
        ...GRAPHQL_RESOLVERS,
      ],
    };
  }
}
