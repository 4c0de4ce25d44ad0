// What a replay did (or, for a dry run, would do): counts, why messages were skipped, where they went.
export interface ReplayReport {
  replayId: string;
  dlqTopic: string;
  dryRun: boolean;
  selected: number;
  replayed: number;
  skipped: number;
  failed: number;
  skippedReasons: Record<string, number>;
  /** target topic → partition → messages */
  targets: Record<string, Record<string, number>>;
  failures: { partition: number; offset: number; reason: string }[];
  ratePerSecond: number;
  durationMs: number;
}

export function emptyReport(replayId: string, dlqTopic: string, dryRun: boolean, selected: number, ratePerSecond: number): ReplayReport {
  return { replayId, dlqTopic, dryRun, selected, replayed: 0, skipped: 0, failed: 0, skippedReasons: {}, targets: {}, failures: [], ratePerSecond, durationMs: 0 };
}

export function countSkip(report: ReplayReport, reason: string): void {
  report.skipped++;
  report.skippedReasons[reason] = (report.skippedReasons[reason] ?? 0) + 1;
}

export function countTarget(report: ReplayReport, topic: string, partition: number): void {
  report.replayed++;
  const partitions = (report.targets[topic] ??= {});
  partitions[partition] = (partitions[partition] ?? 0) + 1;
}

export function countFailure(report: ReplayReport, letter: { partition: number; offset: number }, reason: string): void {
  report.failed++;
  report.failures.push({ partition: letter.partition, offset: letter.offset, reason });
}
