// Consumer lag as a gauge {group, topic, partition}. Each consumer in the process registers a source
// that reads its group's lag from the broker; the gauge asks every source when Prometheus scrapes,
// so the value is as fresh as the scrape and costs nothing between scrapes.
import { gauge } from './registry';
import { METRIC_NAMES } from './metric-names';

export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  lag: number;
}

export type LagSource = () => Promise<PartitionLag[]>;

const sources = new Set<LagSource>();

/** Adds a lag source; returns the function that removes it (call it when the consumer stops). */
export function registerLagSource(source: LagSource): () => void {
  sources.add(source);
  gauge({
    name: METRIC_NAMES.consumerLag,
    help: "Messages not yet consumed: the partition's end offset minus the group's committed offset.",
    labelNames: ['group', 'topic', 'partition'],
    async collect() {
      const lags = (await Promise.all([...sources].map((read) => read().catch(() => [] as PartitionLag[])))).flat();
      this.reset();
      for (const { group, topic, partition, lag } of lags) this.set({ group, topic, partition: String(partition) }, lag);
    },
  });
  return () => void sources.delete(source);
}
