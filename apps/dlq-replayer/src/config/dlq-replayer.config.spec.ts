import { loadDlqReplayerConfig } from './dlq-replayer.config';

describe('loadDlqReplayerConfig', () => {
  it('refuses to start without a token outside development mode', () => {
    expect(() => loadDlqReplayerConfig({}, [])).toThrow(/DLQ_REPLAYER_TOKEN is required/);
  });

  it('generates a token in development mode (--dev or NODE_ENV=development)', () => {
    for (const [env, argv] of [[{}, ['--dev']], [{ NODE_ENV: 'development' }, []]] as const) {
      const config = loadDlqReplayerConfig(env, [...argv]);
      expect(config.tokenGenerated).toBe(true);
      expect(config.token.length).toBeGreaterThanOrEqual(32);
    }
  });

  it('takes the token, port 3003 and the loop guard from the environment', () => {
    const config = loadDlqReplayerConfig({ DLQ_REPLAYER_TOKEN: 'a-long-enough-token', DLQ_MAX_REPLAYS: '2' }, []);
    expect(config).toMatchObject({ token: 'a-long-enough-token', tokenGenerated: false, port: 3003, maxReplays: 2, defaultRatePerSecond: 50 });
  });

  it.each([
    [{ DLQ_REPLAYER_TOKEN: 'short' }, /at least 16 characters/],
    [{ DLQ_REPLAYER_TOKEN: 'a-long-enough-token', DLQ_MAX_REPLAYS: '0' }, /DLQ_MAX_REPLAYS must be a positive integer/],
    [{ DLQ_REPLAYER_TOKEN: 'a-long-enough-token', DLQ_REPLAY_RATE: '5000' }, /DLQ_REPLAY_RATE must be at most 1000, got "5000"/],
  ])('refuses %j', (env, message) => {
    expect(() => loadDlqReplayerConfig(env, [])).toThrow(message);
  });
});
