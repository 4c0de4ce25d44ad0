// kafkajs 2.2.4 keeps every broker connection busy-waking its process, forever, once the connection's
// first request has completed (tulios/kafkajs#1556, #1604, #1704; fixes proposed in #1667, none
// released): RequestQueue.scheduleCheckPendingRequests() arms a timer even when no request is waiting,
// with a negative delay (Node makes it 1 ms), and the check that timer runs arms the next one.
// Measured here with `npm start` left idle for a minute (CPU and voluntary context switches from /proc):
// the four services woke 3,365 times a second and used 18% of a core between them; with this fix, 218
// times and 10%. Under load it made no difference we could measure.
//
// The replacement arms the timer only while requests wait, which is all it is for: a request that
// cannot go at once (client-side throttling, or the in-flight limit) is queued by push(), which
// schedules a check; a completed request checks the queue itself. So a waiting request is still sent
// when the throttle ends (or at the latest CHECK_PENDING_REQUESTS_INTERVAL later, as before), and an
// empty queue costs nothing.
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
export function applyKafkajsIdleTimerFix(): boolean {
  if (applied) return true;
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
