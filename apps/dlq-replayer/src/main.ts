// dlq-replayer entry point: validate configuration (exit with one line if bad), then start.
import 'reflect-metadata';
import { loadConfigOrExit, runService } from '@platform/service-runtime';
import { loadDlqReplayerConfig } from './config/dlq-replayer.config';
import { startDlqReplayer } from './start-dlq-replayer';

const config = loadConfigOrExit('dlq-replayer', () => loadDlqReplayerConfig());
runService(() => startDlqReplayer(config), 'dlq-replayer');
