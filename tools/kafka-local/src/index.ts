// A real Apache Kafka broker (KRaft) as a local process, for `npm start` and the e2e tests.
export * from './local-broker';
export { KafkaLocalError, isPortFree } from './prerequisites';
export { kafkaVersion, resolveClasspath } from './kafka-classpath';
export { createScratchDir } from './scratch-dir';
export * from './local-cluster';
export * from './secure-broker';
export { brokerLayout, serverProperties } from './broker-files';
export type { BrokerSecurity, NodeRole } from './broker-files';
export { freeBrokerPorts, freePort } from './free-ports';
export { checkArguments, UsageError } from './command-line';
export type { KnownArguments } from './command-line';
