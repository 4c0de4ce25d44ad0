import { TOPICS } from '@platform/events';
import { KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { recordBatchBytes } from './record-size';
import { predictedRefusal, replayFailureReason } from './replay-failure';

describe('replay failure reasons', () => {
  const record = { key: 'order-1', valueBytes: 1_048_600, headers: { 'x-replay-id': 'r-1' } };
  const tooLarge = () =>
    // What kafkajs builds from the broker's error code 10 (its typings take an Error).
    new KafkaJSProtocolError(
      Object.assign(new Error('The request included a message larger than the max message size the server will accept'), { type: 'MESSAGE_TOO_LARGE', code: 10, retriable: false }),
    );

  it('names the record’s size and the topic’s limit when the topic refuses it as too large, wrapped or not', () => {
    const expected = `${TOPICS.orderCreated.name} refused the record as too large: a record batch of 1,048,697 bytes, and it accepts 1,048,588 (max.message.bytes); resolve the letter, or replay it to a topic that takes it`;
    expect(recordBatchBytes(record)).toBe(1_048_697);
    expect(replayFailureReason(tooLarge(), TOPICS.orderCreated.name, record)).toBe(expected);
    expect(replayFailureReason(new KafkaJSNonRetriableError(tooLarge()), TOPICS.orderCreated.name, record)).toBe(expected);
  });

  it('keeps any other failure’s own message', () => {
    expect(replayFailureReason(new Error('no answer from the broker'), TOPICS.orderCreated.name, record)).toBe('no answer from the broker');
    expect(replayFailureReason(tooLarge(), TOPICS.orderCreated.name, undefined)).toMatch(/larger than the max message size/);
  });

  it('predicts the refusal for a dry run from the record’s batch and the registry’s limit, to the byte', () => {
    const limit = 1_048_588;
    // the largest value whose batch fits (the varints of the lengths shrink with the value)
    let valueBytes = record.valueBytes;
    while (recordBatchBytes({ ...record, valueBytes }) > limit) valueBytes--;
    const fits = { ...record, valueBytes };
    expect(recordBatchBytes(fits)).toBe(limit);

    expect(predictedRefusal(TOPICS.orderCreated.name, fits)).toBeUndefined();
    expect(predictedRefusal(TOPICS.orderCreated.name, { ...fits, valueBytes: fits.valueBytes + 1 })).toMatch(
      /^order\.order-service\.created would refuse the record as too large: a record batch of 1,048,589 bytes, and it accepts 1,048,588/,
    );
    // a dead-letter topic takes 2 MiB
    expect(predictedRefusal(TOPICS.orderServiceDeadLetters.name, record)).toBeUndefined();
  });
});
