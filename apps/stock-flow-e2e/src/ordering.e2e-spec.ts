// Seed demo 3, asserted where Kafka makes a promise: one idempotent producer writing keyed events keeps
// every key's order, without loss or duplicates, even when the broker restarts mid-run. The
// several-producers case breaks order by design; it is reported here, not asserted (npm run demo:ordering).
import { keyedIdempotent, severalProducers } from '@platform/demos';
import { createKafkaClient, waitForGroupCoordinator } from '@platform/messaging';
import { LocalTestBroker, startLocalTestBroker } from '@platform/testing';

describe('ordering', () => {
  let broker: LocalTestBroker | undefined;

  afterAll(async () => {
    await broker?.stop();
  });

  it('keeps per-key order with one keyed idempotent producer across a broker restart', async () => {
    broker = await startLocalTestBroker((line) => console.log(`[ordering] ${line}`));
    const current = broker;
    await waitForGroupCoordinator(createKafkaClient({ clientId: 'e2e-ordering', brokers: current.brokers }));

    const report = await keyedIdempotent({
      brokers: current.brokers,
      events: 5_000,
      keys: 20,
      partitions: 3,
      midRun: async () => {
        await current.pause();
        await current.resume();
      },
    });

    expect(report).toEqual({ received: 5_000, keys: 20, outOfOrder: 0, duplicates: 0, missing: 0 });
    const several = await severalProducers({ brokers: current.brokers, events: 1_000 });
    console.log(`[ordering] two producers on one key: ${several.outOfOrder} of ${several.received} arrived out of business order (reported, not asserted)`);
  });
});
