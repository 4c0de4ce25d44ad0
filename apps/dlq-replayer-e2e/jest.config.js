// e2e of dlq-replayer: real dead letters from a failing inventory database, replayed on a real broker.
module.exports = {
  ...require('../../jest.e2e.preset.js'),
  displayName: 'dlq-replayer-e2e',
  rootDir: __dirname,
};
