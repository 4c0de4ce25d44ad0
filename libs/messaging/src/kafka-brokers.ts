// KAFKA_BROKERS is a comma list of host:port bootstrap addresses. Parsed strictly at start-up, so a
// typo stops the service with one clear line instead of endless reconnect warnings.
export const DEFAULT_KAFKA_BROKERS = 'localhost:9092';

export function parseKafkaBrokers(value: string | undefined): string[] {
  const raw = value?.trim() || DEFAULT_KAFKA_BROKERS;
  const brokers = raw.split(',').map((part) => part.trim());
  for (const broker of brokers) {
    const match = /^(?<host>[A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(?<port>\d{1,5})$/.exec(broker);
    const port = Number(match?.groups?.port);
    if (!match || port < 1 || port > 65535) {
      throw new Error(
        `KAFKA_BROKERS must be a comma list of host:port (e.g. localhost:9092,localhost:9093); "${broker}" is not`,
      );
    }
  }
  return brokers;
}
