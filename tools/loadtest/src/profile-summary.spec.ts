import { bucketOf, CpuProfile, profileMarkdown, summarizeProfile } from './profile-summary';

const frame = (id: number, functionName: string, url: string) => ({ id, callFrame: { functionName, url, lineNumber: 9 } });

describe('profile summary', () => {
  it('puts a frame under its npm package, part of this repo, node module or V8 entry', () => {
    expect(bucketOf('file:///w/node_modules/@nestjs/core/router.js', 'x')).toBe('@nestjs/core');
    expect(bucketOf('file:///w/node_modules/kafkajs/src/index.js', 'x')).toBe('kafkajs');
    expect(bucketOf('file:///w/libs/events/src/parse-event.ts', 'x')).toBe('libs/events');
    expect(bucketOf('node:internal/buffer', 'x')).toBe('node:internal');
    expect(bucketOf('', '(idle)')).toBe('(idle)');
    expect(bucketOf('', 'writev')).toBe('(native)');
  });

  it('shares out the samples\' time by self time, largest first', () => {
    const profile: CpuProfile = {
      nodes: [frame(1, '(idle)', ''), frame(2, 'parse', 'file:///w/libs/events/src/parse-event.ts'), frame(3, 'send', 'file:///w/node_modules/kafkajs/a.js')],
      samples: [1, 2, 2, 3],
      timeDeltas: [500, 250, 250, 1000],
    };
    const summary = summarizeProfile(profile, 10);
    expect(summary.totalMs).toBe(2);
    expect(summary.buckets).toEqual([['kafkajs', 0.5], ['(idle)', 0.25], ['libs/events', 0.25]]);
    expect(summary.functions[0]).toEqual(['send kafkajs/a.js:10', 0.5]);
    expect(profileMarkdown('t', summary)).toContain('| kafkajs | 50.0% |');
  });
});
