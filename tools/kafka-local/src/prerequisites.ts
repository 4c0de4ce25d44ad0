// Checks what the local broker needs before anything starts, each failure as one line a user can
// act on: Java 17+, Maven (only to resolve the jars the first time), a free port.
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

export class KafkaLocalError extends Error {
  override name = 'KafkaLocalError';
}

export function checkJava(java = javaCommand()): void {
  // `java -version` prints to stderr.
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (result.error) {
    throw new KafkaLocalError(`Java 17+ is required but "${java}" could not be run (${result.error.message}); install a JDK 17+ or set JAVA_HOME`);
  }
  const output = `${result.stderr}${result.stdout}`;
  const major = Number(/version "(?:1\.)?(\d+)/.exec(output)?.[1]);
  if (!(major >= 17)) {
    throw new KafkaLocalError(`Java 17+ is required, "${java} -version" reports: ${output.split('\n')[0] || 'nothing'}`);
  }
}

export function checkMaven(): void {
  try {
    execFileSync('mvn', ['-v'], { stdio: 'ignore' });
  } catch {
    throw new KafkaLocalError('Maven (mvn) is required once, to fetch Apache Kafka from Maven Central; install it (apt-get install maven)');
  }
}

export function javaCommand(): string {
  return process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java';
}

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export async function assertPortFree(port: number, what: string): Promise<void> {
  if (!(await isPortFree(port))) {
    throw new KafkaLocalError(`port ${port} (${what}) is already taken by another process; stop it or choose another port with --port`);
  }
}
