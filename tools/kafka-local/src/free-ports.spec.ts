import { ephemeralPortsStart, freeBrokerPorts } from './free-ports';

describe('freeBrokerPorts', () => {
  it('keeps client and controller ports below the ephemeral range, so a restarted broker gets its port back', async () => {
    const nodes = 3;
    for (let draw = 0; draw < 20; draw++) {
      const base = await freeBrokerPorts(nodes);
      expect(base).toBeGreaterThanOrEqual(10_000);
      expect(base + nodes - 1 + 10_000).toBeLessThan(ephemeralPortsStart());
    }
  });
});
