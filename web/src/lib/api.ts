/** A tiny client for the Trellis HTTP API. Every error the API returns is RFC 9457 problem+json. */

export interface ProblemError {
  readonly location: string;
  readonly message: string;
}

export interface Problem {
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly type?: string;
  readonly code?: string;
  readonly instance?: string;
  readonly errors?: readonly ProblemError[];
  /** A code for the detail the app translates (`problems.messages.<messageKey>`), with its values. */
  readonly messageKey?: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

/** The problem of a call that never got an answer (the API down, the network gone). */
export function unreachable(err: unknown): Problem {
  const reason = err instanceof Error ? err.message : String(err);
  return {
    title: 'Network error',
    status: 0,
    detail: `Could not reach the API (${reason}).`,
    messageKey: 'unreachable',
    params: { reason },
  };
}

/** One page of a keyset-paginated list. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }
}

export type QueryParams = Readonly<Record<string, string | number | null | undefined>>;

/** `/api/partners?limit=50&q=acme`; empty and absent values are left out, keys keep their order. */
export function apiUrl(path: string, params: QueryParams = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Turns whatever an error response carried into a problem, trusting only well-typed fields. */
export function toProblem(status: number, statusText: string, body: unknown): Problem {
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const title = typeof b.title === 'string' && b.title ? b.title : statusText || `HTTP ${status}`;
  const detail =
    typeof b.detail === 'string' && b.detail
      ? b.detail
      : typeof body === 'string' && body.trim() && body.length < 500
        ? body.trim()
        : null;
  const errors = Array.isArray(b.errors)
    ? b.errors.flatMap((e: unknown): ProblemError[] => {
        if (typeof e !== 'object' || e === null) return [];
        const r = e as Record<string, unknown>;
        return typeof r.message === 'string'
          ? [{ location: typeof r.location === 'string' ? r.location : '', message: r.message }]
          : [];
      })
    : [];
  const params =
    typeof b.params === 'object' && b.params !== null
      ? Object.fromEntries(
          Object.entries(b.params as Record<string, unknown>).filter(
            (e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number',
          ),
        )
      : undefined;
  return {
    title,
    status: typeof b.status === 'number' ? b.status : status,
    detail: detail ?? `The server answered ${status}${statusText ? ` ${statusText}` : ''}.`,
    ...(detail === null
      ? { messageKey: 'serverAnswered', params: { status, statusText } }
      : typeof b.messageKey === 'string'
        ? { messageKey: b.messageKey, ...(params ? { params } : {}) }
        : {}),
    ...(typeof b.type === 'string' ? { type: b.type } : {}),
    ...(typeof b.code === 'string' ? { code: b.code } : {}),
    ...(typeof b.instance === 'string' ? { instance: b.instance } : {}),
    ...(errors.length > 0 ? { errors } : {}),
  };
}

export interface GetOptions {
  readonly params?: QueryParams;
  readonly signal?: AbortSignal;
  /** Non-2xx statuses whose body is still the answer (GET /api/health answers 503 when degraded). */
  readonly acceptStatuses?: readonly number[];
  readonly fetchImpl?: typeof fetch;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** GETs JSON from the API; throws ApiError with a problem for error answers and network failures. */
export async function apiGet<T>(path: string, options: GetOptions = {}): Promise<T> {
  const doFetch = options.fetchImpl ?? fetch;
  const url = apiUrl(path, options.params);
  let response: Response;
  try {
    response = await doFetch(url, {
      headers: { accept: 'application/json, application/problem+json' },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(unreachable(err));
  }
  const body = await readBody(response);
  if (response.ok || options.acceptStatuses?.includes(response.status)) {
    if (typeof body === 'string' || body === null) {
      throw new ApiError({
        title: 'Unexpected response',
        status: response.status,
        detail: `Expected JSON from ${path} but got ${response.headers.get('content-type') ?? 'nothing'}.`,
      });
    }
    return body as T;
  }
  throw new ApiError(toProblem(response.status, response.statusText, body));
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

export function problemOf(err: unknown): Problem {
  if (err instanceof ApiError) return err.problem;
  return { title: 'Error', status: 0, detail: err instanceof Error ? err.message : String(err) };
}

/** The value of cookie `name` in a `document.cookie` string, or null. */
export function readCookie(cookies: string, name: string): string | null {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return null;
}

/** The API's CSRF cookie and header: cookie-authenticated writes echo the cookie in the header. */
export const CSRF_COOKIE = 'trellis_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface PostOptions {
  readonly csrfToken?: string | null;
  /** POST unless told (PUT replaces a record). */
  readonly method?: 'POST' | 'PUT';
  readonly fetchImpl?: typeof fetch;
}

/** POSTs JSON (or nothing); returns the JSON answer or null for 204; throws ApiError like apiGet. */
export async function apiPost<T>(path: string, body: unknown, options: PostOptions = {}): Promise<T | null> {
  const doFetch = options.fetchImpl ?? fetch;
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.csrfToken) headers[CSRF_HEADER] = options.csrfToken;
  let response: Response;
  try {
    response = await doFetch(path, {
      method: options.method ?? 'POST',
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (err) {
    throw new ApiError(unreachable(err));
  }
  const answer = await readBody(response);
  if (!response.ok) throw new ApiError(toProblem(response.status, response.statusText, answer));
  return typeof answer === 'object' ? (answer as T | null) : null;
}
