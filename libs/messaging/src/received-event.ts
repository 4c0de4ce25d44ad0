// The bridge between Nest's Kafka context and the contract: decode and validate the raw value
// against the topic's registry entry, and describe where the message came from for logs.
import { KafkaContext } from '@nestjs/microservices';
import { parseEvent, ParsedEvent, TopicDefinition } from '@platform/events';

export interface MessageOrigin {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
}

export function messageOrigin(context: KafkaContext): MessageOrigin {
  const message = context.getMessage();
  return {
    topic: context.getTopic(),
    partition: context.getPartition(),
    offset: message.offset,
    key: message.key ? message.key.toString() : null,
  };
}

export function describeOrigin(origin: MessageOrigin): string {
  return `${origin.topic}[${origin.partition}]@${origin.offset} key=${origin.key ?? '-'}`;
}

/**
 * The received message as a validated event of the topic. Throws EventRejection when it is not one:
 * never worth retrying, so ReliableKafkaServer dead-letters it at once with the reason.
 */
export function receiveEvent(topic: TopicDefinition, context: KafkaContext): ParsedEvent {
  return parseEvent(topic, context.getMessage().value);
}
