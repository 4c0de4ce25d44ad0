// The files a local broker runs from, all under its data directory: server.properties (a KRaft
// combined broker+controller, alone or one node of a cluster), the log4j2 configuration, the pid file and logs.
import { join } from 'node:path';

export interface BrokerLayout {
  root: string;
  dataDir: string;
  logsDir: string;
  configFile: string;
  log4jFile: string;
  pidFile: string;
  stdoutFile: string;
}

export function brokerLayout(root: string): BrokerLayout {
  return {
    root,
    dataDir: join(root, 'data'),
    logsDir: join(root, 'logs'),
    configFile: join(root, 'config', 'server.properties'),
    log4jFile: join(root, 'config', 'log4j2.properties'),
    pidFile: join(root, 'broker.pid'),
    stdoutFile: join(root, 'logs', 'broker.out'),
  };
}

export interface BrokerPorts {
  port: number;
  controllerPort: number;
}

/** One node of a local cluster: its id, the static controller quorum, and the replication it enforces. */
export interface NodeRole {
  nodeId: number;
  /** `1@localhost:19092,2@localhost:19093,…` for a cluster; undefined for a single standalone node. */
  voters?: string;
  /** Replicas of internal topics and the default of new topics: the cluster's broker count. */
  replicationFactor: number;
  minInSyncReplicas: number;
}

export const SINGLE_NODE: NodeRole = { nodeId: 1, replicationFactor: 1, minInSyncReplicas: 1 };

/** The secure profile: clients authenticate with SASL/SCRAM-SHA-512 and are authorized by ACLs. */
export interface BrokerSecurity {
  /** The broker's own (inter-broker) and the operators' super user. */
  adminUser: string;
  adminPassword: string;
}

export function serverProperties(layout: BrokerLayout, ports: BrokerPorts, role: NodeRole = SINGLE_NODE, security?: BrokerSecurity): string {
  const quorum = role.voters ? `controller.quorum.voters=${role.voters}` : `controller.quorum.bootstrap.servers=localhost:${ports.controllerPort}`;
  const client = security ? 'SASL_PLAINTEXT' : 'PLAINTEXT';
  return [
    '# Written by tools/kafka-local on every start; edit the generator, not this file.',
    'process.roles=broker,controller',
    `node.id=${role.nodeId}`,
    quorum,
    `listeners=${client}://127.0.0.1:${ports.port},CONTROLLER://127.0.0.1:${ports.controllerPort}`,
    `advertised.listeners=${client}://localhost:${ports.port}`,
    'controller.listener.names=CONTROLLER',
    `listener.security.protocol.map=${client}:${client},CONTROLLER:PLAINTEXT`,
    `inter.broker.listener.name=${client}`,
    ...(security ? secureProperties(security) : []),
    `log.dirs=${layout.dataDir}`,
    // Topics come from the registry in libs/events (npm run topics), never from a typo in a client.
    'auto.create.topics.enable=false',
    'num.partitions=3',
    `default.replication.factor=${role.replicationFactor}`,
    `min.insync.replicas=${role.minInSyncReplicas}`,
    // A replica that missed writes never becomes leader: an acknowledged write is never lost.
    'unclean.leader.election.enable=false',
    // Internal topics cannot have more replicas than brokers, or groups never get a coordinator.
    `offsets.topic.replication.factor=${role.replicationFactor}`,
    'offsets.topic.num.partitions=10',
    `transaction.state.log.replication.factor=${role.replicationFactor}`,
    `transaction.state.log.min.isr=${role.minInSyncReplicas}`,
    `share.coordinator.state.topic.replication.factor=${role.replicationFactor}`,
    `share.coordinator.state.topic.min.isr=${role.minInSyncReplicas}`,
    // A new group starts at once instead of waiting 3 s for more members: faster starts and tests.
    'group.initial.rebalance.delay.ms=0',
    'log.retention.hours=168',
    'log.segment.bytes=104857600',
    '',
  ].join('\n');
}

/**
 * SASL/SCRAM on the client listener, ACLs enforced (no ACL = no access). SCRAM credentials live in the
 * cluster metadata, written at format time (--add-scram). The controller listener stays plaintext on
 * 127.0.0.1: its peers are this machine's nodes (ANONYMOUS there is a super user, as KRaft needs for
 * broker registration); clients only ever reach the SASL listener.
 */
function secureProperties(security: BrokerSecurity): string[] {
  const jaas = `org.apache.kafka.common.security.scram.ScramLoginModule required username="${security.adminUser}" password="${security.adminPassword}";`;
  return [
    'sasl.enabled.mechanisms=SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    `listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=${jaas}`,
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    `super.users=User:${security.adminUser};User:ANONYMOUS`,
    'allow.everyone.if.no.acl.found=false',
  ];
}

export function log4jProperties(layout: BrokerLayout): string {
  return [
    'status = warn',
    'appender.file.type = RollingFile',
    'appender.file.name = FILE',
    `appender.file.fileName = ${join(layout.logsDir, 'server.log')}`,
    `appender.file.filePattern = ${join(layout.logsDir, 'server.log.%i')}`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'appender.file.policies.type = Policies',
    'appender.file.policies.size.type = SizeBasedTriggeringPolicy',
    'appender.file.policies.size.size = 20MB',
    'appender.file.strategy.type = DefaultRolloverStrategy',
    'appender.file.strategy.max = 3',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.file.ref = FILE',
    '',
  ].join('\n');
}
