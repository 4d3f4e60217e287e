import { TrellisError } from '../core/shared/errors.js';
import type { Page, PageKey, PageRequest, SortDirection } from '../db/repositories/page.js';

/** What an API or CLI caller sends: an opaque cursor rather than a raw key. */
export interface PageParams<S extends string> {
  limit: number;
  cursor?: string | undefined;
  sort: S;
  direction: SortDirection;
}

export interface CursorPage<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Cursor = base64url of [sort, direction, value, id]: a cursor from another sort order is refused. */
export function toPageRequest<S extends string>(params: PageParams<S>): PageRequest<S> {
  const { cursor, ...rest } = params;
  return { ...rest, after: cursor ? decodeCursor(cursor, params.sort, params.direction) : undefined };
}

export function toCursorPage<S extends string, T>(params: PageParams<S>, page: Page<T>): CursorPage<T> {
  return {
    items: page.items,
    nextCursor: page.next
      ? Buffer.from(JSON.stringify([params.sort, params.direction, page.next.value, page.next.id])).toString(
          'base64url',
        )
      : null,
  };
}

export async function paged<S extends string, T>(
  params: PageParams<S>,
  fetch: (request: PageRequest<S>) => Promise<Page<T>>,
): Promise<CursorPage<T>> {
  return toCursorPage(params, await fetch(toPageRequest(params)));
}

/**
 * Sort names whose column holds integers (minor units, line numbers); every other sort is over text
 * (names, codes, ISO dates and instants). A cursor's value must have its column's type: a string against
 * an integer column (or a number past 2^53) is refused here rather than failing in the store.
 */
const NUMERIC_SORTS: ReadonlySet<string> = new Set(['total', 'totalMinor', 'listPrice', 'lineNo']);

/** Longest text a cursor may carry as its value or id. */
const MAX_CURSOR_TEXT = 1_000;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

const isText = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= MAX_CURSOR_TEXT && !CONTROL.test(v);

/** Whether a decoded cursor value has the type of the sort column (null: a nullable column's gap). */
export function cursorValueFits(sort: string, value: unknown): value is PageKey['value'] {
  if (value === null) return true;
  return NUMERIC_SORTS.has(sort) ? Number.isSafeInteger(value) : isText(value);
}

function decodeCursor(cursor: string, sort: string, direction: string): PageKey {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 4 &&
      parsed[0] === sort &&
      parsed[1] === direction &&
      cursorValueFits(sort, parsed[2]) &&
      isText(parsed[3])
    ) {
      return { value: parsed[2], id: parsed[3] };
    }
  } catch {
    // reported below
  }
  throw new TrellisError('invalid_input', 'cursor is malformed or belongs to another sort order', [
    {
      location: 'query.cursor',
      message: 'pass back the nextCursor of the previous page, with the same sort and direction',
    },
  ]);
}
