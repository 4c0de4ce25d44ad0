// kafkajs 2.2.4 keeps every broker connection busy-waking its process, forever, once the connection's
// first request has completed (tulios/kafkajs#1556, #1604, #1704; fixes proposed in #1667, none
// released): RequestQueue.scheduleCheckPendingRequests() arms a timer even when no request is waiting,
// with a negative delay (Node makes it 1 ms), and the check that timer runs arms the next one.
// With `npm start` idle, `npm run bench:idle` (docs/bench/idle-timer-fix-off.md / -on.md): the four
// services woke 3,375 times a second and used 18.4% of a core between them; with this fix, 233 times
// and 9.6%. Under load it made no difference we could measure.
//
// The replacement arms the timer only while requests wait, which is all it is for. A request that
// cannot go at once is queued by push(), which schedules a check: a throttled one goes when the
// throttle ends; one held by the in-flight limit goes as soon as a request completes
// (fulfillRequest() checks the queue) or at the latest 10 ms later, as in kafkajs. An empty queue
// costs nothing. KAFKAJS_IDLE_TIMER_FIX=off leaves kafkajs as published (to compare, or to rule the
// replacement out when chasing a problem).
import { Logger } from '@nestjs/common';

/** kafkajs's own constant (src/network/requestQueue/index.js): how soon to look again when not throttled. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

/** The version whose RequestQueue this replacement was written for and checked against. */
export const PATCHED_KAFKAJS_VERSION = '2.2.4';

/** The fields of kafkajs's RequestQueue the replacement reads and writes. */
interface RequestQueueState {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
}

export function scheduleCheckPendingRequests(this: RequestQueueState): void {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS,
  );
}

let applied = false;

/**
 * Puts the replacement on kafkajs's RequestQueue, once per process. Another kafkajs version is left
 * alone with a warning: its RequestQueue may differ, and the replacement was checked against 2.2.4 only.
 */
export function applyKafkajsIdleTimerFix(env: NodeJS.ProcessEnv = process.env): boolean {
  if (applied) return true;
  if (env.KAFKAJS_IDLE_TIMER_FIX === 'off') return false;
  // kafkajs's internals have no types and no exports map: plain CommonJS, required by path.
  const version = (require('kafkajs/package.json') as { version: string }).version;
  if (version !== PATCHED_KAFKAJS_VERSION) {
    new Logger('kafkajs').warn(`kafkajs ${version} is not ${PATCHED_KAFKAJS_VERSION}: its idle request-queue timer is left as it is (libs/messaging kafkajs-idle-timer-fix.ts)`);
    return false;
  }
  const RequestQueue = require('kafkajs/src/network/requestQueue') as { prototype: { scheduleCheckPendingRequests: unknown } };
  RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  applied = true;
  return true;
}
