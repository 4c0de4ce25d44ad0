// kafkajs's own RequestQueue, as published and with the replacement: real push(), fulfillRequest()
// and checks; only the socket is a spy that records which requests were sent.
import { applyKafkajsIdleTimerFix } from './kafkajs-idle-timer-fix';

interface Queue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  scheduleCheckPendingRequests(): void;
  checkPendingRequests(): void;
  push(request: object): void;
  fulfillRequest(response: { correlationId: number; payload: null; size: number }): void;
}

const RequestQueue = require('kafkajs/src/network/requestQueue') as { new (options: object): Queue; prototype: Queue };
/** kafkajs's method as published, kept before the replacement goes on the prototype. */
const publishedSchedule = RequestQueue.prototype.scheduleCheckPendingRequests;

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const newQueue = (maxInFlightRequests: number | null = null) =>
  new RequestQueue({ maxInFlightRequests, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'spec', broker: 'localhost:9092', logger: silent });

/** A request as a kafkajs Connection pushes it; sending it records its correlation id. */
const request = (correlationId: number, sent: number[]) => ({
  entry: { correlationId, apiName: 'Fetch', apiKey: 1, apiVersion: 11, resolve: () => undefined, reject: () => undefined },
  expectResponse: true,
  sendRequest: () => sent.push(correlationId),
});

describe('the idle request-queue timer of kafkajs', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('is armed by kafkajs 2.2.4 with nothing waiting, and re-armed by every check (the bug)', () => {
    const queue = newQueue();
    // On the instance: the published method whatever the prototype holds when this test runs.
    queue.scheduleCheckPendingRequests = publishedSchedule;
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
      const queue = newQueue();
      const checks = jest.spyOn(queue, 'checkPendingRequests');
      const sent: number[] = [];
      queue.push(request(1, sent));
      queue.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
      expect(queue.throttleCheckTimeoutId).toBeNull();
      jest.advanceTimersByTime(1_000);
      expect(checks).toHaveBeenCalledTimes(1);
      expect(sent).toEqual([1]);
    });

    it('sends a request held by the in-flight limit as soon as the one ahead completes, and leaves no timer behind', () => {
      const queue = newQueue(1);
      const sent: number[] = [];
      queue.push(request(1, sent));
      queue.push(request(2, sent));
      expect(sent).toEqual([1]);
      queue.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
      expect(sent).toEqual([1, 2]);
      jest.advanceTimersByTime(1_000);
      expect(queue.throttleCheckTimeoutId).toBeNull();
      expect(sent).toEqual([1, 2]);
    });

    it('looks again 10 ms later at a request held by the in-flight limit, as kafkajs did', () => {
      const queue = newQueue(1);
      const sent: number[] = [];
      queue.push(request(1, sent));
      queue.push(request(2, sent));
      const checks = jest.spyOn(queue, 'checkPendingRequests');
      jest.advanceTimersByTime(9);
      expect(checks).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(checks).toHaveBeenCalledTimes(1);
      // Still held (the first has not completed), so the check arms the next look.
      expect(sent).toEqual([1]);
      expect(queue.throttleCheckTimeoutId).not.toBeNull();
      queue.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
      expect(sent).toEqual([1, 2]);
    });

    it.each([30, 1])('sends a request held by client-side throttling when the throttle ends (%i ms)', (throttleMs) => {
      const queue = newQueue();
      const sent: number[] = [];
      queue.throttledUntil = Date.now() + throttleMs;
      queue.push(request(1, sent));
      jest.advanceTimersByTime(throttleMs - 1);
      expect(sent).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(sent).toEqual([1]);
      expect(queue.throttleCheckTimeoutId).toBeNull();
    });
  });
});
