// The secure profile on a real broker (tools/kafka-local --secure): SASL/SCRAM-SHA-512 with one
// principal per service and the registry's ACLs. The services work with their own credentials, and a
// service cannot write another's topic, join another's group, or connect without credentials.
import { SERVICES, TOPICS } from '@platform/events';
import { createKafkaClient, EventPublisher, KafkaAuthorizationError, provisionTopics, waitForGroupCoordinator } from '@platform/messaging';
import { ADMIN_USER, SecureCredentials, startSecureBroker, stopLocalBroker } from '@platform/kafka-local';
import { createScratchDir, freeBrokerPorts, freePort, requestJson, ServiceProcess, startServiceProcess, waitFor } from '@platform/testing';
import { logLevel } from 'kafkajs';
import { rmSync } from 'node:fs';


describe('secure profile: SASL/SCRAM and ACLs from the registry', () => {
  const dir = createScratchDir('secure-', process.env.E2E_STATE_DIR);
  let bootstrap: string;
  let credentials: SecureCredentials;
  let orders: ServiceProcess;
  let inventory: ServiceProcess;
  const as = (user: string, password = credentials.users[user]) => ({ mechanism: 'scram-sha-512' as const, username: user, password });

  beforeAll(async () => {
    // Passwords generated for this run (none in the environment), kept in the run's folder.
    const broker = await startSecureBroker({ port: await freeBrokerPorts(), dir: `${dir}/kafka`, heapMb: 384, env: {} });
    bootstrap = broker.bootstrap;
    credentials = broker.credentials;
    const admin = createKafkaClient({ clientId: 'e2e-secure-admin', brokers: [bootstrap], sasl: as(ADMIN_USER, credentials.adminPassword) });
    await provisionTopics(admin);
    await waitForGroupCoordinator(admin);
    const service = async (name: string, entry: string) =>
      startServiceProcess({
        name,
        entry,
        port: await freePort(),
        env: { KAFKA_BROKERS: bootstrap, DATA_DIR: dir, DATABASE_URL: '', KAFKA_SASL_USERNAME: name, KAFKA_SASL_PASSWORD: credentials.users[name] },
      });
    [orders, inventory] = await Promise.all([
      service(SERVICES.orderService, 'apps/order-service/src/main.ts'),
      service(SERVICES.inventoryService, 'apps/inventory-service/src/main.ts'),
    ]);
  });

  afterAll(async () => {
    expect(await Promise.all([orders?.stop(), inventory?.stop()])).toEqual([0, 0]);
    await stopLocalBroker({ dir: `${dir}/kafka` });
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the order flow with each service on its own credentials', async () => {
    await requestJson('PUT', `${inventory.url}/inventory/SECURE-1`, { available: 5 });
    const { body } = await requestJson('POST', `${orders.url}/orders`, { customerId: 'c-secure', items: [{ sku: 'SECURE-1', quantity: 2 }] });
    const settled = await waitFor(`order ${body.orderId} settled`, async () => {
      const order = (await requestJson('GET', `${orders.url}/orders/${body.orderId}`)).body;
      return order.status !== 'PENDING' ? order : undefined;
    }, { timeoutMs: 30_000 });
    expect(settled.status).toBe('CONFIRMED');
    expect((await requestJson('GET', `${inventory.url}/inventory/SECURE-1`)).body.available).toBe(3);
  });

  it("refuses inventory-service's credentials on order.order-service.created, with a clear error", async () => {
    const publisher = new EventPublisher(createKafkaClient({ clientId: 'e2e-intruder', brokers: [bootstrap], retries: 1, sasl: as(SERVICES.inventoryService) }), SERVICES.inventoryService);
    try {
      const attempt = publisher.publishRecords([{ topic: TOPICS.orderCreated.name, key: 'forged', value: '{}' }]);
      await expect(attempt).rejects.toBeInstanceOf(KafkaAuthorizationError);
      await expect(attempt).rejects.toThrow(
        `inventory-service is not authorized to write to ${TOPICS.orderCreated.name}: a service may write only the topics it owns (ACLs from libs/events access.ts); Kafka said: Not authorized to access topics: [Topic authorization failed]`,
      );
      // its own topics are fine
      await expect(publisher.publishRecords([{ topic: TOPICS.inventoryServiceDeadLetters.name, key: 'k', value: 'own DLQ' }])).resolves.toHaveLength(1);
    } finally {
      await publisher.disconnect();
    }
  });

  it("refuses another service's consumer group, a wrong password, and no credentials at all", async () => {
    const quiet = (sasl?: ReturnType<typeof as>) => createKafkaClient({ clientId: 'e2e-intruder', brokers: [bootstrap], sasl: sasl ?? null, retries: 2, logLevel: logLevel.NOTHING });
    // inventory-service reading its own group's offsets, then order-service's. kafkajs reports the
    // broker's GROUP_AUTHORIZATION_FAILED as "Failed to find group coordinator" (it gives up on each broker).
    const admin = quiet(as(SERVICES.inventoryService)).admin();
    await admin.connect();
    try {
      await expect(admin.fetchOffsets({ groupId: SERVICES.inventoryService, topics: [TOPICS.orderCreated.name] })).resolves.toHaveLength(1);
      await expect(admin.fetchOffsets({ groupId: SERVICES.orderService, topics: [TOPICS.stockReserved.name] })).rejects.toThrow(/group coordinator|Not authorized/);
    } finally {
      await admin.disconnect();
    }
    // a wrong password
    await expect(quiet(as(SERVICES.orderService, 'not-the-password')).admin().connect()).rejects.toThrow(/SASL SCRAM SHA512 authentication failed/);
    // no credentials: the broker answers the version handshake, then closes on anything else
    const anonymous = quiet().admin();
    await expect(anonymous.connect().then(() => anonymous.listTopics())).rejects.toThrow();
    await anonymous.disconnect();
  });
});
