import { Fragment, type ReactNode } from 'react';
import { useT } from '../i18n';
import type { Direction } from '../lib/query';

export interface Column<T> {
  readonly key: string;
  readonly header: string;
  /** The API's sort key when the column is sortable. */
  readonly sort?: string;
  readonly numeric?: boolean;
  readonly render: (row: T) => ReactNode;
}

interface Props<T> {
  readonly caption: string;
  readonly columns: readonly Column<T>[];
  readonly rows: readonly T[];
  readonly rowKey: (row: T) => string;
  readonly sort?: string;
  readonly direction?: Direction;
  readonly onSort?: (sort: string) => void;
  readonly busy?: boolean;
  /** A class for a row (clawback lines, rows being edited). */
  readonly rowClassName?: (row: T) => string | undefined;
  /** Content shown in a full-width row under a row (an inline form), or null for none. */
  readonly expanded?: (row: T) => ReactNode;
}

export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  sort,
  direction,
  onSort,
  busy = false,
  rowClassName,
  expanded,
}: Props<T>) {
  const t = useT();
  return (
    <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table className={busy ? 'busy' : undefined} aria-busy={busy || undefined}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => {
              const active = c.sort !== undefined && c.sort === sort;
              const ariaSort = active ? (direction === 'desc' ? 'descending' : 'ascending') : undefined;
              return (
                <th key={c.key} scope="col" aria-sort={ariaSort} className={c.numeric ? 'num' : undefined}>
                  {c.sort && onSort ? (
                    <button type="button" className="sort" onClick={() => onSort(c.sort as string)}>
                      {c.header}
                      <span className="sort-mark" aria-hidden="true">
                        {active ? (direction === 'desc' ? '▼' : '▲') : '↕'}
                      </span>
                      <span className="visually-hidden">
                        {active
                          ? direction === 'desc'
                            ? t('names.list.sortedDescending')
                            : t('names.list.sortedAscending')
                          : t('names.list.activateToSort')}
                      </span>
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const key = rowKey(row);
            const extra = expanded?.(row);
            return (
              <Fragment key={key}>
                <tr className={rowClassName?.(row)}>
                  {columns.map((c) => (
                    <td key={c.key} className={c.numeric ? 'num' : undefined}>
                      {c.render(row)}
                    </td>
                  ))}
                </tr>
                {extra !== undefined && extra !== null && extra !== false && (
                  <tr className="row-expanded">
                    <td colSpan={columns.length}>{extra}</td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
