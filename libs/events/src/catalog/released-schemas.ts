// Where released event versions live: libs/events/schemas/<topic>/v<N>.json (the JSON Schema, never
// edited after release) and v<N>.example.json (a fixture both producers' and consumers' tests use).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventDefinition } from '../event-definition';
import { TopicDefinition } from '../topics';
import { JsonSchema } from './event-schemas';

export const SCHEMAS_DIR = join(__dirname, '..', '..', 'schemas');

export function releasedSchemaFile(topic: TopicDefinition, definition: EventDefinition): string {
  return join(SCHEMAS_DIR, topic.name, `v${definition.version}.json`);
}

export function exampleFile(topic: TopicDefinition, definition: EventDefinition): string {
  return join(SCHEMAS_DIR, topic.name, `v${definition.version}.example.json`);
}

export function readReleasedSchema(topic: TopicDefinition, definition: EventDefinition): JsonSchema | undefined {
  const file = releasedSchemaFile(topic, definition);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

export function readExample(topic: TopicDefinition, definition: EventDefinition): Record<string, unknown> {
  return JSON.parse(readFileSync(exampleFile(topic, definition), 'utf8'));
}
