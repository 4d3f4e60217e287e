/** Access settings; defaults suit a product people use all day. Overridable through the config. */
export interface AccessSettings {
  /** A session ends this long after sign-in, whatever happens. */
  sessionTtlMs: number;
  /** A session ends after this long without a request. */
  sessionIdleMs: number;
  /** Failed sign-ins for one email allowed before back-off starts. */
  freeFailures: number;
  /** Failed sign-ins from one client address (any email) before back-off starts: higher, as offices share addresses. */
  freeFailuresPerAddress: number;
  /** First back-off; doubles with each further failure, up to maxBackoffMs. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  resetTokenTtlMs: number;
  minPasswordLength: number;
}

export const DEFAULT_ACCESS_SETTINGS: AccessSettings = {
  sessionTtlMs: 12 * 3600_000,
  sessionIdleMs: 30 * 60_000,
  freeFailures: 5,
  freeFailuresPerAddress: 50,
  baseBackoffMs: 2_000,
  maxBackoffMs: 15 * 60_000,
  resetTokenTtlMs: 60 * 60_000,
  minPasswordLength: 12,
};
