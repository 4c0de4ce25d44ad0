// The size limit of request bodies. Fastify reads at most `bodyLimit` bytes of a body and refuses a
// bigger one with 413 (before reading it, when Content-Length already says so); PlatformExceptionFilter
// turns that refusal into a JSON message that names the service's limit.

/** Express's default, kept for services that do not choose one. */
export const DEFAULT_BODY_LIMIT = '100kb';

/** A body size as services are configured with it: a whole number of kb or mb, e.g. `64kb`, `1mb`. */
export const BODY_SIZE = /^(\d+)(kb|mb)$/;

/** A size as parseBodyLimit accepts it (`64kb`, `1mb`) in bytes, for Fastify's `bodyLimit`. */
export function bodyLimitBytes(limit: string): number {
  const match = BODY_SIZE.exec(limit.trim());
  if (!match) throw new Error(`body limit must be a size in kb or mb such as 64kb or 1mb, got "${limit}"`);
  return Number(match[1]) * (match[2] === 'kb' ? 1024 : 1024 * 1024);
}

export function payloadTooLargeMessage(limit: string): string {
  return `request body larger than ${limit}`;
}
