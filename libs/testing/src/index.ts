// e2e helpers: a real broker, services as real processes, conditions instead of sleeps.
export * from './wait-for';
export * from './test-broker';
export * from './service-process';
export * from './free-port';
export * from './http-client';
export { createScratchDir } from '@platform/kafka-local';
export * from './topic-recorder';
export * from './metrics';
