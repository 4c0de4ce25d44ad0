#!/usr/bin/env node
// Runs a TypeScript entry point of this workspace without a build step: ts-node with SWC as its
// transpiler (type checking is the `typecheck` target's job, not start-up's) and tsconfig-paths so
// `@platform/*` imports resolve to libs/*. Used by npm scripts, Nx targets and the tests' processes.
// SWC instead of TypeScript's own transpiler halves a service's load time (about 1.3 → 0.7 s idle,
// several seconds on a loaded machine), which is what a crashed service's restart waits for.
const path = require('node:path');

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node tools/scripts/run-ts.js <file.ts> [args...]');
  process.exit(2);
}
const root = path.resolve(__dirname, '..', '..');
process.env.TS_NODE_PROJECT = path.join(root, 'tsconfig.base.json');
process.env.TS_NODE_FILES = 'true';
// swc implies transpile-only; it honours experimentalDecorators and emitDecoratorMetadata (Nest's DI).
require('ts-node').register({ swc: true });
require('tsconfig-paths').register({
  baseUrl: root,
  paths: require(path.join(root, 'tsconfig.base.json')).compilerOptions.paths,
});
process.argv = [process.argv[0], path.resolve(entry), ...args];
require(path.resolve(entry));
