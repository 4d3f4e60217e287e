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

function decodeCursor(cursor: string, sort: string, direction: string): PageKey {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 4 &&
      parsed[0] === sort &&
      parsed[1] === direction &&
      (typeof parsed[2] === 'string' || typeof parsed[2] === 'number' || parsed[2] === null) &&
      typeof parsed[3] === 'string'
    ) {
      return { value: parsed[2] as PageKey['value'], id: parsed[3] };
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
