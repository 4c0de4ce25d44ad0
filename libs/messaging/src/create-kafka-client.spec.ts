import { Kafka } from 'kafkajs';
import { CONSUMER_RETRY, createKafkaClient } from './create-kafka-client';

describe('createKafkaClient', () => {
  afterEach(() => jest.restoreAllMocks());

  it('gives its consumers the platform retry budget unless they bring their own', () => {
    const consumer = jest.spyOn(Kafka.prototype, 'consumer');
    const kafka = createKafkaClient({ clientId: 'spec', brokers: ['localhost:9092'], sasl: null });

    kafka.consumer({ groupId: 'g' });
    kafka.consumer({ groupId: 'g', retry: { retries: 1 } });

    expect(consumer.mock.calls.map(([config]) => config.retry)).toEqual([CONSUMER_RETRY, { retries: 1 }]);
  });
});
