// The dlq-replayer CLI: the same operations as the HTTP API, for a terminal.
//   npm run dlq -- list [<dlq-topic>] [--original-topic T] [--exception E] [--key K] [--status S] [--limit N]
//   npm run dlq -- show <dlq-topic> <partition> <offset>
//   npm run dlq -- replay <dlq-topic> [filters] [--messages 0:12,2:7] [--target T] [--execute] [--rate N] [--force]
//   npm run dlq -- resolve <dlq-topic> [filters] [--messages 0:12] [--note "why"]
//   npm run dlq -- audit [--limit N]
// Talks to a running dlq-replayer at DLQ_REPLAYER_URL (default http://localhost:3003) with
// DLQ_REPLAYER_TOKEN. A replay is a dry run unless --execute is given.
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { CliArgs, parseArgs, selectionFrom, USAGE } from './cli-args';
import { progressBar } from './progress-bar';

const baseUrl = (process.env.DLQ_REPLAYER_URL ?? 'http://localhost:3003').replace(/\/$/, '');

async function call(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<Response> {
  const token = process.env.DLQ_REPLAYER_TOKEN;
  if (!token) throw new Error('set DLQ_REPLAYER_TOKEN (the token the replayer was started with)');
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      accept,
      'x-actor': `cli:${userInfo().username}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch((error: Error) => {
    throw new Error(`cannot reach dlq-replayer at ${baseUrl} (${error.message}); is it running? (npm start)`);
  });
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${await response.text()}`);
  return response;
}

const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

async function run({ positionals, options }: CliArgs): Promise<void> {
  const [command, topic, ...rest] = positionals;
  switch (command) {
    case 'list': {
      if (!topic) return print(await (await call('GET', '/dlq')).json());
      const query = new URLSearchParams(selectionFrom(options) as Record<string, string>);
      if (typeof options.limit === 'string') query.set('limit', options.limit);
      if (typeof options.cursor === 'string') query.set('cursor', options.cursor);
      const page = (await (await call('GET', `/dlq/${topic}/messages?${query}`)).json()) as { items: Record<string, unknown>[]; nextCursor: string | null };
      for (const item of page.items) {
        console.log(`${item.partition}:${item.offset}\t${item.status}\t${item.timestamp}\t${item.key}\t${item.exception}\t${item.exceptionMessage}`);
      }
      if (page.nextCursor) console.log(`more: --cursor ${page.nextCursor}`);
      return;
    }
    case 'show':
      return print(await (await call('GET', `/dlq/${topic}/messages/${rest[0]}/${rest[1]}`)).json());
    case 'replay': {
      const body = {
        select: selectionFrom(options),
        target: typeof options.target === 'string' ? options.target : 'original',
        dryRun: options.execute !== true,
        ratePerSecond: typeof options.rate === 'string' ? Number(options.rate) : undefined,
        force: options.force === true,
      };
      const response = await call('POST', `/dlq/${topic}/replay`, body, 'application/x-ndjson');
      const bar = progressBar(body.dryRun ? 'dry run' : 'replaying');
      for await (const line of createInterface({ input: Readable.fromWeb(response.body as never) })) {
        const message = JSON.parse(line);
        if (message.progress) bar(message.progress.done, message.progress.total);
        if (message.report) print(message.report);
        if (message.error) throw new Error(`replay stopped: ${message.error}`);
      }
      if (body.dryRun) console.error('dry run: nothing was written; add --execute to replay');
      return;
    }
    case 'resolve':
      return print(await (await call('POST', `/dlq/${topic}/resolve`, { select: selectionFrom(options), note: options.note })).json());
    case 'audit':
      return print(await (await call('GET', `/dlq/audit?limit=${typeof options.limit === 'string' ? options.limit : 20}`)).json());
    default:
      throw new Error(USAGE);
  }
}

// Inside the promise: a refused command line is reported like any other error.
Promise.resolve()
  .then(() => run(parseArgs(process.argv.slice(2))))
  .catch((error: Error) => {
    console.error(`dlq: ${error.message}`);
    process.exit(1);
  });
