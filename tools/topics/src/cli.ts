// Topic provisioning from the registry in libs/events, against KAFKA_BROKERS (default localhost:9092):
//   npm run topics -- plan   [--replication-factor N]
//   npm run topics -- apply  [--replication-factor N] [--allow-destructive]
//   npm run topics -- acls   (as a super user: KAFKA_SASL_USERNAME/PASSWORD; the registry's ACLs)
// plan prints the difference (missing topics, partitions, config drift) and changes nothing; apply
// makes the changes, idempotently, and never deletes a topic unless --allow-destructive is given.
import { accessRules, ALL_TOPICS, describeRule } from '@platform/events';
import {
  applyAcls,
  applyTopicPlan,
  createKafkaClient,
  formatPlan,
  parseKafkaBrokers,
  planTopics,
  TopicProvisioningError,
  waitForGroupCoordinator,
} from '@platform/messaging';
import { checkArguments } from '@platform/kafka-local';

const USAGE = 'usage: npm run topics -- plan|apply [--replication-factor N] [--allow-destructive] | acls';

async function main(argv: string[]): Promise<void> {
  checkArguments(argv, { values: ['replication-factor'], flags: ['allow-destructive'], positionals: 1 }, USAGE);
  const command = argv[0];
  if (command === 'acls') return applyRegistryAcls();
  if (command !== 'plan' && command !== 'apply') {
    throw new TopicProvisioningError(USAGE);
  }
  const rfIndex = argv.indexOf('--replication-factor');
  const rfText = rfIndex >= 0 ? argv[rfIndex + 1] : process.env.TOPICS_REPLICATION_FACTOR;
  const replicationFactor = rfText === undefined ? undefined : Number(rfText);
  if (replicationFactor !== undefined && !(Number.isInteger(replicationFactor) && replicationFactor >= 1)) {
    throw new TopicProvisioningError(`--replication-factor must be a positive integer, got "${rfText}"`);
  }
  const brokers = parseKafkaBrokers(process.env.KAFKA_BROKERS);
  // Fail within seconds, not half a minute, when the cluster is not there.
  const kafka = createKafkaClient({ clientId: 'topics-tool', brokers, retries: 2 });
  const plan = await planTopics(kafka, { replicationFactor });
  console.log(`topics: ${ALL_TOPICS.length} topics in the registry, cluster ${brokers.join(',')} with ${plan.brokers} broker(s)`);
  console.log(formatPlan(plan));
  if (command === 'plan' || plan.changes.length === 0) return;
  const applied = await applyTopicPlan(kafka, plan, { allowDestructive: argv.includes('--allow-destructive') });
  await waitForGroupCoordinator(kafka);
  console.log(`topics: applied ${applied.length} change(s)`);
}

/** The secure profile's ACLs (libs/events access.ts) on KAFKA_BROKERS, with the caller's (admin) credentials. */
async function applyRegistryAcls(): Promise<void> {
  const brokers = parseKafkaBrokers(process.env.KAFKA_BROKERS);
  const admin = createKafkaClient({ clientId: 'topics-tool', brokers, retries: 2 }).admin();
  await admin.connect();
  try {
    const count = await applyAcls(admin);
    for (const rule of accessRules()) console.log(`  allow ${describeRule(rule)}`);
    console.log(`topics: ${count} ACLs applied on ${brokers.join(',')}`);
  } finally {
    await admin.disconnect();
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  const where = error.message.startsWith('cannot reach') ? ` (KAFKA_BROKERS=${process.env.KAFKA_BROKERS ?? 'localhost:9092'})` : '';
  console.error(`topics: ${error.message}${where}`);
  process.exit(1);
});
