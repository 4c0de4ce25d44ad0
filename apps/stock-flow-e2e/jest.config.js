// e2e: both services as separate processes against a real Kafka broker (see libs/testing).
module.exports = {
  ...require('../../jest.e2e.preset.js'),
  displayName: 'stock-flow-e2e',
  rootDir: __dirname,
};
