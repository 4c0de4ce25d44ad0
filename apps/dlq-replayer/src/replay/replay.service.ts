// Replays and resolves dead letters. A replay republishes the selected letters, oldest first, to their
// original topic (or a chosen registry topic) with their original key, so per-key order holds, at a
// bounded rate. It never replays a resolved letter, a letter already replayed (unless forced), or one
// past the loop guard; a dry run walks the same path and writes nothing. Every call is audited.
import { BadRequestException, Inject, Injectable, Logger } from '@nestjs/common';
import { findTopic } from '@platform/events';
import { createKafkaClient, EventPublisher } from '@platform/messaging';
import { randomUUID } from 'node:crypto';
import { AuditRepository } from '../audit/audit.repository';
import { DLQ_REPLAYER_CONFIG } from '../config/config.tokens';
import { DlqReplayerConfig } from '../config/dlq-replayer.config';
import { DEAD_LETTER_TOPICS } from '../dead-letters/dead-letter-indexer';
import { DeadLettersRepository, SelectedDeadLetter } from '../dead-letters/dead-letters.repository';
import { replayFailureReason, ReplayedRecord } from './replay-failure';
import { countSkip, countTarget, emptyReport, ReplayReport } from './replay-report';
import { replayHeaders, replayKey } from './replay-headers';
import { ReplayRequest, ResolveRequest } from './replay.request';
import { TargetPartitions } from './target-partitions';

export type ReplayProgress = (done: number, total: number) => void;

@Injectable()
export class ReplayService {
  private readonly logger = new Logger(ReplayService.name);
  private readonly partitions: TargetPartitions;

  constructor(
    @Inject(DLQ_REPLAYER_CONFIG) private readonly config: DlqReplayerConfig,
    private readonly letters: DeadLettersRepository,
    private readonly publisher: EventPublisher,
    private readonly audit: AuditRepository,
  ) {
    this.partitions = new TargetPartitions(createKafkaClient({ clientId: 'dlq-replayer-admin', brokers: config.kafkaBrokers }));
  }

  async replay(dlqTopic: string, request: ReplayRequest, actor: string, onProgress: ReplayProgress = () => undefined): Promise<ReplayReport> {
    assertDeadLetterTopic(dlqTopic);
    if (request.target && request.target !== 'original' && findTopic(request.target)?.kind !== 'events') {
      throw new BadRequestException([`target must be "original" or an event topic of the registry, not ${request.target}`]);
    }
    const dryRun = request.dryRun ?? true;
    const rate = request.ratePerSecond ?? this.config.defaultRatePerSecond;
    const rows = await this.letters.select(dlqTopic, request.select, request.select.messages);
    const report = emptyReport(randomUUID(), dlqTopic, dryRun, rows.length, rate);
    const started = Date.now();
    let sent = 0;
    for (const [index, row] of rows.entries()) {
      const refusal = this.refusal(row, request.force ?? false);
      const target = this.targetOf(row, request.target ?? 'original');
      if (refusal) countSkip(report, refusal);
      else if ('error' in target) {
        report.failed++;
        report.failures.push({ partition: row.partition, offset: row.offset, reason: target.error });
      } else if (dryRun) {
        countTarget(report, target.topic, await this.partitions.partitionFor(target.topic, replayKey(row)));
      } else {
        // Pace sends: message n goes out no earlier than n / rate seconds after the start.
        await sleepUntil(started + (sent * 1000) / rate);
        sent++;
        let record: ReplayedRecord | undefined;
        try {
          record = { key: replayKey(row), value: await this.letters.valueOf(row), headers: replayHeaders(row, report.replayId) };
          const [metadata] = await this.publisher.publishRecords([{ topic: target.topic, ...record }]);
          await this.letters.markReplayed(row, report.replayId);
          countTarget(report, target.topic, metadata.partition);
        } catch (error) {
          report.failed++;
          report.failures.push({ partition: row.partition, offset: row.offset, reason: replayFailureReason(error, target.topic, record) });
        }
      }
      onProgress(index + 1, rows.length);
    }
    // The rate holds over the whole replay: n messages take at least n / rate seconds.
    if (sent > 0) await sleepUntil(started + (sent * 1000) / rate);
    report.durationMs = Date.now() - started;
    await this.audit.record({ actor, action: 'replay', dlqTopic, request: { ...request }, dryRun, result: report });
    this.logger.log(
      `${dryRun ? 'dry run of ' : ''}replay ${report.replayId} by ${actor} on ${dlqTopic}: ${report.selected} selected, ${report.replayed} replayed, ${report.skipped} skipped, ${report.failed} failed`,
    );
    return report;
  }

  async resolve(dlqTopic: string, request: ResolveRequest, actor: string): Promise<{ selected: number; resolved: number }> {
    assertDeadLetterTopic(dlqTopic);
    const rows = await this.letters.select(dlqTopic, request.select, request.select.messages);
    const result = { selected: rows.length, resolved: await this.letters.markResolved(rows) };
    await this.audit.record({ actor, action: 'resolve', dlqTopic, request: { ...request }, dryRun: false, result });
    return result;
  }

  private refusal(row: SelectedDeadLetter, force: boolean): string | undefined {
    if (row.status === 'resolved') return 'resolved';
    if (row.status === 'replayed' && !force) return 'already replayed (use force)';
    if (row.replayCount >= this.config.maxReplays) return `replayed ${row.replayCount} times already (loop guard, max ${this.config.maxReplays})`;
    return undefined;
  }

  private targetOf(row: SelectedDeadLetter, target: string): { topic: string } | { error: string } {
    const name = target === 'original' ? row.originalTopic : target;
    if (!name) return { error: 'no kafka_dlt-original-topic header' };
    const topic = findTopic(name);
    if (!topic || topic.kind !== 'events') return { error: `${name} is not an event topic of the registry` };
    return { topic: topic.name };
  }
}

export function assertDeadLetterTopic(topic: string): void {
  if (!DEAD_LETTER_TOPICS.some((candidate) => candidate.name === topic)) {
    throw new BadRequestException([`${topic} is not a dead-letter topic; known: ${DEAD_LETTER_TOPICS.map((t) => t.name).join(', ')}`]);
  }
}

function sleepUntil(time: number): Promise<void> {
  const wait = time - Date.now();
  return wait > 0 ? new Promise((done) => setTimeout(done, wait)) : Promise.resolve();
}
