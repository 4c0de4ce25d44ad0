// e2e of libs/messaging against a real Kafka broker (see libs/testing): retries and dead letters.
module.exports = {
  ...require('../../jest.e2e.preset.js'),
  displayName: 'messaging-e2e',
  rootDir: __dirname,
};
