// Who may touch which topic, derived from the registry, for clusters that authenticate clients
// (the secure profile: one SASL/SCRAM principal per service). A service
//   - writes the topics it owns (prefix `<domain>.<service>.`: its events and its own DLQ),
//   - reads the topics its consumer groups read, as those groups,
// and dlq-replayer, which replays dead letters and runs the operations console, also writes (replays
// into) every registry topic and may describe every group. Nothing else: no ACL, no access.
import { EXTRA_CONSUMER_GROUPS, SERVICES, ServiceName } from './services';
import { ALL_TOPICS } from './topics';

export type AccessOperation = 'read' | 'write' | 'describe';

export interface AccessRule {
  /** The SASL user name, equal to the service name. */
  principal: ServiceName;
  resource: 'topic' | 'group';
  /** `prefixed`: every name starting with `name`; `literal`: exactly `name` (`*` = any). */
  pattern: 'literal' | 'prefixed';
  name: string;
  operation: AccessOperation;
}

/** Which service's principal a consumer group belongs to; groups not listed here get no access. */
export const GROUP_PRINCIPALS: Record<string, ServiceName> = {
  ...Object.fromEntries(Object.values(SERVICES).map((service) => [service, service])),
  [EXTRA_CONSUMER_GROUPS.operationsConsole]: SERVICES.dlqReplayer,
};

export function accessRules(): AccessRule[] {
  const rules: AccessRule[] = [];
  const add = (rule: AccessRule) => {
    if (!rules.some((r) => JSON.stringify(r) === JSON.stringify(rule))) rules.push(rule);
  };
  for (const topic of ALL_TOPICS) {
    const [domain, owner] = topic.name.split('.');
    add({ principal: topic.owner, resource: 'topic', pattern: 'prefixed', name: `${domain}.${owner}.`, operation: 'write' });
    for (const { group } of topic.consumerGroups) {
      const principal = GROUP_PRINCIPALS[group];
      if (!principal) continue;
      add({ principal, resource: 'topic', pattern: 'literal', name: topic.name, operation: 'read' });
      add({ principal, resource: 'group', pattern: 'literal', name: group, operation: 'read' });
    }
    // Replays go back to the original topic (or another topic of the registry), never elsewhere.
    add({ principal: SERVICES.dlqReplayer, resource: 'topic', pattern: 'literal', name: topic.name, operation: 'write' });
  }
  // The operations console shows every group's members and lag.
  add({ principal: SERVICES.dlqReplayer, resource: 'group', pattern: 'literal', name: '*', operation: 'describe' });
  return rules;
}

/** One line per rule, for plans and logs: `order-service WRITE topic order.order-service.*`. */
export function describeRule(rule: AccessRule): string {
  return `${rule.principal} ${rule.operation.toUpperCase()} ${rule.resource} ${rule.name}${rule.pattern === 'prefixed' ? '*' : ''}`;
}
