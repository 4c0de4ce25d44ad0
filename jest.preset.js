// Shared Jest settings for every project: ts-jest without type checking (the `typecheck`
// target does that once, instead of per test file) and Nx's resolver for `@platform/*` paths.
const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Decorated classes (Nest, class-validator, class-transformer) need the metadata polyfill.
  setupFiles: ['reflect-metadata'],
};
