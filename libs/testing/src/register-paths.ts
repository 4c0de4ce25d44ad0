// Jest's globalSetup runs outside the test runtime, where Nx's resolver does not apply: resolve the
// workspace's `@platform/*` paths with tsconfig-paths instead. Must be the first import.
import { register } from 'tsconfig-paths';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');
register({ baseUrl: root, paths: require(resolve(root, 'tsconfig.base.json')).compilerOptions.paths });
