/**
 * The GraphQL API end to end, over HTTP, as clients use it. The same suite runs on every store setup:
 * `bootEnv` gives the variables of one app (e.g. a fresh DATA_DIR, or EVENTSTORE_URL/MONGODB_URL of
 * test servers); it is called once per describe, and each describe boots one app.
 */
import { describeAccessRules } from './access-rules.suite';
import { describeAuthAndEdge } from './auth-and-edge.suite';
import { describeCouponRequests } from './coupon-requests.suite';
import { describeInputErrors } from './input-errors.suite';
import { describeRestart } from './restart.suite';
import { describeTicketLifecycle } from './ticket-lifecycle.suite';
import { describeTicketQueries } from './ticket-queries.suite';
import { describeTypedInputErrors } from './typed-input-errors.suite';

/** The environment variables of one app; called once per describe. */
export type BootEnv = () => Promise<Record<string, string>>;

export function describeGraphqlApi(name: string, bootEnv: BootEnv): void {
  describe(`GraphQL API (${name})`, () => {
    describeAuthAndEdge(bootEnv);
    describeInputErrors(bootEnv);
    describeTypedInputErrors(bootEnv);
    describeTicketLifecycle(bootEnv);
    describeTicketQueries(bootEnv);
    describeAccessRules(bootEnv);
    describeCouponRequests(bootEnv);
    describeRestart(bootEnv);
  });
}
