// Resolves Apache Kafka's jars with Maven from tools/kafka-local/pom.xml and caches the resulting
// classpath next to the broker's data. The cache is keyed by the pom's content, so changing the
// Kafka version in the pom resolves again. Brokers started together (a three-node cluster) share one
// resolution; each resolution writes its own temporary file and the cache is replaced atomically, so
// processes resolving at the same time (parallel test suites on a fresh clone) never read half a file.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { checkMaven, KafkaLocalError } from './prerequisites';

const POM = join(__dirname, '..', 'pom.xml');
/** Shared by every broker directory (npm start's and the tests' throw-away ones). */
export const CLASSPATH_CACHE = join(__dirname, '..', '..', '..', '.local', 'kafka-local', 'classpath.txt');

export function kafkaVersion(): string {
  return /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(POM, 'utf8'))?.[1] ?? 'unknown';
}

/** Resolutions in progress in this process, by cache file. */
const resolving = new Map<string, Promise<string>>();

export function resolveClasspath(log: (line: string) => void, cacheFile = CLASSPATH_CACHE): Promise<string> {
  let resolution = resolving.get(cacheFile);
  if (!resolution) {
    resolution = cachedOrResolved(log, cacheFile).finally(() => resolving.delete(cacheFile));
    resolving.set(cacheFile, resolution);
  }
  return resolution;
}

async function cachedOrResolved(log: (line: string) => void, cacheFile: string): Promise<string> {
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
  const outputFile = `${cacheFile}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await promisify(execFile)(
      'mvn',
      ['-q', '-B', '-f', POM, 'dependency:build-classpath', `-Dmdep.outputFile=${outputFile}`],
      { maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: { stdout?: string; message: string }) => {
      const reason = (error.stdout ?? '').split('\n').find((line) => line.includes('ERROR')) ?? error.message;
      throw new KafkaLocalError(`Maven could not resolve Apache Kafka's jars: ${reason.trim()}`);
    });
    const classpath = readFileSync(outputFile, 'utf8').trim();
    writeFileSync(outputFile, `${pomHash}\n${classpath}\n`);
    renameSync(outputFile, cacheFile);
    return classpath;
  } finally {
    rmSync(outputFile, { force: true }); // already gone once renamed; left by a failure otherwise
  }
}
