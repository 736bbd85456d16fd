import { Inject, Injectable } from '@nestjs/common';
import {
  PROJECTION_STATUS,
  readModelsReady,
  type ProjectionStatus,
} from '../../../application/ports/projection-status.port';
import { API_OPTIONS, type ApiOptions } from '../api-options';

/**
 * Queries that read the read models wait for their first catch-up after a start (up to the
 * read-your-writes bound), so a client never takes a half-restored list for the whole truth; past the
 * bound they answer INTERNAL saying so. Afterwards this costs one resolved promise.
 */
@Injectable()
export class ReadModelsGate {
  constructor(
    @Inject(PROJECTION_STATUS) private readonly projections: ProjectionStatus,
    @Inject(API_OPTIONS) private readonly options: ApiOptions,
  ) {}

  ready(): Promise<void> {
    return readModelsReady(this.projections, this.options.readYourWritesTimeoutMs);
  }
}
