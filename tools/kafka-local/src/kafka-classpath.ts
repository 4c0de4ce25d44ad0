// Resolves Apache Kafka's jars with Maven from tools/kafka-local/pom.xml and caches the resulting
// classpath next to the broker's data. The cache is keyed by the pom's content, so changing the
// Kafka version in the pom resolves again.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { checkMaven, KafkaLocalError } from './prerequisites';

const POM = join(__dirname, '..', 'pom.xml');
/** Shared by every broker directory (npm start's and the tests' throw-away ones). */
export const CLASSPATH_CACHE = join(__dirname, '..', '..', '..', '.local', 'kafka-local', 'classpath.txt');

export function kafkaVersion(): string {
  return /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(POM, 'utf8'))?.[1] ?? 'unknown';
}

export async function resolveClasspath(log: (line: string) => void, cacheFile = CLASSPATH_CACHE): Promise<string> {
  const pomHash = createHash('sha256').update(readFileSync(POM)).digest('hex').slice(0, 16);
  if (existsSync(cacheFile)) {
    const [hash, classpath] = readFileSync(cacheFile, 'utf8').split('\n');
    if (hash === pomHash && classpath && classpath.split(':').every((jar) => existsSync(jar))) {
      return classpath;
    }
  }
  checkMaven();
  log(`resolving Apache Kafka ${kafkaVersion()} jars from Maven Central (first start only, ~30 s)...`);
  mkdirSync(dirname(cacheFile), { recursive: true });
  const outputFile = `${cacheFile}.tmp`;
  try {
    await promisify(execFile)(
      'mvn',
      ['-q', '-B', '-f', POM, 'dependency:build-classpath', `-Dmdep.outputFile=${outputFile}`],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const err = error as { stdout?: string; message: string };
    const reason = (err.stdout ?? '').split('\n').find((line) => line.includes('ERROR')) ?? err.message;
    throw new KafkaLocalError(`Maven could not resolve Apache Kafka's jars: ${reason.trim()}`);
  }
  const classpath = readFileSync(outputFile, 'utf8').trim();
  writeFileSync(cacheFile, `${pomHash}\n${classpath}\n`);
  rmSync(outputFile, { force: true });
  return classpath;
}
