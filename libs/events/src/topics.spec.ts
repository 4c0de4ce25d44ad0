import { ALL_TOPICS, deadLetterTopicOf, findTopic, TOPICS } from './topics';
import { SERVICES } from './services';

const NAMING_RULE = /^(?<domain>[a-z]+)\.(?<service>[a-z]+(?:-[a-z]+)*)\.(?<event>[a-z]+(?:-[a-z]+)*)$/;

describe('topic registry', () => {
  it.each(ALL_TOPICS.map((topic) => [topic.name, topic]))(
    '%s follows <domain>.<service>.<event> and is owned by the service in its name',
    (_name, topic) => {
      const match = NAMING_RULE.exec(topic.name);
      expect(match).not.toBeNull();
      expect(match?.groups?.service).toBe(topic.owner);
      expect(Object.values(SERVICES)).toContain(topic.owner);
    },
  );

  it('has unique names', () => {
    const names = ALL_TOPICS.map((topic) => topic.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('keys every order flow topic by orderId so one order stays on one partition', () => {
    expect([TOPICS.orderCreated.key, TOPICS.stockReserved.key, TOPICS.stockRejected.key]).toEqual([
      'orderId',
      'orderId',
      'orderId',
    ]);
  });

  it('gives every consuming service a dead-letter topic named <domain>.<service>.dlq', () => {
    const consumers = new Set(
      ALL_TOPICS.filter((topic) => topic.kind === 'events').flatMap((topic) => topic.consumerGroups),
    );
    for (const service of consumers) {
      expect(deadLetterTopicOf(service).name).toMatch(new RegExp(`^[a-z]+\\.${service}\\.dlq$`));
    }
  });

  it('finds a topic by name', () => {
    expect(findTopic('order.order-service.created')).toBe(TOPICS.orderCreated);
    expect(findTopic('no.such.topic')).toBeUndefined();
  });
});
