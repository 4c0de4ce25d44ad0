// npm run topics -- apply   creates the topics of the registry in libs/events on KAFKA_BROKERS.
import { ALL_TOPICS } from '@platform/events';
import { createKafkaClient, parseKafkaBrokers, provisionTopics, waitForGroupCoordinator } from '@platform/messaging';

async function main(): Promise<void> {
  const command = process.argv[2] ?? 'apply';
  if (command !== 'apply') {
    throw new Error(`unknown command "${command}"; usage: npm run topics -- apply`);
  }
  const brokers = parseKafkaBrokers(process.env.KAFKA_BROKERS);
  const kafka = createKafkaClient({ clientId: 'topics-tool', brokers });
  const report = await provisionTopics(kafka, ALL_TOPICS);
  for (const name of report.created) console.log(`topics: created ${name}`);
  for (const name of report.partitionsIncreased) console.log(`topics: increased partitions of ${name}`);
  await waitForGroupCoordinator(kafka);
  console.log(`topics: ${ALL_TOPICS.length} topics in the registry, ${report.created.length} created, ${report.unchanged.length} already up to date (${brokers.join(',')})`);
}

main().catch((error: Error) => {
  console.error(`topics: ${error.message}`);
  process.exit(1);
});
