// e2e of dlq-replayer: real dead letters from a failing inventory database, replayed on a real broker.
module.exports = {
  displayName: 'dlq-replayer-e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/../../libs/testing/src/e2e-global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/testing/src/e2e-global-teardown.ts',
  testTimeout: 120_000,
  maxWorkers: 1,
  verbose: true,
};
