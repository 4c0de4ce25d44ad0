// Readiness of the Kafka connection: one admin client per service, kept connected (kafkajs reconnects
// it), asked for the cluster's brokers on each (cached) probe.
import { Admin, Kafka } from 'kafkajs';

export function brokerHealthCheck(kafka: Kafka): { name: string; check(): Promise<void> } {
  let admin: Admin | undefined;
  return {
    name: 'kafka',
    async check() {
      if (!admin) {
        const candidate = kafka.admin();
        await candidate.connect();
        admin = candidate;
      }
      const { brokers } = await admin.describeCluster();
      if (brokers.length === 0) throw new Error('the cluster reports no brokers');
    },
  };
}
