// Public surface of the event contract. Consumers import from '@platform/events' only.
// class-transformer's @Type reads decorator metadata: load the polyfill before any event class.
import 'reflect-metadata';
export * from './event-definition';
export * from './services';
export * from './topics';
export * from './envelope/event-envelope';
export * from './envelope/create-envelope';
export * from './envelope/event-rejection';
export * from './envelope/parse-event';
export * from './validation/validate-instance';
export * from './validation/nul-path';
export { compiledClassCheck } from './validation/compiled-checks';
export * from './order-service';
export * from './inventory-service';
export * from './access';
