import {
  ConnectionHealth,
  withoutEmptyNote,
} from '../../src/infrastructure/event-store/eventstoredb/connection-health';

describe('EventStoreDB connection health', () => {
  it("leaves out gRPC's empty resolution note, and keeps one that says something", () => {
    const health = new ConnectionHealth();
    health.down('append', 'No connection established. Last error: connect ECONNREFUSED. Resolution note: ');
    expect(health.current()).toEqual({
      connected: false,
      reason: 'No connection established. Last error: connect ECONNREFUSED.',
    });
    expect(withoutEmptyNote('No addresses resolved. Resolution note: DNS lookup failed')).toBe(
      'No addresses resolved. Resolution note: DNS lookup failed',
    );
  });
});
