import { sql, type SelectQueryBuilder } from 'kysely';

export type SortDirection = 'asc' | 'desc';

export type KeyValue = string | number | null;

/** Where a page starts: strictly after the row with this sort value and id. */
export interface PageKey {
  value: KeyValue;
  id: string;
}

export interface PageRequest<S extends string = string> {
  limit: number;
  after?: PageKey | undefined;
  sort: S;
  direction: SortDirection;
}

export interface Page<T> {
  items: T[];
  /** The key of the last item when more rows follow; null on the last page. */
  next: PageKey | null;
}

/**
 * Keyset pagination over (sort column, id): stable under inserts and as fast on page 10,000 as on page 1.
 * `columns` maps the public sort names to SQL column references; only those can be sorted on, so
 * a sort parameter can never inject SQL.
 */
export async function paginate<DB, TB extends keyof DB, O extends { id: string }, S extends string>(
  query: SelectQueryBuilder<DB, TB, O>,
  request: PageRequest<S>,
  columns: Record<S, { ref: string; value: (row: O) => KeyValue }>,
  idRef: string,
): Promise<Page<O>> {
  const column = columns[request.sort];
  const dir = request.direction;
  let q = query;
  if (request.after) {
    const { value, id } = request.after;
    const cmp = dir === 'asc' ? sql.raw('>') : sql.raw('<');
    q = q.where(
      sql<boolean>`(${sql.ref(column.ref)}, ${sql.ref(idRef)}) ${cmp} (${value}, ${id})`,
    ) as typeof q;
  }
  const rows = await q
    .orderBy(sql.ref(column.ref), dir)
    .orderBy(sql.ref(idRef), dir)
    .limit(request.limit + 1)
    .execute();
  const items = rows.slice(0, request.limit);
  const last = items.at(-1);
  const next = rows.length > request.limit && last ? { value: column.value(last), id: last.id } : null;
  return { items, next };
}
