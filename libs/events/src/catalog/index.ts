// The event catalog: JSON Schemas, schema evolution checks, AsyncAPI and docs/events.md, all generated
// from the registry. A separate entry point (@platform/events/catalog): services never load it.
export * from './event-schemas';
export * from './schema-compatibility';
export * from './released-schemas';
export * from './validate-against-schema';
export * from './asyncapi';
export * from './events-markdown';
