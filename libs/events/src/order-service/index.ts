export * from './order-created.v1';
