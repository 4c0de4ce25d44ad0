// The AWS Lambda entry point (handler "index.handler" in the deployed zip). Typed with
// @types/aws-lambda's Kafka event; works for Amazon MSK and self-managed Kafka event sources.
import 'reflect-metadata';
import type { Context } from 'aws-lambda';
import { KafkaEvent } from './kafka-event';
import { depsFromEnv, NotificationDeps } from './notification-config';
import { BatchOutcome, notifyOrderConfirmed } from './notify-order-confirmed';

let deps: NotificationDeps | undefined;

export async function handler(event: KafkaEvent, _context?: Context): Promise<BatchOutcome> {
  deps ??= depsFromEnv(); // once per container: Lambda reuses it between invocations
  const outcome = await notifyOrderConfirmed(event, deps);
  console.log(JSON.stringify({ message: 'batch handled', ...outcome }));
  return outcome;
}
