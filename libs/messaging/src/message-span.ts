// The span and log context of one consumed message. Built for every message of every batch, so it
// does the least it can up front: the envelope is parsed for its ids only when a log line or a
// recorded span needs them, and the trace headers are written only when the handler asks for them.
import { DetachedSpan, EventLogContext, SpanKind, startDetachedSpan, withEventContext } from '@platform/observability';
import { IHeaders, KafkaMessage } from 'kafkajs';
import { BatchMessage } from './event-batch';

export interface MessagePosition {
  topic: string;
  partition: number;
  groupId: string;
}

export class MessageInSpan implements BatchMessage {
  readonly span: DetachedSpan;
  private logContext?: EventLogContext;
  private headers?: Record<string, string>;

  constructor(
    readonly message: KafkaMessage,
    private readonly position: MessagePosition,
  ) {
    this.span = startDetachedSpan(`process ${position.topic}`, {
      kind: SpanKind.CONSUMER,
      parentHeaders: traceContextHeaders(message.headers),
      attributes: () => messageSpanAttributes(position, message.offset, this.eventLogContext().eventId),
    });
  }

  get traceHeaders(): Record<string, string> {
    return (this.headers ??= this.span.headers());
  }

  /** A bound function, not a method: handlers pass it around on its own (`{ inContext } = message`). */
  readonly inContext = <T>(work: () => T): T => this.span.run(() => withEventContext(() => this.eventLogContext(), work));

  eventLogContext(): EventLogContext {
    const { topic, partition } = this.position;
    return (this.logContext ??= { ...envelopeIds(this.message.value), topic, partition, offset: this.message.offset });
  }
}

/** The OpenTelemetry messaging attributes of a consumer span. */
export function messageSpanAttributes({ topic, partition, groupId }: MessagePosition, offset: string, eventId: string | undefined) {
  return {
    'messaging.system': 'kafka',
    'messaging.operation.type': 'process',
    'messaging.destination.name': topic,
    'messaging.destination.partition.id': String(partition),
    'messaging.kafka.offset': Number(offset),
    'messaging.consumer.group.name': groupId,
    ...(eventId ? { 'messaging.message.id': eventId } : {}),
  };
}

/** The W3C trace context and baggage headers as text: all the propagator reads of a message's headers. */
export function traceContextHeaders(headers: IHeaders | undefined): Record<string, string | undefined> {
  return { traceparent: headerText(headers?.traceparent), tracestate: headerText(headers?.tracestate), baggage: headerText(headers?.baggage) };
}

export function headerText(value: IHeaders[string]): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.map(String).join(',') : String(value);
}

/** The envelope's ids for log lines, if the value is an envelope at all (a poison message is not). */
export function envelopeIds(value: Buffer | string | null): Pick<EventLogContext, 'eventId' | 'correlationId' | 'eventType'> {
  try {
    const envelope = JSON.parse(String(value ?? '')) as Record<string, unknown>;
    const text = (field: unknown) => (typeof field === 'string' ? field : undefined);
    return { eventId: text(envelope.eventId), correlationId: text(envelope.correlationId), eventType: text(envelope.type) };
  } catch {
    return {};
  }
}
