// Readiness of this process's consumers. kafkajs restarts a crashed consumer unless the error is one it
// does not retry (a dead letter the broker refuses for good, say); that consumer then stays stopped while
// the process, its HTTP and its broker connection live on, and only a restart gets it going again. This
// check is how an orchestrator (or an operator on /health/ready) finds out.

/** Why each stopped consumer stopped, by consumer (ReliableKafkaServer marks and clears its own entry). */
const stoppedConsumers = new Map<object, string>();

export function markConsumerStopped(consumer: object, reason: string): void {
  stoppedConsumers.set(consumer, reason);
}

export function markConsumerRunning(consumer: object): void {
  stoppedConsumers.delete(consumer);
}

export function consumerHealthCheck(): { name: string; check(): Promise<void> } {
  return {
    name: 'consumer',
    async check() {
      if (stoppedConsumers.size > 0) throw new Error([...stoppedConsumers.values()].join('; '));
    },
  };
}
