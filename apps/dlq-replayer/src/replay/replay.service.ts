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
import { RecordToSize } from './record-size';
import { predictedRefusal, replayFailureReason } from './replay-failure';
import { countFailure, countSkip, countTarget, emptyReport, ReplayReport } from './replay-report';
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
      else if ('error' in target) countFailure(report, row, target.error);
      else if (dryRun) await this.tryOne(report, row, target.topic);
      else {
        // Pace sends: message n goes out no earlier than n / rate seconds after the start.
        await sleepUntil(started + (sent * 1000) / rate);
        sent++;
        await this.replayOne(report, row, target.topic);
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

  /** A dry run of one letter: where it would go, or the refusal a real replay would meet (a record over the topic's limit). */
  private async tryOne(report: ReplayReport, row: SelectedDeadLetter, topic: string): Promise<void> {
    const refused = predictedRefusal(topic, { key: replayKey(row), valueBytes: row.valueBytes, headers: replayHeaders(row, report.replayId) });
    if (refused) countFailure(report, row, refused);
    else countTarget(report, topic, await this.partitions.partitionFor(topic, replayKey(row)));
  }

  /** Sends one letter, its value read now, and marks it replayed; a failure is counted with its reason. */
  private async replayOne(report: ReplayReport, row: SelectedDeadLetter, topic: string): Promise<void> {
    let record: RecordToSize | undefined;
    try {
      const value = await this.letters.valueOf(row);
      record = { key: replayKey(row), valueBytes: value?.length ?? null, headers: replayHeaders(row, report.replayId) };
      const [metadata] = await this.publisher.publishRecords([{ topic, key: record.key, value, headers: record.headers }]);
      await this.letters.markReplayed(row, report.replayId);
      countTarget(report, topic, metadata.partition);
    } catch (error) {
      countFailure(report, row, replayFailureReason(error, topic, record));
    }
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
