// The connection pool http mode opens before its clock starts.
import { connectionsFor } from './load-driver';

describe('connectionsFor', () => {
  it('opens what a quarter of a second of orders keeps busy, between 16 and the pool limit of 256', () => {
    expect(connectionsFor(20)).toBe(16);
    expect(connectionsFor(200)).toBe(50);
    expect(connectionsFor(1_000)).toBe(250);
    expect(connectionsFor(5_000)).toBe(256);
  });
});
