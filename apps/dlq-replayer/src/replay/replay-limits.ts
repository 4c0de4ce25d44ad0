// Bounds of a replay shared by the request body and the configuration (no validation libraries here:
// the configuration loads this before anything else).

/** Letters per second a replay may go at, at most: a request's ratePerSecond and DLQ_REPLAY_RATE alike. */
export const MAX_REPLAY_RATE = 1000;
