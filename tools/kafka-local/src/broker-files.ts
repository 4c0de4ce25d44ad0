// The files a local broker runs from, all under its data directory: server.properties (a
// single-node KRaft combined broker+controller), the log4j2 configuration, the pid file and logs.
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

export function serverProperties(layout: BrokerLayout, ports: BrokerPorts): string {
  return [
    '# Written by tools/kafka-local on every start; edit the generator, not this file.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=localhost:${ports.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${ports.port},CONTROLLER://127.0.0.1:${ports.controllerPort}`,
    `advertised.listeners=PLAINTEXT://localhost:${ports.port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${layout.dataDir}`,
    // Topics come from the registry in libs/events (npm run topics), never from a typo in a client.
    'auto.create.topics.enable=false',
    'num.partitions=3',
    'default.replication.factor=1',
    // One node: internal topics cannot have more replicas than brokers, or groups never get a coordinator.
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // A new group starts at once instead of waiting 3 s for more members: faster starts and tests.
    'group.initial.rebalance.delay.ms=0',
    'log.retention.hours=168',
    'log.segment.bytes=104857600',
    '',
  ].join('\n');
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
