// Plan and apply in one call, for `npm start` and the e2e setup: the registry's topics on whatever
// cluster is there, replication capped at its broker count. Never destructive.
import { Kafka } from 'kafkajs';
import { applyTopicPlan } from './apply-topic-plan';
import { planTopics, PlanOptions } from './plan-topics';
import { TopicChange, TopicPlan } from './topic-plan';

export async function provisionTopics(kafka: Kafka, options: PlanOptions = { fitToCluster: true }): Promise<{ plan: TopicPlan; applied: TopicChange[] }> {
  const plan = await planTopics(kafka, options);
  const applied = await applyTopicPlan(kafka, plan);
  return { plan, applied };
}
