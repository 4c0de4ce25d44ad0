// The consumer side of the contract in one call: decode and validate the message against the topic's
// registry entry, then run the service's handler. A message that can never become a valid event
// (bad JSON, bad envelope, unknown type/version, invalid payload) must not block its partition: it is
// logged with its exact origin and skipped. Errors from the handler itself propagate, so Kafka
// redelivers the message (at-least-once).
import { Logger } from '@nestjs/common';
import { KafkaContext } from '@nestjs/microservices';
import { EventRejection, ParsedEvent, TopicDefinition } from '@platform/events';
import { describeOrigin, messageOrigin, parseReceivedEvent } from './received-event';

export async function consumeEvent(
  topic: TopicDefinition,
  context: KafkaContext,
  logger: Logger,
  handle: (event: ParsedEvent) => Promise<void>,
): Promise<void> {
  let event: ParsedEvent;
  try {
    event = parseReceivedEvent(topic, context);
  } catch (error) {
    if (!(error instanceof EventRejection)) throw error;
    logger.error(`rejected ${describeOrigin(messageOrigin(context))}: ${error.code}: ${error.message}`);
    return;
  }
  await handle(event);
}
