// Fault tests: a three-broker local cluster of their own (no shared e2e broker), services on
// PostgreSQL, faults injected under a steady load. Long-running by nature: one file, one worker.
module.exports = {
  preset: '../../jest.preset.js',
  displayName: 'faults-e2e',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  testTimeout: 600_000,
  maxWorkers: 1,
  verbose: true,
};
