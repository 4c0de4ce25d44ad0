// npm run kafka:start | kafka:stop | kafka:status [-- --port 9092 --dir .local/kafka]
import { DEFAULT_DIR, DEFAULT_PORT, localBrokerStatus, startLocalBroker, stopLocalBroker } from './local-broker';
import { KafkaLocalError } from './prerequisites';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

async function main(): Promise<void> {
  const command = process.argv[2];
  const dir = option('dir', process.env.KAFKA_LOCAL_DIR ?? DEFAULT_DIR);
  const portText = option('port', process.env.KAFKA_LOCAL_PORT ?? String(DEFAULT_PORT));
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 55535) {
    throw new KafkaLocalError(`--port must be a port number up to 55535 (the controller uses port + 10000), got "${portText}"`);
  }
  const log = (line: string) => console.log(`kafka-local: ${line}`);
  switch (command) {
    case 'start': {
      const broker = await startLocalBroker({ port, dir, log });
      log(broker.alreadyRunning ? `already running (pid ${broker.pid}) at ${broker.bootstrap}` : `ready at ${broker.bootstrap} (pid ${broker.pid}, data in ${broker.dir})`);
      return;
    }
    case 'stop': {
      const pid = await stopLocalBroker({ dir });
      log(pid ? `stopped (pid ${pid})` : 'not running');
      return;
    }
    case 'status': {
      const status = localBrokerStatus({ dir });
      log(status.pid ? `running (pid ${status.pid}, data in ${status.dir})` : `not running (data in ${status.dir})`);
      return;
    }
    default:
      throw new KafkaLocalError('usage: kafka-local start|stop|status [--port 9092] [--dir .local/kafka]');
  }
}

main().catch((error: Error) => {
  console.error(error instanceof KafkaLocalError ? `kafka-local: ${error.message}` : error);
  process.exit(1);
});
