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
// ts-node loads its REPL module, which requires Node's `repl`, which loads `domain`: from then on every
// EventEmitter is created and emits through domain-aware wrappers (4× slower in a micro-benchmark here:
// 90 → 420 ns to create one, listen and emit), for every socket, request and query of a service. Its REPL
// is never started here, so its `repl` is loaded only if something of it is used.
withLazyRepl(() => require('ts-node')).register({ swc: true });
require('tsconfig-paths').register({
  baseUrl: root,
  paths: require(path.join(root, 'tsconfig.base.json')).compilerOptions.paths,
});
process.argv = [process.argv[0], path.resolve(entry), ...args];
require(path.resolve(entry));

function withLazyRepl(load) {
  const Module = require('node:module');
  const original = Module._load;
  Module._load = function (request, parent) {
    if ((request === 'repl' || request === 'node:repl') && parent && /[\\/]ts-node[\\/]/.test(parent.filename)) {
      let repl;
      return new Proxy({}, { get: (_target, key) => (repl ??= original.call(Module, 'repl', parent, false))[key] });
    }
    return original.apply(this, arguments);
  };
  try {
    return load();
  } finally {
    Module._load = original;
  }
}
