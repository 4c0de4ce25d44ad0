// The ACLs of the secure profile, as the issue states them: each service writes its own topics and
// its own DLQ only, reads what its groups read; dlq-replayer reads the DLQs and writes registry topics.
import { accessRules, describeRule } from './access';

const lines = () => accessRules().map(describeRule);
const of = (principal: string) => lines().filter((line) => line.startsWith(`${principal} `));

describe('accessRules', () => {
  it('lets order-service write order.order-service.* and read inventory-service events as its group', () => {
    expect(of('order-service').sort()).toEqual(
      [
        'order-service WRITE topic order.order-service.*',
        'order-service READ topic inventory.inventory-service.reserved',
        'order-service READ topic inventory.inventory-service.rejected',
        'order-service READ group order-service',
      ].sort(),
    );
  });

  it('lets inventory-service write inventory.inventory-service.* (its events and DLQ) and read OrderCreated', () => {
    expect(of('inventory-service').sort()).toEqual(
      ['inventory-service WRITE topic inventory.inventory-service.*', 'inventory-service READ topic order.order-service.created', 'inventory-service READ group inventory-service'].sort(),
    );
  });

  it('lets dlq-replayer read every DLQ and event topic, write only registry topics, and describe groups', () => {
    const rules = of('dlq-replayer');
    expect(rules).toContain('dlq-replayer READ topic inventory.inventory-service.dlq');
    expect(rules).toContain('dlq-replayer READ topic order.order-service.dlq');
    expect(rules).toContain('dlq-replayer WRITE topic order.order-service.created');
    expect(rules).toContain('dlq-replayer READ group operations-console');
    expect(rules).toContain('dlq-replayer DESCRIBE group *');
    expect(rules.filter((line) => line.includes(' WRITE ')).every((line) => !line.endsWith('*'))).toBe(true);
  });

  it('gives a group without a principal (order-audit-log) no access at all', () => {
    expect(lines().some((line) => line.includes('order-audit-log'))).toBe(false);
  });
});
