// JSON Schemas of the messages on the bus, generated from the class-validator classes (the classes are
// the source of truth; the schemas are what other teams and tools read). A message schema is the
// envelope with `type`/`version` fixed and the payload schema of that event version.
// class-transformer ships no types for this internal entry; its metadata lets nested @Type classes become $refs.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage');
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { EventDefinition } from '../event-definition';
import { TopicDefinition } from '../topics';

export type JsonSchema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const cache = new Map<string, Record<string, JsonSchema>>();

/** Every class's schema, with nested classes referenced as `${refPrefix}<ClassName>`. */
export function classSchemas(refPrefix: string): Record<string, JsonSchema> {
  let schemas = cache.get(refPrefix);
  if (!schemas) {
    schemas = validationMetadatasToSchemas({ refPointerPrefix: refPrefix, classTransformerMetadataStorage: defaultMetadataStorage });
    cache.set(refPrefix, schemas);
  }
  return schemas;
}

export function schemaName(definition: EventDefinition): string {
  return `${definition.type}V${definition.version}`;
}

/** The envelope around one event version; `payload` points at `payloadRef`. */
export function envelopeSchema(definition: EventDefinition, payloadRef: string): JsonSchema {
  return {
    type: 'object',
    required: ['eventId', 'type', 'version', 'occurredAt', 'aggregateId', 'correlationId', 'causationId', 'source', 'payload'],
    properties: {
      eventId: { type: 'string', format: 'uuid' },
      type: { const: definition.type },
      version: { const: definition.version },
      occurredAt: { type: 'string', format: 'date-time' },
      aggregateId: { type: 'string', minLength: 1 },
      correlationId: { type: 'string', minLength: 1, description: 'the business flow, e.g. the orderId' },
      causationId: { type: ['string', 'null'], format: 'uuid', description: 'eventId of the event that caused this one' },
      source: { type: 'string', minLength: 1, description: 'the publishing service' },
      payload: { $ref: payloadRef },
    },
  };
}

/** A self-contained schema of one event version's message, as committed under libs/events/schemas. */
export function messageSchema(topic: TopicDefinition, definition: EventDefinition): JsonSchema {
  const schemas = classSchemas('#/definitions/');
  const payloadClass = definition.payloadClass.name;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `urn:event-bus:${topic.name}:v${definition.version}`,
    title: `${definition.type} v${definition.version} on ${topic.name}`,
    ...envelopeSchema(definition, `#/definitions/${payloadClass}`),
    definitions: referencedDefinitions(payloadClass, schemas),
  };
}

/** The payload class's schema and every class it references, by name. */
export function referencedDefinitions(root: string, schemas: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const found: Record<string, JsonSchema> = {};
  const visit = (name: string) => {
    if (found[name]) return;
    const schema = schemas[name];
    if (!schema) throw new Error(`no JSON schema for class ${name}`);
    found[name] = schema;
    for (const ref of JSON.stringify(schema).matchAll(/"\$ref":"[^"]*\/([A-Za-z0-9_]+)"/g)) visit(ref[1]);
  };
  visit(root);
  return Object.fromEntries(Object.entries(found).sort(([a], [b]) => a.localeCompare(b)));
}
