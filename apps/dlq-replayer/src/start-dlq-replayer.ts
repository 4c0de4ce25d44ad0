// Starts dlq-replayer from a validated configuration. main.ts and the e2e tests both use it.
import { INestApplication, Logger } from '@nestjs/common';
import { SERVICES } from '@platform/events';
import { startService } from '@platform/service-runtime';
import { DlqReplayerConfig } from './config/dlq-replayer.config';
import { DlqReplayerModule } from './dlq-replayer.module';

export async function startDlqReplayer(config: DlqReplayerConfig): Promise<INestApplication> {
  const app = await startService({
    name: SERVICES.dlqReplayer,
    description: 'Find, inspect, replay and resolve dead letters. Every endpoint needs Authorization: Bearer <DLQ_REPLAYER_TOKEN>.',
    module: DlqReplayerModule.forRoot(config),
    port: config.port,
  });
  if (config.tokenGenerated) {
    new Logger(SERVICES.dlqReplayer).warn(`development mode: generated API token ${config.token} (set DLQ_REPLAYER_TOKEN to choose one)`);
  }
  return app;
}
