import { useCallback, useEffect, useState } from 'react';
import { apiGet, apiUrl, isAbort, problemOf, type Page, type Problem, type QueryParams } from './lib/api';

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
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<ApiState<T> & { url: string | null }>(() =>
    url !== null && options.cache && cached.has(url)
      ? { status: 'ok', data: cached.get(url) as T, problem: null, url }
      : { status: 'loading', data: null, problem: null, url },
  );
  const { keepPrevious = false, cache: useCache = false } = options;
  const accept = options.acceptStatuses?.join(',') ?? '';

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
    const acceptStatuses = accept ? accept.split(',').map(Number) : [];
    let promise: Promise<unknown>;
    if (useCache) {
      promise = cache.get(url) ?? apiGet<T>(url, { acceptStatuses });
      cache.set(url, promise);
      promise.then((v) => cached.set(url, v)).catch(() => cache.delete(url));
    } else {
      promise = apiGet<T>(url, { acceptStatuses, signal: controller.signal });
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
  }, [url, attempt, keepPrevious, useCache, accept]);

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
