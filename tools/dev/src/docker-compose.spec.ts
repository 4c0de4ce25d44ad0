// docker-compose.yml cannot run here (no Docker engine), so its promises are checked as data: three
// KRaft brokers (no ZooKeeper), replication 3 with min.insync.replicas 2, Kafka UI on all brokers,
// PostgreSQL, and listeners that a host-side service can reach.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { brokerLayout, serverProperties } from '@platform/kafka-local';

interface ComposeService {
  image: string;
  environment: Record<string, string | number>;
  ports?: string[];
}

const compose = parse(readFileSync(join(__dirname, '..', '..', '..', 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, ComposeService> };
const brokers = Object.entries(compose.services).filter(([name]) => /^kafka-\d$/.test(name));

describe('docker-compose.yml', () => {
  it('runs three KRaft brokers and no ZooKeeper', () => {
    expect(brokers).toHaveLength(3);
    expect(Object.keys(compose.services).some((name) => name.includes('zookeeper'))).toBe(false);
    for (const [, broker] of brokers) {
      expect(broker.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller');
      expect(String(broker.environment.KAFKA_CONTROLLER_QUORUM_VOTERS).split(',')).toHaveLength(3);
    }
  });

  it('replicates every topic three times and needs two in-sync replicas to accept a write', () => {
    for (const [, broker] of brokers) {
      expect(broker.environment).toMatchObject({
        KAFKA_DEFAULT_REPLICATION_FACTOR: 3,
        KAFKA_MIN_INSYNC_REPLICAS: 2,
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: 3,
        KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
        KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE: 'false',
      });
    }
  });

  it('gives every broker a distinct node id and a host port it advertises', () => {
    const ids = brokers.map(([, broker]) => broker.environment.KAFKA_NODE_ID);
    expect(new Set(ids).size).toBe(3);
    for (const [, broker] of brokers) {
      const hostPort = broker.ports?.[0].split(':')[0];
      expect(String(broker.environment.KAFKA_ADVERTISED_LISTENERS)).toContain(`EXTERNAL://localhost:${hostPort}`);
    }
  });

  it('wires kafbat Kafka UI to all three brokers, and has PostgreSQL', () => {
    const ui = compose.services['kafka-ui'];
    expect(ui.image).toMatch(/^ghcr\.io\/kafbat\/kafka-ui:/);
    expect(String(ui.environment.KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS).split(',')).toHaveLength(3);
    expect(compose.services.postgres.image).toMatch(/^postgres:/);
  });
});

describe('docker-compose.yml secure profile', () => {
  const secure = (compose.services as Record<string, ComposeService & { profiles?: string[]; volumes?: string[] }>)['kafka-secure'];
  const script = readFileSync(join(__dirname, '..', '..', '..', 'tools/kafka-local/docker/secure-broker.sh'), 'utf8');

  it('runs only with --profile secure, with every password taken from the environment', () => {
    expect(secure.profiles).toEqual(['secure']);
    const passwords = Object.entries(secure.environment).filter(([name]) => name.includes('PASSWORD'));
    expect(passwords.map(([name]) => name).sort()).toEqual(
      ['KAFKA_ADMIN_PASSWORD', 'KAFKA_PASSWORD_DLQ_REPLAYER', 'KAFKA_PASSWORD_INVENTORY_SERVICE', 'KAFKA_PASSWORD_NOTIFICATION_LAMBDA', 'KAFKA_PASSWORD_ORDER_SERVICE'],
    );
    for (const [, value] of passwords) expect(String(value)).toMatch(/^\$\{[A-Z_]+:\?.*\}$/);
    expect(secure.volumes).toContain('./tools/kafka-local/docker/secure-broker.sh:/opt/event-bus/secure-broker.sh:ro');
  });

  it('configures SASL/SCRAM and the ACL authorizer exactly as npm run kafka:start -- --secure does', () => {
    const local = serverProperties(brokerLayout('/tmp/x'), { port: 9192, controllerPort: 9193 }, undefined, { adminUser: 'admin', adminPassword: 'p' })
      .split('\n')
      .filter((line) => /^(sasl\.|authorizer\.|super\.users|allow\.everyone|inter\.broker)/.test(line));
    expect(local.length).toBeGreaterThanOrEqual(6);
    for (const line of local) expect(script).toContain(line);
    expect(script).toContain('listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${KAFKA_ADMIN_PASSWORD}";');
    for (const user of ['order-service', 'inventory-service', 'dlq-replayer', 'notification-lambda']) expect(script).toContain(`[name=${user},password=`);
  });
});
