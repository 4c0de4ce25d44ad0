// dlq_letters{topic, status}: the dead letters in the index, read from the database at each scrape,
// so a dashboard shows what waits for an operator (open) beside what was replayed or resolved.
import { Injectable, OnModuleInit } from '@nestjs/common';
import { gauge, METRIC_NAMES } from '@platform/observability';
import { DEAD_LETTER_TOPICS } from './dead-letter-indexer';
import { DeadLettersRepository } from './dead-letters.repository';

@Injectable()
export class DeadLetterMetrics implements OnModuleInit {
  constructor(private readonly letters: DeadLettersRepository) {}

  onModuleInit(): void {
    const letters = this.letters;
    gauge({
      name: METRIC_NAMES.dlqLetters,
      help: 'Dead letters indexed by dlq-replayer, by DLQ topic and status (open, replayed, resolved).',
      labelNames: ['topic', 'status'],
      async collect() {
        try {
          for (const topic of DEAD_LETTER_TOPICS) {
            const { byStatus } = await letters.summary(topic.name);
            for (const [status, count] of Object.entries(byStatus)) this.set({ topic: topic.name, status }, count);
          }
        } catch {
          // database unreachable right now: keep the last values; /health/ready reports it
        }
      },
    });
  }
}
