// kafkajs's own RequestQueue, before and after the replacement (jest gives this file a fresh module
// registry, so the first test sees kafkajs as published).
import { applyKafkajsIdleTimerFix } from './kafkajs-idle-timer-fix';

interface Queue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  scheduleCheckPendingRequests(): void;
  checkPendingRequests(): void;
}

const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => Queue;
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const newQueue = () => new RequestQueue({ maxInFlightRequests: null, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'spec', broker: 'localhost:9092', logger: silent });

describe('the idle request-queue timer of kafkajs', () => {
  afterEach(() => jest.useRealTimers());

  it('is armed by kafkajs 2.2.4 with nothing waiting, and re-armed by every check (the bug)', () => {
    jest.useFakeTimers();
    const queue = newQueue();
    const checks = jest.spyOn(queue, 'checkPendingRequests');
    queue.scheduleCheckPendingRequests();
    expect(queue.throttleCheckTimeoutId).not.toBeNull();
    jest.advanceTimersByTime(100);
    // About one check per millisecond, for an empty queue.
    expect(checks.mock.calls.length).toBeGreaterThanOrEqual(50);
    clearTimeout(queue.throttleCheckTimeoutId as NodeJS.Timeout);
  });

  describe('after applyKafkajsIdleTimerFix', () => {
    beforeAll(() => expect(applyKafkajsIdleTimerFix()).toBe(true));

    it('arms nothing while no request waits, also after a completed request checked the queue', () => {
      jest.useFakeTimers();
      const queue = newQueue();
      const checks = jest.spyOn(queue, 'checkPendingRequests');
      queue.scheduleCheckPendingRequests();
      queue.checkPendingRequests();
      expect(queue.throttleCheckTimeoutId).toBeNull();
      jest.advanceTimersByTime(1_000);
      expect(checks).toHaveBeenCalledTimes(1);
    });

    it('still sends a request held by client-side throttling when the throttle ends', () => {
      jest.useFakeTimers();
      const queue = newQueue();
      const checks = jest.spyOn(queue, 'checkPendingRequests').mockImplementation(() => undefined);
      queue.pending.push({});
      queue.throttledUntil = Date.now() + 30;
      queue.scheduleCheckPendingRequests();
      jest.advanceTimersByTime(29);
      expect(checks).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(checks).toHaveBeenCalledTimes(1);
      expect(queue.throttleCheckTimeoutId).toBeNull();
    });

    it('looks again after 10 ms at a request held by the in-flight limit, as kafkajs did', () => {
      jest.useFakeTimers();
      const queue = newQueue();
      const checks = jest.spyOn(queue, 'checkPendingRequests').mockImplementation(() => undefined);
      queue.pending.push({});
      queue.scheduleCheckPendingRequests();
      queue.scheduleCheckPendingRequests();
      jest.advanceTimersByTime(10);
      expect(checks).toHaveBeenCalledTimes(1);
    });
  });
});
