// The rule "topic names come only from libs/events", enforced: no app source file may write a topic
// name as a string literal. (Tests may: they exercise the names.)
import { ALLOWED_DOMAINS } from '@platform/events';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const TOPIC_LITERAL = new RegExp(`['"\`](${ALLOWED_DOMAINS.join('|')})\\.[a-z0-9-]+\\.[a-z0-9.-]+['"\`]`);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !/\.(spec|e2e-spec)\.ts$/.test(path) ? [path] : [];
  });
}

describe('topic names in apps', () => {
  it('are never string literals outside tests (use TOPICS from @platform/events)', () => {
    const offenders = sourceFiles(join(ROOT, 'apps')).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) => (TOPIC_LITERAL.test(line) ? [`${relative(ROOT, file)}:${index + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });

  it('would catch one', () => {
    expect(TOPIC_LITERAL.test(`@EventPattern('order.order-service.created')`)).toBe(true);
    expect(TOPIC_LITERAL.test(`@EventPattern(TOPICS.orderCreated.name)`)).toBe(false);
  });
});
