/**
 * List-page state (filters, sort, direction, cursor, page size) as a URL query string, so that any
 * page of any list can be bookmarked. Defaults are left out of the URL to keep it short.
 */

export type Direction = 'asc' | 'desc';

export interface ListSpec {
  /** Query parameter names the list's API route accepts as filters. */
  readonly filters: readonly string[];
  /** Sort keys the API accepts; the first is not special, `defaultSort` is. */
  readonly sorts: readonly string[];
  readonly defaultSort: string;
  readonly defaultLimit: number;
  /** 'asc' when absent; 'desc' for lists read newest first (closes, disputes). */
  readonly defaultDirection?: Direction;
}

export interface ListState {
  readonly filters: Readonly<Record<string, string>>;
  readonly sort: string;
  readonly direction: Direction;
  readonly cursor: string | null;
  readonly limit: number;
  /** 1-based page number, for display only (keyset pagination has no page numbers). */
  readonly page: number;
}

export const MAX_LIMIT = 500;

function positiveInt(text: string | null, fallback: number, max: number): number {
  if (text === null || !/^\d{1,6}$/.test(text)) return fallback;
  const n = Number(text);
  return n >= 1 && n <= max ? n : fallback;
}

export function readListState(search: string, spec: ListSpec): ListState {
  const params = new URLSearchParams(search);
  const filters: Record<string, string> = {};
  for (const name of spec.filters) {
    const value = params.get(name)?.trim();
    if (value) filters[name] = value;
  }
  const sortParam = params.get('sort');
  const sort = sortParam && spec.sorts.includes(sortParam) ? sortParam : spec.defaultSort;
  const directionParam = params.get('direction');
  const direction: Direction =
    directionParam === 'desc' || directionParam === 'asc' ? directionParam : (spec.defaultDirection ?? 'asc');
  const cursor = params.get('cursor') || null;
  const limit = positiveInt(params.get('limit'), spec.defaultLimit, MAX_LIMIT);
  const page = cursor ? positiveInt(params.get('page'), 2, 1_000_000) : 1;
  return { filters, sort, direction, cursor, limit, page };
}

/** "?q=acme&sort=country" or "" — filters in spec order, then sort, direction, limit, cursor. */
export function listStateToSearch(state: ListState, spec: ListSpec): string {
  const params = new URLSearchParams();
  for (const name of spec.filters) {
    const value = state.filters[name];
    if (value) params.set(name, value);
  }
  if (state.sort !== spec.defaultSort) params.set('sort', state.sort);
  if (state.direction !== (spec.defaultDirection ?? 'asc')) params.set('direction', state.direction);
  if (state.limit !== spec.defaultLimit) params.set('limit', String(state.limit));
  if (state.cursor) {
    params.set('cursor', state.cursor);
    params.set('page', String(state.page));
  }
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

/** The query parameters for the API request (always explicit about sort, direction and limit). */
export function listStateToApiParams(state: ListState): Record<string, string> {
  return {
    ...state.filters,
    sort: state.sort,
    direction: state.direction,
    limit: String(state.limit),
    ...(state.cursor ? { cursor: state.cursor } : {}),
  };
}

export function firstPage(state: ListState): ListState {
  return { ...state, cursor: null, page: 1 };
}

export function nextPage(state: ListState, cursor: string): ListState {
  return { ...state, cursor, page: state.page + 1 };
}

/** Clicking a column header: same column flips the direction, another column sorts ascending. */
export function toggleSort(state: ListState, sort: string): ListState {
  const direction: Direction = state.sort === sort && state.direction === 'asc' ? 'desc' : 'asc';
  return firstPage({ ...state, sort, direction });
}

/** New filters (empty values dropped) start again from the first page. */
export function withFilters(state: ListState, filters: Readonly<Record<string, string>>): ListState {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(filters)) {
    const t = v.trim();
    if (t) clean[k] = t;
  }
  return firstPage({ ...state, filters: clean });
}

export function withLimit(state: ListState, limit: number): ListState {
  return firstPage({ ...state, limit: Math.min(Math.max(1, Math.trunc(limit)), MAX_LIMIT) });
}
