// Kafka's error codes reach us wrapped: kafkajs's retrier and our publisher wrap the protocol error
// (originalError, cause). Asking for one means looking down the chain.

/** Whether the error, or one it wraps, is Kafka's error `type` (kafkajs's name) or `code`. */
export function hasKafkaError(error: unknown, type: string, code: number): boolean {
  for (let current = error as { type?: string; code?: number; originalError?: unknown; cause?: unknown } | undefined, depth = 0; current && depth < 5; depth++) {
    if (current.type === type || current.code === code) return true;
    current = (current.originalError ?? current.cause) as typeof current;
  }
  return false;
}
