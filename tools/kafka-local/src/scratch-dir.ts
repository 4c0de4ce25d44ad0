// A fresh directory under .local/ (created if missing, as on a clean clone) for throw-away state:
// test brokers, test databases.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function createScratchDir(prefix: string, root = resolve('.local')): string {
  mkdirSync(root, { recursive: true });
  return mkdtempSync(join(root, prefix));
}
