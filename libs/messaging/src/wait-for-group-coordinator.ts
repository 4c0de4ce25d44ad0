// On a brand-new cluster the group coordinator (__consumer_offsets) is created on first use and
// answers "coordinator is loading" for a moment, which makes every consumer log a crash and restart.
// Asking for a group once, with retries, absorbs that before the services start.
import { Kafka } from 'kafkajs';

export async function waitForGroupCoordinator(kafka: Kafka): Promise<void> {
  const admin = kafka.admin({ retry: { retries: 20, initialRetryTime: 200, maxRetryTime: 2000 } });
  await admin.connect();
  try {
    await admin.describeGroups(['platform-warm-up']);
  } finally {
    await admin.disconnect();
  }
}
