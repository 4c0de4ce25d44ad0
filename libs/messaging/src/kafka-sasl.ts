// SASL credentials of this process, from the environment: KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD
// (the service's own principal in the secure profile), KAFKA_SASL_MECHANISM (scram-sha-512 by
// default). Never from the repository. Both or neither: half a configuration stops the process.
const MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;

export interface KafkaSasl {
  mechanism: (typeof MECHANISMS)[number];
  username: string;
  password: string;
}

export function parseKafkaSasl(env: NodeJS.ProcessEnv = process.env): KafkaSasl | undefined {
  const username = env.KAFKA_SASL_USERNAME?.trim();
  const password = env.KAFKA_SASL_PASSWORD;
  if (!username && !password) return undefined;
  if (!username || !password) throw new Error('KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD must be set together (or neither, for a cluster without authentication)');
  const mechanism = (env.KAFKA_SASL_MECHANISM?.trim() || 'scram-sha-512').toLowerCase();
  if (!(MECHANISMS as readonly string[]).includes(mechanism)) throw new Error(`KAFKA_SASL_MECHANISM must be one of ${MECHANISMS.join(', ')}, got "${mechanism}"`);
  return { mechanism: mechanism as KafkaSasl['mechanism'], username, password };
}
