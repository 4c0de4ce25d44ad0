export * from './order-created.v1';
export * from './order-created.v2';
