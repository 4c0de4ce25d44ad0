// The consumer-group strategy of the registry, shown on a real broker: two inventory-service instances
// in one group share the partitions of order.order-service.created (each order reserved by exactly one
// of them), while a second group, the broadcast audit-log reader, sees every order.
import { SERVICES, TOPICS } from '@platform/events';
import { createKafkaClient } from '@platform/messaging';
import { recordTopic, ServiceProcess, TopicRecorder, waitFor } from '@platform/testing';
import { placeOrder, setStock, settledOrder, startInventory, startStockFlow, stopStockFlow, StockFlowSystem, uniqueSku } from './support/stock-flow-system';

const AUDIT_GROUP = TOPICS.orderCreated.consumerGroups.find((group) => group.strategy === 'broadcast')?.group as string;

describe('consumer groups: load-sharing inside a group, broadcast across groups', () => {
  let system: StockFlowSystem | undefined;
  let secondInventory: ServiceProcess | undefined;
  let audit: TopicRecorder | undefined;

  afterAll(async () => {
    await secondInventory?.stop();
    await stopStockFlow(system);
    await audit?.stop();
  });

  it('splits orders between two inventory instances and shows every order to the audit group', async () => {
    // given two inventory-service instances (one database) and the audit-log group
    const brokers = (process.env.E2E_KAFKA_BROKERS as string).split(',');
    system = await startStockFlow({ inventoryOnPostgres: true });
    const current = system;
    secondInventory = await startInventory({ ...current.options, dataDir: current.dataDir });
    audit = await recordTopic(brokers, TOPICS.orderCreated.name, AUDIT_GROUP);
    const admin = createKafkaClient({ clientId: 'e2e-groups', brokers }).admin();
    await admin.connect();
    await waitFor('both inventory instances in the group', async () => {
      const [group] = (await admin.describeGroups([SERVICES.inventoryService])).groups;
      return group.state === 'Stable' && group.members.length === 2;
    }, { timeoutMs: 60_000 });
    await admin.disconnect();
    const sku = uniqueSku('groups');
    await setStock(current, sku, 1000);

    // when 30 orders are placed (30 keys spread over the 3 partitions)
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await placeOrder(current, [{ sku, quantity: 1 }]));
    for (const id of ids) expect((await settledOrder(current, id, 30_000)).status).toBe('CONFIRMED');

    // then each order was reserved by exactly one instance, and both took a share
    const reservedBy = (instance: ServiceProcess) => ids.filter((id) => instance.output().includes(`order ${id}: reserved`));
    const first = reservedBy(current.inventory);
    const second = reservedBy(secondInventory);
    expect([...first, ...second].sort()).toEqual([...ids].sort());
    expect(first.filter((id) => second.includes(id))).toEqual([]);
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    // and the broadcast group saw every one of them
    await waitFor('the audit group to see all 30 orders', () => ids.every((id) => audit?.messages.some((message) => message.key === id)));
    console.log(`[groups] instance 1 reserved ${first.length}, instance 2 reserved ${second.length}, audit-log saw all ${ids.length}`);
  });
});
