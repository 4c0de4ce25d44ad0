// npm run profile:summary -- <file.cpuprofile> [--top 30]: prints where the profile's time went, as markdown.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { CpuProfile, profileMarkdown, summarizeProfile } from './profile-summary';

const USAGE = 'usage: npm run profile:summary -- <file.cpuprofile> [--top 30]';

function main(): void {
  const args = process.argv.slice(2);
  const file = args.find((arg) => !arg.startsWith('--') && args[args.indexOf(arg) - 1] !== '--top');
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 30;
  if (!file || !Number.isInteger(top) || top < 1) throw new Error(USAGE);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  if (!Array.isArray(profile.nodes) || !Array.isArray(profile.samples)) throw new Error(`${file} is not a V8 CPU profile (.cpuprofile); ${USAGE}`);
  process.stdout.write(profileMarkdown(`CPU profile ${basename(file)}`, summarizeProfile(profile, top)));
}

try {
  main();
} catch (error) {
  process.stderr.write(`profile:summary: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
