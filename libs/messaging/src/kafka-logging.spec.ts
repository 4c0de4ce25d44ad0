// kafkajs's log lines in the service's log: a broker's retriable error answer is a warning, not an error.
import { Logger } from '@nestjs/common';
import { logLevel, LogEntry } from 'kafkajs';
import { kafkaLogCreator } from './kafka-logging';

describe('kafkaLogCreator', () => {
  const entry = (level: logLevel, message: string, extra: object = {}): LogEntry => ({
    namespace: 'Connection',
    level,
    label: 'ERROR',
    log: { timestamp: '2026-11-28T21:30:28.374Z', message, ...extra },
  });
  let error: jest.SpyInstance;
  let warn: jest.SpyInstance;
  beforeEach(() => {
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());
  const log = (logEntry: LogEntry) => kafkaLogCreator('kafkajs:test')()(logEntry);

  it('logs a transient answer of a starting cluster as a warning that says kafkajs retries it', () => {
    log(entry(logLevel.ERROR, 'Response GroupCoordinator(key: 10, version: 2)', { error: 'The group coordinator is not available', correlationId: 2 }));
    log(entry(logLevel.ERROR, 'Response InitProducerId(key: 22, version: 1)', { error: "The coordinator is loading and hence can't process requests for this group" }));

    expect(error).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0][0]).toMatch(/^Response GroupCoordinator.*The group coordinator is not available.*\(transient: kafkajs retries it\)$/);
  });

  it('keeps every other error an error', () => {
    log(entry(logLevel.ERROR, 'Response Produce(key: 0, version: 7)', { error: 'The request included a message larger than the max message size the server will accept' }));
    log(entry(logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded', { error: 'The group coordinator is not available' }));
    // retriable for Kafka, but a misconfiguration here: a topic that does not exist
    log(entry(logLevel.ERROR, 'Response Metadata(key: 3, version: 6)', { error: 'This server does not host this topic-partition' }));

    expect(error).toHaveBeenCalledTimes(3);
    expect(warn).not.toHaveBeenCalled();
  });
});
