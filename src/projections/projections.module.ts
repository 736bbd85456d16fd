import { Global, Module } from '@nestjs/common';
import { PROJECTION_STATUS } from '../application/ports/projection-status.port';
import { PROJECTORS, ProjectionRunner } from './projection-runner';
import { READ_MODEL_PROJECTORS } from './read-model-projectors';

/** The runner and what it applies; it starts on application bootstrap and stops on shutdown. */
export const PROJECTION_PROVIDERS = [
  { provide: PROJECTORS, useValue: READ_MODEL_PROJECTORS },
  ProjectionRunner,
  { provide: PROJECTION_STATUS, useExisting: ProjectionRunner },
];

/**
 * The read models' feed. Needs EVENT_STORE and READ_STORE from a global module (StoresModule); exports
 * PROJECTION_STATUS (read-your-writes, /health, rebuild). Global, so the query side can wait for the
 * read models too (the retention audit's verification) without importing this layer.
 */
@Global()
@Module({
  providers: PROJECTION_PROVIDERS,
  exports: [PROJECTION_STATUS, ProjectionRunner],
})
export class ProjectionsModule {}
