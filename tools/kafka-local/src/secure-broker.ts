// The secure profile of the local broker: SASL/SCRAM-SHA-512 with one principal per service and the
// registry's ACLs (libs/events accessRules). Passwords come from the environment
// (KAFKA_ADMIN_PASSWORD, KAFKA_PASSWORD_ORDER_SERVICE, …); any that is missing is generated once and
// kept in <dir>/credentials.env (mode 600, under .local: never in the repository), which
// `set -a; . .local/kafka-secure/credentials.env; set +a` loads into a shell.
import { SERVICES } from '@platform/events';
import { applyAcls, createKafkaClient } from '@platform/messaging';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LocalBroker, startLocalBroker } from './local-broker';
import { KafkaLocalError } from './prerequisites';

export const DEFAULT_SECURE_DIR = join('.local', 'kafka-secure');
export const ADMIN_USER = 'admin';

export interface SecureCredentials {
  adminPassword: string;
  /** Service name → password. */
  users: Record<string, string>;
  file: string;
}

/** The environment variable holding a service's password: KAFKA_PASSWORD_ORDER_SERVICE. */
export function passwordVariable(user: string): string {
  return user === ADMIN_USER ? 'KAFKA_ADMIN_PASSWORD' : `KAFKA_PASSWORD_${user.toUpperCase().replace(/-/g, '_')}`;
}

export function secureCredentials(dir: string, env: NodeJS.ProcessEnv = process.env): SecureCredentials {
  const file = join(resolve(dir), 'credentials.env');
  const saved = existsSync(file) ? parseEnvFile(readFileSync(file, 'utf8')) : {};
  const names = [ADMIN_USER, ...Object.values(SERVICES)];
  const values = Object.fromEntries(
    names.map((name) => {
      const variable = passwordVariable(name);
      const value = env[variable] || saved[variable] || randomBytes(18).toString('base64url');
      // The storage tool's --add-scram syntax breaks on ',', ']' and '='; keep passwords to a safe alphabet.
      if (!/^[A-Za-z0-9._~-]{12,}$/.test(value)) throw new KafkaLocalError(`${variable} must be at least 12 characters of A-Z a-z 0-9 . _ ~ -`);
      return [variable, value];
    }),
  );
  mkdirSync(resolve(dir), { recursive: true });
  writeFileSync(file, `${Object.entries(values).map(([key, value]) => `${key}=${value}`).join('\n')}\n`, { mode: 0o600 });
  return {
    adminPassword: values[passwordVariable(ADMIN_USER)],
    users: Object.fromEntries(Object.values(SERVICES).map((name) => [name, values[passwordVariable(name)]])),
    file,
  };
}

/** Starts the secure broker and applies the registry's ACLs as the admin user. */
export async function startSecureBroker(options: { port?: number; dir?: string; log?: (line: string) => void; heapMb?: number; env?: NodeJS.ProcessEnv } = {}): Promise<LocalBroker & { credentials: SecureCredentials }> {
  const dir = options.dir ?? DEFAULT_SECURE_DIR;
  const credentials = secureCredentials(dir, options.env);
  const broker = await startLocalBroker({
    port: options.port,
    dir,
    log: options.log,
    heapMb: options.heapMb,
    security: { adminUser: ADMIN_USER, adminPassword: credentials.adminPassword, users: credentials.users },
  });
  const admin = createKafkaClient({
    clientId: 'kafka-local-acls',
    brokers: [broker.bootstrap],
    sasl: { mechanism: 'scram-sha-512', username: ADMIN_USER, password: credentials.adminPassword },
  }).admin();
  await admin.connect();
  try {
    const count = await applyAcls(admin);
    options.log?.(`applied ${count} ACLs from the registry (libs/events accessRules)`);
  } finally {
    await admin.disconnect();
  }
  return { ...broker, credentials };
}

function parseEnvFile(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .map((line) => /^([A-Z0-9_]+)=(.*)$/.exec(line.trim()))
      .filter((match): match is RegExpExecArray => Boolean(match))
      .map((match) => [match[1], match[2]]),
  );
}
