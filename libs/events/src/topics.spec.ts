import { ALL_TOPICS, deadLetterTopicOf, findTopic, namingRuleViolations, TOPICS } from './topics';
import { SERVICES } from './services';

describe('topic registry', () => {
  it.each(ALL_TOPICS.map((topic) => [topic.name, topic]))(
    '%s follows <domain>.<service>.<event> and is owned by the service in its name',
    (_name, topic) => {
      expect(namingRuleViolations(topic)).toEqual([]);
      expect(Object.values(SERVICES)).toContain(topic.owner);
    },
  );

  it.each([
    ['Order.order-service.created', 'domain "Order" is not one of'],
    ['shipping.order-service.created', 'domain "shipping" is not one of'],
    ['order.inventory-service.created', 'service part "inventory-service" must be the owner'],
    ['order.order-service.Created_v2', 'must be lowercase kebab-case'],
    ['order-service.created', 'three dot-separated parts'],
  ])('rejects the bad name %s', (name, reason) => {
    expect(namingRuleViolations({ name, owner: SERVICES.orderService }).join('\n')).toContain(reason);
  });

  it('carries one event type per topic (the event is in the name), at one or more versions', () => {
    for (const topic of ALL_TOPICS.filter((t) => t.kind === 'events')) {
      expect(new Set(topic.events.map((event) => event.type)).size).toBe(1);
    }
  });

  it('never asks for more in-sync replicas than replicas', () => {
    for (const topic of ALL_TOPICS) expect(topic.minInSyncReplicas).toBeLessThanOrEqual(topic.replicationFactor);
  });

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
    const services = Object.values(SERVICES) as string[];
    const consumers = new Set(
      ALL_TOPICS.filter((topic) => topic.kind === 'events')
        .flatMap((topic) => topic.consumerGroups.map((consumer) => consumer.group))
        .filter((group): group is (typeof SERVICES)[keyof typeof SERVICES] => services.includes(group)),
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
