import { useCallback, useEffect, useRef, useState } from 'react';
import { getJson, urlOf, type GetData, type GetInit, type GetPath } from './api/client';
import type { Me } from './lib/access';
import {
  apiGet,
  apiPost,
  apiUrl,
  CSRF_COOKIE,
  isAbort,
  problemOf,
  readCookie,
  type Page,
  type Problem,
  type QueryParams,
} from './lib/api';

export type ApiState<T> =
  | { readonly status: 'loading'; readonly data: T | null; readonly problem: null }
  | { readonly status: 'ok'; readonly data: T; readonly problem: null }
  | { readonly status: 'error'; readonly data: T | null; readonly problem: Problem };

export interface UseApiOptions {
  readonly acceptStatuses?: readonly number[];
  /** Keep showing the previous answer while a new one loads (lists paging and sorting). */
  readonly keepPrevious?: boolean;
  /** Answers kept for the session and shared between components (vendors, program lists). */
  readonly cache?: boolean;
}

const cache = new Map<string, Promise<unknown>>();
const cached = new Map<string, unknown>();

/** GETs `path` (null = nothing to fetch yet) and re-fetches whenever the URL changes; cancels stale requests. */
export function useApi<T>(
  path: string | null,
  params: QueryParams = {},
  options: UseApiOptions = {},
): ApiState<T> & { reload: () => void } {
  const url = path === null ? null : apiUrl(path, params);
  const accept = options.acceptStatuses?.join(',') ?? '';
  const load = useCallback(
    (key: string, signal?: AbortSignal) =>
      apiGet<T>(key, {
        acceptStatuses: accept ? accept.split(',').map(Number) : [],
        ...(signal ? { signal } : {}),
      }),
    [accept],
  );
  return useLoad<T>(url, load, options);
}

/**
 * The typed GET: `useGet('/api/partners/{partnerId}/home', { params: { path: { partnerId } } })` answers
 * with the type the server's schema gives that path (web/src/api/client.ts); `path` null = nothing to fetch
 * yet. The same loading/problem/reload contract and options as useApi, re-fetching whenever the URL changes.
 */
export function useGet<P extends GetPath>(
  path: P | null,
  init?: GetInit<P>,
  options: Omit<UseApiOptions, 'acceptStatuses'> = {},
): ApiState<GetData<P>> & { reload: () => void } {
  const url = path === null ? null : urlOf(path, init);
  // The URL says everything the request carries: the loader reads it back rather than `init`, which is a
  // new object on every render.
  const ref = useRef({ path, init });
  ref.current = { path, init };
  const load = useCallback((_key: string, signal?: AbortSignal) => {
    const { path: p, init: i } = ref.current;
    return getJson(p as P, i, signal ? { signal } : {});
  }, []);
  return useLoad<GetData<P>>(url, load, options);
}

/** The loading, caching and cancelling behind useApi and useGet, for one answer keyed by its URL. */
function useLoad<T>(
  url: string | null,
  load: (url: string, signal?: AbortSignal) => Promise<T>,
  options: UseApiOptions,
): ApiState<T> & { reload: () => void } {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<ApiState<T> & { url: string | null }>(() =>
    url !== null && options.cache && cached.has(url)
      ? { status: 'ok', data: cached.get(url) as T, problem: null, url }
      : { status: 'loading', data: null, problem: null, url },
  );
  const { keepPrevious = false, cache: useCache = false } = options;

  useEffect(() => {
    if (url === null) return;
    if (useCache && cached.has(url)) {
      setState({ status: 'ok', data: cached.get(url) as T, problem: null, url });
      return;
    }
    const controller = new AbortController();
    setState((prev) => ({
      status: 'loading',
      data: keepPrevious || prev.url === url ? prev.data : null,
      problem: null,
      url,
    }));
    let promise: Promise<unknown>;
    if (useCache) {
      promise = cache.get(url) ?? load(url);
      cache.set(url, promise);
      promise.then((v) => cached.set(url, v)).catch(() => cache.delete(url));
    } else {
      promise = load(url, controller.signal);
    }
    promise.then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ok', data: data as T, problem: null, url });
      },
      (err: unknown) => {
        if (controller.signal.aborted || isAbort(err)) return;
        setState((prev) => ({
          status: 'error',
          data: keepPrevious ? prev.data : null,
          problem: problemOf(err),
          url,
        }));
      },
    );
    return () => controller.abort();
  }, [url, attempt, keepPrevious, useCache, load]);

  const reload = useCallback(() => setAttempt((a) => a + 1), []);
  // Until the effect has run for a new URL, report loading rather than the previous URL's answer.
  if (state.url !== url) {
    return { status: 'loading', data: keepPrevious ? state.data : null, problem: null, reload };
  }
  return { ...state, reload } as ApiState<T> & { reload: () => void };
}

export interface Vendor {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly currency: string;
  readonly createdAt: string;
}

export interface Program {
  readonly id: string;
  readonly vendorId: string;
  readonly code: string;
  readonly name: string;
  readonly createdAt: string;
}

/** All vendors (one page of up to 500), cached for the session. */
export function useVendors(): ApiState<Page<Vendor>> {
  return useApi<Page<Vendor>>('/api/vendors', { limit: 500 }, { cache: true });
}

export function usePrograms(): ApiState<Page<Program>> {
  return useApi<Page<Program>>('/api/programs', { limit: 500 }, { cache: true });
}

/** `document.title` for the page. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Trellis` : 'Trellis';
  }, [title]);
}

/** Who is signed in (GET /api/me), shared by every component for the session (signing in or out reloads). */
export function useMe(): ApiState<Me> {
  return useApi<Me>('/api/me', {}, { cache: true });
}

/** POSTs as the signed-in person: the session cookie goes along, the CSRF cookie is echoed in its header. */
export function postSignedIn<T>(path: string, body: unknown = {}): Promise<T | null> {
  return apiPost<T>(path, body, { csrfToken: readCookie(document.cookie, CSRF_COOKIE) });
}

/** PUTs as the signed-in person (a record replaced), with the CSRF header like postSignedIn. */
export function putSignedIn<T>(path: string, body: unknown): Promise<T | null> {
  return apiPost<T>(path, body, { csrfToken: readCookie(document.cookie, CSRF_COOKIE), method: 'PUT' });
}

export interface Action<A extends unknown[], R> {
  readonly busy: boolean;
  readonly problem: Problem | null;
  /** Runs the action; resolves to its answer, or to undefined when it failed (the problem is kept). */
  readonly run: (...args: A) => Promise<R | undefined>;
  readonly clear: () => void;
}

/** A write the person starts (a button, a form): whether it is running, and the problem it answered. */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>): Action<A, R> {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const run = async (...args: A): Promise<R | undefined> => {
    setBusy(true);
    setProblem(null);
    try {
      return await fn(...args);
    } catch (err) {
      setProblem(problemOf(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  const clear = useCallback(() => setProblem(null), []);
  return { busy, problem, run, clear };
}
