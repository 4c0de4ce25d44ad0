// docs/events.md: the registry as a page a service team reads: every topic, who writes and reads it,
// and the fields of each event version.
import { ALL_ALLOWED_DOMAINS_NOTE, ALL_TOPICS, TopicDefinition } from '../topics';
import { classSchemas, JsonSchema } from './event-schemas';

export function buildEventsMarkdown(): string {
  const schemas = classSchemas('#/definitions/');
  const lines = [
    '# Events and topics',
    '',
    'Generated from `libs/events` by `npm run catalog`; do not edit by hand. Machine-readable: `docs/asyncapi.yaml`;',
    'the JSON Schema of every released event version: `libs/events/schemas/<topic>/v<N>.json`.',
    '',
    `Topic names follow \`<domain>.<service>.<event-or-purpose>\`. ${ALL_ALLOWED_DOMAINS_NOTE}`,
    'Inside one consumer group the instances share the partitions (load-sharing); every group receives every event (broadcast).',
    '',
    '| topic | owner | key | partitions | replicas (min in-sync) | retention | consumer groups |',
    '|---|---|---|---|---|---|---|',
    ...ALL_TOPICS.map(
      (topic) =>
        `| \`${topic.name}\` | ${topic.owner} | ${topic.key} | ${topic.partitions} | ${topic.replicationFactor} (${topic.minInSyncReplicas}) | ${days(topic.retentionMs)}, ${topic.cleanupPolicy} | ${topic.consumerGroups.map((group) => `${group.group} (${group.strategy})`).join(', ') || '—'} |`,
    ),
    '',
  ];
  for (const topic of ALL_TOPICS) lines.push(...topicSection(topic, schemas));
  return `${lines.join('\n').trimEnd()}\n`;
}

function topicSection(topic: TopicDefinition, schemas: Record<string, JsonSchema>): string[] {
  const lines = [`## \`${topic.name}\``, ''];
  for (const group of topic.consumerGroups) lines.push(`- read by **${group.group}** (${group.strategy}): ${group.purpose}`);
  if (topic.kind === 'dead-letter') {
    lines.push(`- dead letters of ${topic.owner}: original key, value and headers, plus \`kafka_dlt-*\`, \`x-attempts\`, \`x-first-failure-at\`, \`x-last-failure-at\``);
  }
  if (topic.maxMessageBytes !== undefined) {
    lines.push(`- accepts records up to ${topic.maxMessageBytes.toLocaleString('en')} bytes (\`max.message.bytes\`; other topics: the broker's 1 MiB), so the dead letter of any record an event topic accepts fits`);
  }
  lines.push('');
  topic.events.forEach((definition, index) => {
    const current = index === topic.events.length - 1;
    lines.push(`### ${definition.type} v${definition.version}${current ? ' (current)' : ''}`, '');
    if (definition.upcastFrom) lines.push(`Consumers upcast v${definition.upcastFrom.definition.version} messages to this version.`, '');
    lines.push('| field | type | required | constraints |', '|---|---|---|---|');
    lines.push(...fieldRows(schemas[definition.payloadClass.name], schemas, 'payload'), '');
  });
  return lines;
}

function fieldRows(schema: JsonSchema, schemas: Record<string, JsonSchema>, prefix: string): string[] {
  const required: string[] = schema.required ?? [];
  return Object.entries<JsonSchema>(schema.properties ?? {}).flatMap(([field, property]) => {
    const path = `${prefix}.${field}`;
    const nested = property.items?.$ref ?? property.$ref;
    const type = property.type === 'array' ? `array of ${nested ? 'object' : property.items?.type}` : (property.type ?? 'object');
    const constraints = Object.entries(property)
      .filter(([key]) => !['type', 'items', '$ref'].includes(key))
      .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
      .join(', ');
    const row = `| \`${path}\` | ${type} | ${required.includes(field) ? 'yes' : 'no'} | ${constraints || '—'} |`;
    const child = nested ? schemas[nested.split('/').pop() as string] : undefined;
    return [row, ...(child ? fieldRows(child, schemas, property.type === 'array' ? `${path}[]` : path) : [])];
  });
}

function days(ms: number): string {
  return `${ms / 86_400_000} days`;
}
