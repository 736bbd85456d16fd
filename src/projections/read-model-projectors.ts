import { couponRequestsProjector } from './coupon-requests.projector';
import { correspondenceProjector } from './correspondence.projector';
import type { Projector } from './projector';
import { ticketProjector } from './ticket.projector';

/** Every read model's projector, in the order each event is applied (tickets first: others read it). */
export const READ_MODEL_PROJECTORS: readonly Projector[] = [
  ticketProjector,
  correspondenceProjector,
  couponRequestsProjector,
];
