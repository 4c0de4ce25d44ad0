#!/usr/bin/env node
// Runs a TypeScript entry point of this workspace without a build step: ts-node in
// transpile-only mode (type checking is the `typecheck` target's job, not start-up's) and
// tsconfig-paths so `@platform/*` imports resolve to libs/*. Used by npm scripts and Nx targets.
const path = require('node:path');

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node tools/scripts/run-ts.js <file.ts> [args...]');
  process.exit(2);
}
const root = path.resolve(__dirname, '..', '..');
process.env.TS_NODE_PROJECT = path.join(root, 'tsconfig.base.json');
process.env.TS_NODE_TRANSPILE_ONLY = 'true';
process.env.TS_NODE_FILES = 'true';
require('ts-node/register');
require('tsconfig-paths').register({
  baseUrl: root,
  paths: require(path.join(root, 'tsconfig.base.json')).compilerOptions.paths,
});
process.argv = [process.argv[0], path.resolve(entry), ...args];
require(path.resolve(entry));
