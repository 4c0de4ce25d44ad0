// A TCP port nobody listens on right now, for services started by tests (kept with the broker ports in tools/kafka-local).
export { freeBrokerPorts, freePort } from '@platform/kafka-local';
