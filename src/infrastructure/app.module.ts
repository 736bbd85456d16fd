import { type DynamicModule, Module } from '@nestjs/common';
import { ApplicationModule } from '../application/application.module';
import { QueriesModule } from '../application/queries/queries.module';
import { ProjectionsModule } from '../projections/projections.module';
import type { Config } from './config/config';
import { GraphqlApiModule } from './graphql/graphql-api.module';
import { HealthController } from './http/health.controller';
import { StoresModule } from './stores/stores.module';

/**
 * The whole engine for one configuration:
 * - StoresModule (global): the configured event store and read store, clock, ids, ticket policy;
 * - ProjectionsModule: the runner that feeds the read models from the event store (PROJECTION_STATUS);
 * - QueriesModule: the query handlers over the read store (and the auto-close candidates);
 * - ApplicationModule: the command handlers and the auto-close policy;
 * - GraphqlApiModule: Apollo on Fastify at /graphql; HealthController: GET /health.
 */
@Module({})
export class AppModule {
  /** `startUpStop`: see StoresModule.forConfig. */
  static forConfig(config: Config, startUpStop?: AbortSignal): DynamicModule {
    return {
      module: AppModule,
      imports: [
        StoresModule.forConfig(config, startUpStop),
        ProjectionsModule,
        QueriesModule,
        ApplicationModule.register({
          imports: [QueriesModule],
          autoCloseIntervalMs: config.autoCloseIntervalMs,
        }),
        GraphqlApiModule.register(
          {
            jwtSecret: config.jwtSecret,
            readYourWritesTimeoutMs: config.readYourWritesTimeoutMs,
            landingPage: config.nodeEnv !== 'production',
          },
          [ProjectionsModule],
        ),
      ],
      controllers: [HealthController],
    };
  }
}
