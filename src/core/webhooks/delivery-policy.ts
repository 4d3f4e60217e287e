/**
 * How deliveries are retried and when an endpoint is turned off (docs/webhooks.md).
 * - An attempt succeeds on a 2xx answer within the timeout; anything else (another status, a timeout, a
 *   refused connection) fails it.
 * - A failed attempt is tried again after 30 s, 1 min, 2 min... doubling up to 6 h, at most MAX_TRIES
 *   times in a round; then the delivery is `failed` (an admin may redeliver it: a new round).
 * - DISABLE_AFTER consecutive failed attempts on an endpoint (any of its deliveries, no success between)
 *   disable it, with the reason; enabling it again (PATCH status=active) resets the count.
 */
export const MAX_TRIES = 8;
export const DISABLE_AFTER = 20;
export const ATTEMPT_TIMEOUT_MS = 10_000;
const FIRST_DELAY_MS = 30_000;
const LONGEST_DELAY_MS = 6 * 3600_000;

/** The wait before try number `tries + 1`, after `tries` failed tries (tries >= 1). */
export function retryDelayMs(tries: number): number {
  return Math.min(FIRST_DELAY_MS * 2 ** Math.max(0, Math.min(tries - 1, 20)), LONGEST_DELAY_MS);
}

export function succeeded(statusCode: number | null): boolean {
  return statusCode !== null && statusCode >= 200 && statusCode < 300;
}
