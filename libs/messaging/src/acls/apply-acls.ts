// Applies the registry's access rules (libs/events accessRules) as Kafka ACLs, with an admin client
// that may (a super user). Creating an ACL that exists changes nothing, so this is safe to repeat.
import { AccessRule, accessRules } from '@platform/events';
import { AclEntry, AclOperationTypes, AclPermissionTypes, AclResourceTypes, Admin, ResourcePatternTypes } from 'kafkajs';

const OPERATIONS: Record<AccessRule['operation'], AclOperationTypes> = {
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  describe: AclOperationTypes.DESCRIBE,
};

export function aclEntries(rules: AccessRule[] = accessRules()): AclEntry[] {
  return rules.map((rule) => ({
    resourceType: rule.resource === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
    resourceName: rule.name,
    resourcePatternType: rule.pattern === 'prefixed' ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
    principal: `User:${rule.principal}`,
    host: '*',
    operation: OPERATIONS[rule.operation],
    permissionType: AclPermissionTypes.ALLOW,
  }));
}

export async function applyAcls(admin: Admin, rules: AccessRule[] = accessRules()): Promise<number> {
  const acl = aclEntries(rules);
  await admin.createAcls({ acl });
  return acl.length;
}
