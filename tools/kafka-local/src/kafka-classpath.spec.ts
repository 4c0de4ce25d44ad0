// Resolving Kafka's jars with Maven (the jars come from the local Maven repository once downloaded):
// brokers started together on a fresh clone share one resolution, and the cache is whole when read.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { resolveClasspath } from './kafka-classpath';
import { createScratchDir } from './scratch-dir';

jest.setTimeout(180_000);

describe('resolveClasspath', () => {
  const dir = createScratchDir('kafka-classpath-spec-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves once for brokers starting together, writes the cache whole and leaves no temporary file', async () => {
    const cacheFile = join(dir, 'classpath.txt');
    const lines: string[] = [];
    const classpaths = await Promise.all([1, 2, 3].map(() => resolveClasspath((line) => lines.push(line), cacheFile)));
    expect(lines.filter((line) => line.startsWith('resolving'))).toHaveLength(1);
    expect(new Set(classpaths).size).toBe(1);
    expect(classpaths[0].split(':').some((jar) => /[\\/]kafka_2\.13-[^/]+\.jar$/.test(jar))).toBe(true);
    expect(readFileSync(cacheFile, 'utf8').split('\n')[1]).toBe(classpaths[0]);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    // the next start reads the cache, without Maven
    await expect(resolveClasspath((line) => lines.push(line), cacheFile)).resolves.toBe(classpaths[0]);
    expect(lines).toHaveLength(1);
    expect(existsSync(cacheFile)).toBe(true);
  });
});
