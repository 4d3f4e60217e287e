/**
 * Unexpected or refused operations raise one error type with a string-literal code; the HTTP edge maps
 * each code to a status in one exhaustive table (src/server/errors.ts) and the CLI prints the message.
 * Expected business outcomes (a conflicting deal, an ineligible line) are typed return values instead.
 */
export type ErrorCode =
  | 'not_found'
  | 'invalid_input'
  | 'conflict'
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited'
  | 'store_unreachable'
  | 'store_busy'
  | 'not_empty'
  | 'invalid_config'
  /** An outside service Trellis depends on for this request (an identity provider) did not answer. */
  | 'upstream_unreachable'
  /** Within the input's own rules but past a documented limit (docs/limits.md). */
  | 'limit_exceeded'
  /** An upload larger than the configured limit (TRELLIS_MAX_UPLOAD_BYTES). */
  | 'too_large'
  /** An upload whose bytes are of a kind Trellis does not accept, or disagree with its name. */
  | 'unsupported_type';

export interface ErrorDetail {
  /** Where the problem is: a JSON pointer, a query parameter, `file:line:column` or a CSV row. */
  location: string;
  message: string;
}

export interface TrellisErrorOptions {
  /** For `rate_limited`: seconds until a retry may succeed (the HTTP edge sends it as `Retry-After`). */
  retryAfterSeconds?: number;
  /**
   * The message's code, for people who read the app in another language: the web app translates
   * `problems.messages.<messageKey>` with `params` and falls back to the English message.
   */
  messageKey?: string;
  params?: Readonly<Record<string, string | number>>;
}

export class TrellisError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    readonly options: TrellisErrorOptions = {},
  ) {
    super(message);
    this.name = 'TrellisError';
  }
}

export function notFound(what: string, id: string): TrellisError {
  return new TrellisError('not_found', `${what} ${id} was not found`, [], {
    messageKey: 'notFound',
    params: { what, id },
  });
}
