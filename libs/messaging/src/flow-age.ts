// How long ago the flow of each message a consumer processed began — `flow.started_at` in the
// baggage it carries, stamped when order-service received the HTTP request — into
// eventbus_flow_age_seconds by topic and group: the end-to-end latency up to every hop of a flow,
// always on, without exporting traces. Messages without the baggage (published by tools) are skipped.
import { flowStartedAtOf, messagingMetrics } from '@platform/observability';
import { KafkaMessage } from 'kafkajs';
import { headerText } from './message-span';

export function observeFlowAge(labels: { topic: string; group: string }, messages: readonly KafkaMessage[], at = Date.now()): void {
  for (const message of messages) {
    const startedAt = flowStartedAtOf(headerText(message.headers?.baggage));
    // Clocks of two machines may disagree by a little: a negative age is recorded as 0.
    if (startedAt !== undefined) messagingMetrics.flowAge().observe(labels, Math.max(0, at - startedAt) / 1000);
  }
}
