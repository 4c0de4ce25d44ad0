// The AsyncAPI 3.0 document of the bus, generated from the registry: a channel per topic (with its
// Kafka bindings), a message per event version with its JSON Schema, and the send/receive operations
// of every service and consumer group.
import { SERVICES } from '../services';
import { ALL_TOPICS, TopicDefinition } from '../topics';
import { classSchemas, envelopeSchema, JsonSchema, referencedDefinitions, schemaName } from './event-schemas';

const COMPONENT_PREFIX = '#/components/schemas/';

export function buildAsyncApi(): JsonSchema {
  const classes = classSchemas(COMPONENT_PREFIX);
  const channels: JsonSchema = {};
  const operations: JsonSchema = {};
  const messages: JsonSchema = {};
  const schemas: JsonSchema = {};

  for (const topic of ALL_TOPICS) {
    const channel = channelId(topic);
    const channelMessages: JsonSchema = {};
    for (const definition of topic.events) {
      const name = schemaName(definition);
      channelMessages[name] = { $ref: `#/components/messages/${name}` };
      messages[name] = {
        name: definition.type,
        title: `${definition.type} v${definition.version}`,
        contentType: 'application/json',
        payload: { $ref: `${COMPONENT_PREFIX}${name}` },
        bindings: { kafka: { key: { type: 'string', description: topic.key }, bindingVersion: '0.5.0' } },
      };
      schemas[name] = envelopeSchema(definition, `${COMPONENT_PREFIX}${definition.payloadClass.name}`);
      Object.assign(schemas, referencedDefinitions(definition.payloadClass.name, classes));
    }
    if (topic.kind === 'dead-letter') {
      channelMessages.DeadLetter = { $ref: '#/components/messages/DeadLetter' };
    }
    channels[channel] = {
      address: topic.name,
      description: describeTopic(topic),
      messages: channelMessages,
      bindings: {
        kafka: {
          partitions: topic.partitions,
          replicas: topic.replicationFactor,
          topicConfiguration: {
            'cleanup.policy': [topic.cleanupPolicy],
            'retention.ms': topic.retentionMs,
            ...(topic.maxMessageBytes === undefined ? {} : { 'max.message.bytes': topic.maxMessageBytes }),
          },
          bindingVersion: '0.5.0',
        },
      },
    };
    const sent = Object.keys(channelMessages).map((name) => ({ $ref: `#/channels/${channel}/messages/${name}` }));
    operations[`${camel(topic.owner)}Sends${pascal(channel)}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${channel}` },
      summary: topic.kind === 'dead-letter' ? `${topic.owner} dead-letters messages it could not process` : `${topic.owner} publishes`,
      messages: topic.kind === 'dead-letter' ? sent : sent.slice(-1),
    };
    for (const consumer of topic.consumerGroups) {
      operations[`${camel(consumer.group)}Receives${pascal(channel)}`] = {
        action: 'receive',
        channel: { $ref: `#/channels/${channel}` },
        summary: `${consumer.group} (${consumer.strategy}): ${consumer.purpose}`,
        messages: sent,
        bindings: { kafka: { groupId: { type: 'string', enum: [consumer.group] }, bindingVersion: '0.5.0' } },
      };
    }
  }
  messages.DeadLetter = {
    name: 'DeadLetter',
    title: 'A message a consumer could not process',
    summary: 'The original key, value and headers, plus kafka_dlt-* headers saying where it came from and why it failed.',
    contentType: 'application/octet-stream',
    payload: {},
  };
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Event bus platform',
      version: '1.0.0',
      description: `Every event between ${Object.values(SERVICES).join(', ')}. Generated from libs/events by \`npm run catalog\`; do not edit by hand.`,
    },
    defaultContentType: 'application/json',
    servers: {
      local: { host: 'localhost:9092', protocol: 'kafka', description: 'npm start (tools/kafka-local)' },
      compose: { host: 'localhost:19092', protocol: 'kafka', description: 'docker-compose.yml (3 brokers)' },
    },
    channels,
    operations,
    components: { messages, schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))) },
  };
}

export function describeTopic(topic: TopicDefinition): string {
  const readers = topic.consumerGroups.map((group) => `${group.group} (${group.strategy})`).join(', ') || 'nobody';
  return `Owned by ${topic.owner}. Key: ${topic.key}. Read by ${readers}.`;
}

function channelId(topic: TopicDefinition): string {
  return topic.name.replace(/[^a-zA-Z0-9]+(.)/g, (_, letter: string) => letter.toUpperCase());
}

function camel(name: string): string {
  return name.replace(/-(.)/g, (_, letter: string) => letter.toUpperCase());
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
