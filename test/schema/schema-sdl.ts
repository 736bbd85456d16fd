/** The API's schema as SDL, built from the resolvers alone (no stores), printed sorted so diffs are stable. */
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { GRAPHQL_RESOLVERS } from '../../src/infrastructure/graphql/graphql-api.module';
import { DateTimeScalar } from '../../src/infrastructure/graphql/scalars/date-time.scalar';
import { TICKET_EVENT_TYPES_SERVED } from '../../src/infrastructure/graphql/types/ticket-event.types';

/** How schema.graphql is printed: sorted, so the file changes only when the schema does. */
export function printSorted(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

/** Builds the code-first schema the way GraphqlApiModule does, without starting anything. */
export async function buildApiSchema(): Promise<GraphQLSchema> {
  const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  try {
    return await app.get(GraphQLSchemaFactory).create(GRAPHQL_RESOLVERS, {
      orphanedTypes: TICKET_EVENT_TYPES_SERVED,
      scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    });
  } finally {
    await app.close();
  }
}
