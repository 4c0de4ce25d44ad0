// The services' logger: pino, one JSON object per line, behind Nest's LoggerService so every
// `new Logger(context)` in the code base (and kafkajs, routed through it) writes the same format.
// A line written while an event is handled carries eventId, correlationId and the trace id.
// LOG_FORMAT=pretty prints the same fields as one readable line (npm start uses it); LOG_LEVEL sets the level.
import type { LoggerService } from '@nestjs/common';
import pino, { DestinationStream, Logger as Pino } from 'pino';
import { currentTraceId } from '../tracing/tracing';
import { currentEventContext } from './event-context';

export type LogFormat = 'json' | 'pretty';

export interface JsonLoggerOptions {
  service: string;
  format?: LogFormat;
  level?: string;
  /** Where lines go; standard output by default. */
  destination?: DestinationStream;
}

export class JsonLogger implements LoggerService {
  readonly pino: Pino;

  constructor(options: JsonLoggerOptions) {
    const format = options.format ?? 'json';
    // Synchronous writes: a line logged just before process.exit() is never lost.
    const stdout = options.destination ?? pino.destination({ dest: 1, sync: true });
    this.pino = pino(
      {
        level: options.level ?? 'info',
        base: { service: options.service },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        mixin: () => ({ ...eventFields(), ...traceFields() }),
      },
      format === 'pretty' ? prettyStream(stdout) : stdout,
    );
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }
  /** Nest calls error(message, stack?, context?). */
  error(message: unknown, ...rest: unknown[]): void {
    const stack = rest.length >= 2 && typeof rest[0] === 'string' && rest[0].includes('\n') ? (rest.shift() as string) : undefined;
    this.write('error', message, rest, stack ? { stack } : {});
  }

  private write(level: pino.Level, message: unknown, rest: unknown[], extra: Record<string, unknown> = {}): void {
    // Nest passes the logger's context as the last argument.
    const context = typeof rest.at(-1) === 'string' ? (rest.at(-1) as string) : undefined;
    if (message instanceof Error) {
      this.pino[level]({ context, err: message, ...extra }, message.message);
    } else if (message && typeof message === 'object') {
      const { message: text, ...fields } = message as Record<string, unknown>;
      this.pino[level]({ context, ...fields, ...extra }, typeof text === 'string' ? text : JSON.stringify(message));
    } else {
      this.pino[level]({ context, ...extra }, String(message));
    }
  }
}

function eventFields(): Record<string, unknown> {
  const event = currentEventContext();
  if (!event) return {};
  return { eventId: event.eventId, correlationId: event.correlationId, eventType: event.eventType, topic: event.topic, partition: event.partition, offset: event.offset };
}

function traceFields(): Record<string, unknown> {
  const traceId = currentTraceId();
  return traceId ? { traceId } : {};
}

/** LOG_FORMAT / LOG_LEVEL from the environment, validated. */
export function logSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): { format: LogFormat; level: string } {
  const format = (env.LOG_FORMAT ?? 'json').trim() || 'json';
  if (format !== 'json' && format !== 'pretty') throw new Error(`LOG_FORMAT must be json or pretty, got "${format}"`);
  const level = (env.LOG_LEVEL ?? 'info').trim() || 'info';
  if (!Object.keys(pino.levels.values).includes(level)) throw new Error(`LOG_LEVEL must be one of ${Object.keys(pino.levels.values).join(', ')}, got "${level}"`);
  return { format, level };
}

const SHOWN_IN_PRETTY = ['eventId', 'correlationId', 'traceId'];

/** One readable line per record: time, level, [context], message, then the ids. */
function prettyStream(out: DestinationStream): DestinationStream {
  return {
    write(line: string) {
      const record = JSON.parse(line) as Record<string, unknown>;
      const time = String(record.time ?? '').slice(11, 23);
      const ids = SHOWN_IN_PRETTY.filter((key) => record[key]).map((key) => `${key}=${record[key]}`);
      const stack = record.stack ? `\n${record.stack}` : '';
      out.write(`${time} ${String(record.level).toUpperCase().padEnd(5)} [${record.context ?? '-'}] ${record.msg}${ids.length ? `  ${ids.join(' ')}` : ''}${stack}\n`);
    },
  };
}
