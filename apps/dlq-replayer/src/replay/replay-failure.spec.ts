import { TOPICS } from '@platform/events';
import { KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { replayFailureReason } from './replay-failure';

describe('replay failure reasons', () => {
  const record = { key: 'order-1', value: Buffer.alloc(1_048_600), headers: { 'x-replay-id': 'r-1' } };
  const tooLarge = () =>
    // What kafkajs builds from the broker's error code 10 (its typings take an Error).
    new KafkaJSProtocolError(
      Object.assign(new Error('The request included a message larger than the max message size the server will accept'), { type: 'MESSAGE_TOO_LARGE', code: 10, retriable: false }),
    );

  it('names the record’s size and the topic’s limit when the topic refuses it as too large, wrapped or not', () => {
    const expected = `${TOPICS.orderCreated.name} refused the record as too large: 1,048,621 bytes of key, value and headers, and it accepts 1,048,588 per batch (max.message.bytes); resolve the letter, or replay it to a topic that takes it`;
    expect(replayFailureReason(tooLarge(), TOPICS.orderCreated.name, record)).toBe(expected);
    expect(replayFailureReason(new KafkaJSNonRetriableError(tooLarge()), TOPICS.orderCreated.name, record)).toBe(expected);
  });

  it('keeps any other failure’s own message', () => {
    expect(replayFailureReason(new Error('no answer from the broker'), TOPICS.orderCreated.name, record)).toBe('no answer from the broker');
    expect(replayFailureReason(tooLarge(), TOPICS.orderCreated.name, undefined)).toMatch(/larger than the max message size/);
  });
});
