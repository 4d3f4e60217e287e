/**
 * The typed API client: openapi-fetch over the paths generated from the server's OpenAPI document
 * (schema.d.ts, `npm run api:types`). A path, its parameters, its body and its answer are all checked
 * against the server's schemas, so the app keeps no hand-written response types. It behaves like
 * lib/api.ts: the session cookie goes along, writes echo the CSRF cookie in its header, error answers and
 * network failures become an ApiError carrying the app's Problem. web/src/api/README.md.
 */
import createClient, {
  createFinalURL,
  defaultPathSerializer,
  type Client,
  type ClientPathsWithMethod,
  type MaybeOptionalInit,
  type Middleware,
} from 'openapi-fetch';
import { ApiError, CSRF_COOKIE, CSRF_HEADER, readCookie, toProblem, unreachable } from '../lib/api';
import type { paths } from './schema';
import type { ResponseOf } from './types';

export type ApiClient = Client<paths>;

/** The paths that answer GET, and what each one takes (`{ params: { path, query } }`). */
export type GetPath = ClientPathsWithMethod<ApiClient, 'get'>;
export type GetInit<P extends GetPath> = MaybeOptionalInit<paths[P], 'get'>;
/** The JSON a GET of `P` answers with 200. */
export type GetData<P extends GetPath> = ResponseOf<P>;

export interface ApiClientOptions {
  /** Where the API is; the page's own origin unless told (tests give an absolute one). */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  /** The CSRF token writes carry; the `trellis_csrf` cookie unless told. */
  readonly csrfToken?: () => string | null;
}

/**
 * Query strings as lib/api.ts `apiUrl` writes them: absent, null and empty values left out, keys in their
 * order, a list as the key repeated.
 */
export function serializeQuery(query: Readonly<Record<string, unknown>> | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const v of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (v === undefined || v === null || v === '') continue;
      search.append(key, String(v));
    }
  }
  return search.toString();
}

/**
 * A query without its undefined values, typed with those keys optional: the generated query types take
 * absent rather than undefined (exactOptionalPropertyTypes). `query: compact({ asOf, deal })`.
 */
export function compact<const T extends Readonly<Record<string, unknown>>>(
  values: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** `/api/partners/ptn_1/home?asOf=2026-01-01`: the URL a GET of `path` with `init` asks for. */
export function urlOf<P extends GetPath>(path: P, init?: GetInit<P>): string {
  const params = (init as { params?: { path?: Record<string, unknown>; query?: Record<string, unknown> } })
    ?.params;
  return createFinalURL(path, {
    baseUrl: '',
    params: params ?? {},
    querySerializer: serializeQuery,
    pathSerializer: defaultPathSerializer,
  });
}

function csrfMiddleware(token: () => string | null): Middleware {
  return {
    onRequest({ request }) {
      if (request.method === 'GET' || request.method === 'HEAD') return undefined;
      const value = token();
      if (value) request.headers.set(CSRF_HEADER, value);
      return undefined;
    },
  };
}

function documentCsrfToken(): string | null {
  return typeof document === 'undefined' ? null : readCookie(document.cookie, CSRF_COOKIE);
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const doFetch = options.fetch;
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? (typeof location === 'undefined' ? '' : location.origin),
    // Looked up on each call, so a fetch replaced after start-up (tests) is the one used.
    fetch: (request: Request) => (doFetch ?? globalThis.fetch)(request),
    credentials: 'same-origin',
    headers: { accept: 'application/json, application/problem+json' },
    querySerializer: serializeQuery,
  });
  client.use(csrfMiddleware(options.csrfToken ?? documentCsrfToken));
  return client;
}

/** The app's client. */
export const api: ApiClient = createApiClient();

interface Answer<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly response: Response;
}

function isAbortError(err: unknown): boolean {
  return (
    (err instanceof DOMException || err instanceof Error) && (err as { name?: string }).name === 'AbortError'
  );
}

/**
 * The data of a call, or an ApiError: the problem+json of an error answer (or a problem made from whatever
 * came back), `Network error` when the API could not be reached; an aborted call rethrows its AbortError.
 * `expectBody`: a 2xx answer with nothing in it is an error too (GETs; writes may answer 204).
 */
export async function unwrap<T>(call: Promise<Answer<T>>, expectBody = true): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch (err) {
    if (isAbortError(err)) throw err;
    if (err instanceof SyntaxError) {
      throw new ApiError({
        title: 'Unexpected response',
        status: 0,
        detail: `The answer is not JSON (${err.message}).`,
      });
    }
    throw new ApiError(unreachable(err));
  }
  const { response } = answer;
  if (!response.ok) throw new ApiError(toProblem(response.status, response.statusText, answer.error ?? null));
  if (answer.data === undefined && expectBody) {
    throw new ApiError({
      title: 'Unexpected response',
      status: response.status,
      detail: `Expected JSON from the API but got ${response.headers.get('content-type') ?? 'nothing'}.`,
    });
  }
  return answer.data as T;
}

/** GETs `path` with the client and returns its 200 answer, typed; throws ApiError like lib/api.ts apiGet. */
export function getJson<P extends GetPath>(
  path: P,
  init?: GetInit<P>,
  options: { readonly signal?: AbortSignal; readonly client?: ApiClient } = {},
): Promise<GetData<P>> {
  const client = options.client ?? api;
  const get = client.GET as unknown as (
    path: string,
    init: Record<string, unknown>,
  ) => Promise<Answer<GetData<P>>>;
  return unwrap(get(path, { ...(init ?? {}), ...(options.signal ? { signal: options.signal } : {}) }));
}

/** A stored file's record (POST /api/files, GET /api/files/{fileId}). */
export type StoredFile = ResponseOf<'/api/files', 'post', 201>;

export interface UploadFileOptions {
  /** What the file is for (`mdf-proof`). */
  readonly purpose: 'mdf-proof';
  /** For a partner enrolled with several vendors: the vendor (id or slug) the file is for. */
  readonly vendorId?: string;
  readonly signal?: AbortSignal;
  /** Where the API is; the page's own origin unless told (tests give an absolute one). */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  readonly csrfToken?: () => string | null;
}

/**
 * Uploads one file (POST /api/files, multipart/form-data: `purpose`, `vendorId`, then `file`) and returns
 * its record; an error answer (413 too large, 415 a type not accepted, 400 empty) or a network failure is
 * an ApiError carrying the problem, whose `messageKey` the app translates (problems.messages.file*).
 */
export async function uploadFile(
  file: Blob & { readonly name?: string },
  options: UploadFileOptions,
): Promise<StoredFile> {
  const form = new FormData();
  // Fields before the file: the server reads them as the file starts.
  form.append('purpose', options.purpose);
  if (options.vendorId) form.append('vendorId', options.vendorId);
  form.append('file', file, file.name ?? 'file');
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  const csrf = (options.csrfToken ?? documentCsrfToken)();
  if (csrf) headers[CSRF_HEADER] = csrf;
  let response: Response;
  try {
    const base = options.baseUrl ?? (typeof location === 'undefined' ? '' : location.origin);
    response = await (options.fetch ?? globalThis.fetch)(`${base}/api/files`, {
      method: 'POST',
      body: form,
      headers,
      credentials: 'same-origin',
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw new ApiError(unreachable(err));
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    body = text;
  }
  if (!response.ok) throw new ApiError(toProblem(response.status, response.statusText, body));
  return body as StoredFile;
}

/** Where a stored file's bytes are downloaded from (an attachment). */
export function storedFileContentUrl(fileId: string): string {
  return `/api/files/${encodeURIComponent(fileId)}/content`;
}
