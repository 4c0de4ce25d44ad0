import { parseKafkaBrokers } from './kafka-brokers';

describe('parseKafkaBrokers', () => {
  it('defaults to localhost:9092 when unset or blank', () => {
    expect(parseKafkaBrokers(undefined)).toEqual(['localhost:9092']);
    expect(parseKafkaBrokers('  ')).toEqual(['localhost:9092']);
  });

  it('splits a comma list and trims spaces', () => {
    expect(parseKafkaBrokers('kafka-1:9092, kafka-2:9092,10.0.0.3:19092')).toEqual([
      'kafka-1:9092',
      'kafka-2:9092',
      '10.0.0.3:19092',
    ]);
  });

  it.each(['localhost', 'localhost:', 'localhost:99999', 'http://localhost:9092', 'a:1,,b:2'])(
    'refuses "%s" with a message naming the variable and the bad entry',
    (value) => {
      expect(() => parseKafkaBrokers(value)).toThrow(/KAFKA_BROKERS must be a comma list of host:port/);
    },
  );
});
