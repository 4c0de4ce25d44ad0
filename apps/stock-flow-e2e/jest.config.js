// e2e: both services as separate processes against a real Kafka broker (see libs/testing).
module.exports = {
  displayName: 'stock-flow-e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/../../libs/testing/src/e2e-global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/testing/src/e2e-global-teardown.ts',
  testTimeout: 120_000,
  maxWorkers: 1,
  verbose: true,
};
