// e2e of libs/messaging against a real Kafka broker (see libs/testing): retries and dead letters.
module.exports = {
  displayName: 'messaging-e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/../../libs/testing/src/e2e-global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/testing/src/e2e-global-teardown.ts',
  testTimeout: 120_000,
  maxWorkers: 1,
  verbose: true,
};
