// Where a V8 CPU profile's time went (LOADTEST_CPU_PROFILE_DIR makes each service of a load test write
// one): self time by package or part of this repo, and by function, as markdown. The shares the docs
// quote from a profile come from here, so they can be checked against the file.
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** [name, share of all samples' time], largest first. */
  buckets: [string, number][];
  functions: [string, number][];
}

/** npm package, `libs/x` / `apps/x` / `tools/x` of this repo, `node:` module, or V8's own entry ("(idle)", "(garbage collector)"). */
export function bucketOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const inPackage = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return inPackage[1];
  if (url.startsWith('node:')) return url.split('/')[0];
  return /(libs|apps|tools)\/[^/]+/.exec(url)?.[0] ?? url;
}

export function summarizeProfile(profile: CpuProfile, top: number): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const buckets = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    const frame = nodes.get(id)?.callFrame;
    if (!frame) return;
    total += micros;
    add(buckets, bucketOf(frame.url, frame.functionName), micros);
    add(functions, `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`.trim(), micros);
  });
  const largest = (map: Map<string, number>): [string, number][] =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, micros]) => [name, total > 0 ? micros / total : 0]);
  return { totalMs: Math.round(total / 1000), buckets: largest(buckets), functions: largest(functions) };
}

export function profileMarkdown(title: string, summary: ProfileSummary): string {
  const table = (head: string, rows: [string, number][]) =>
    [`| ${head} | share of the profile's time |`, '|---|---|', ...rows.map(([name, share]) => `| ${name.replace(/\|/g, '\\|')} | ${(share * 100).toFixed(1)}% |`)].join('\n');
  return [
    `# ${title}`,
    '',
    `${summary.totalMs.toLocaleString('en')} ms of samples (wall time of the main thread: "(idle)" is time waiting for I/O).`,
    '',
    table('where (self time)', summary.buckets),
    '',
    table('function (self time)', summary.functions),
    '',
  ].join('\n');
}

function add(map: Map<string, number>, key: string, micros: number): void {
  map.set(key, (map.get(key) ?? 0) + micros);
}
