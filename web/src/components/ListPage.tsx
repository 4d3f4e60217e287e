import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useApi } from '../hooks';
import { useT } from '../i18n';
import { apiUrl, type Page } from '../lib/api';
import {
  firstPage,
  listStateToApiParams,
  listStateToSearch,
  nextPage,
  readListState,
  toggleSort,
  withFilters,
  withLimit,
  type ListSpec,
  type ListState,
} from '../lib/query';
import { navigate, useLocation } from '../router';
import { DataTable, type Column } from './DataTable';
import { NamePicker } from './NamePicker';
import '../styles/names.css';
import { Empty, ErrorBanner, Loading, PageHeading } from './ui';

export interface FilterOption {
  readonly value: string;
  readonly label: string;
}

export interface FilterField {
  readonly name: string;
  readonly label: string;
  readonly kind: 'text' | 'select' | 'date' | 'name';
  /** For `name`: the list searched by name whose chosen record's id is the filter's value. */
  readonly source?: string;
  /** For selects; when absent (e.g. vendors not loaded) a select falls back to a text input. */
  readonly options?: readonly FilterOption[] | undefined;
  readonly placeholder?: string;
  /** Client-side hint only; the API validates and answers problem+json. */
  readonly pattern?: string;
  readonly hint?: string;
}

interface ListViewProps<T> {
  /** Names the table (its caption) and the pager. */
  readonly title: string;
  /** The app path the list's state is kept on (its query string). */
  readonly path: string;
  readonly endpoint: string;
  readonly spec: ListSpec;
  readonly filters: readonly FilterField[];
  readonly columns: readonly Column<T>[];
  readonly rowKey: (row: T) => string;
  /** Kept for callers; list texts now come from the catalogue. */
  readonly noun: string;
  readonly rowClassName?: (row: T) => string | undefined;
  /** A full-width row under a row (an inline form); `reload` fetches the page again after a change. */
  readonly expanded?: (row: T, reload: () => void) => ReactNode;
  /** Changing it fetches the page again (after a change made elsewhere on the page). */
  readonly reloadKey?: number;
  /** Shown between the filters and the table, given the page's rows (bulk actions on them). */
  readonly toolbar?: (rows: readonly T[]) => ReactNode;
}

interface Props<T> extends ListViewProps<T> {
  readonly intro?: ReactNode;
  /** Shown between the heading and the filters (a form that creates records, for example). */
  readonly before?: ReactNode;
}

const PAGE_SIZES = [20, 50, 100, 200, 500];

/** A page that is one list: heading, then the list. */
export function ListPage<T>({ intro, before, ...list }: Props<T>) {
  return (
    <>
      <PageHeading title={list.title}>{intro}</PageHeading>
      {before}
      <ListView<T> {...list} />
    </>
  );
}

/** A keyset-paginated, filterable, sortable list whose whole state lives in the URL query string. */
export function ListView<T>({
  title,
  path,
  endpoint,
  spec,
  filters,
  columns,
  rowKey,
  noun: _noun,
  rowClassName,
  expanded,
  reloadKey = 0,
  toolbar,
}: ListViewProps<T>) {
  const { search } = useLocation();
  const state = readListState(search, spec);
  const result = useApi<Page<T>>(endpoint, listStateToApiParams(state), { keepPrevious: true });
  const go = (next: ListState) => navigate(`${path}${listStateToSearch(next, spec)}`, { keepPosition: true });
  const { reload } = result;
  const [seenReloadKey, setSeenReloadKey] = useState(reloadKey);
  useEffect(() => {
    if (reloadKey !== seenReloadKey) {
      setSeenReloadKey(reloadKey);
      reload();
    }
  }, [reloadKey, seenReloadKey, reload]);

  const t = useT();
  const page = result.data;
  const loading = result.status === 'loading';
  const activeFilters = Object.keys(state.filters).length;
  // The whole list under the page's filters and order, as the server writes it (one safe CSV writer).
  const { cursor: _cursor, limit: _limit, ...exportParams } = listStateToApiParams(state);
  const exportHref = apiUrl(endpoint, { ...exportParams, format: 'csv' });

  return (
    <>
      <FilterForm
        key={JSON.stringify(state.filters)}
        fields={filters}
        values={state.filters}
        onApply={(values) => go(withFilters(state, values))}
      />
      <a className="list-export button" href={exportHref} download title={t('names.list.exportCsvHint')}>
        {t('names.list.exportCsv')}
      </a>
      {toolbar?.(page?.items ?? [])}
      {result.status === 'error' && <ErrorBanner problem={result.problem} onRetry={result.reload} />}
      {loading && !page && <Loading what={t('names.list.loading', { what: title })} />}
      {page && page.items.length === 0 && !loading && (
        <Empty>
          {state.cursor
            ? t('names.list.noMoreRows')
            : activeFilters > 0
              ? t('names.list.noMatch')
              : t('names.list.empty')}
        </Empty>
      )}
      {page && page.items.length > 0 && (
        <DataTable
          caption={t('names.list.pageCaption', { title, page: state.page })}
          columns={columns}
          rows={page.items}
          rowKey={rowKey}
          sort={state.sort}
          direction={state.direction}
          onSort={(sort) => go(toggleSort(state, sort))}
          busy={loading}
          {...(rowClassName ? { rowClassName } : {})}
          {...(expanded ? { expanded: (row: T) => expanded(row, reload) } : {})}
        />
      )}
      {(page || state.cursor) && (
        <nav className="pager" aria-label={t('names.list.pages', { title })}>
          <button
            type="button"
            className="button"
            disabled={!state.cursor}
            onClick={() => go(firstPage(state))}
          >
            {t('names.list.firstPage')}
          </button>
          <span className="pager-status" aria-live="polite">
            {t('names.list.page', { page: state.page })}
            {page ? ` · ${t('names.list.rows', { count: page.items.length })}` : ''}
            {page && !page.nextCursor ? ` · ${t('names.list.lastPage')}` : ''}
            {loading ? ` · ${t('names.list.loadingShort')}` : ''}
          </span>
          <button
            type="button"
            className="button"
            disabled={!page?.nextCursor || loading}
            onClick={() => page?.nextCursor && go(nextPage(state, page.nextCursor))}
          >
            {t('names.list.nextPage')}
          </button>
          <label className="page-size">
            {t('names.list.rowsPerPage')}{' '}
            <select value={state.limit} onChange={(e) => go(withLimit(state, Number(e.target.value)))}>
              {[...new Set([...PAGE_SIZES, state.limit])]
                .sort((a, b) => a - b)
                .map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
            </select>
          </label>
        </nav>
      )}
    </>
  );
}

interface FilterFormProps {
  readonly fields: readonly FilterField[];
  readonly values: Readonly<Record<string, string>>;
  readonly onApply: (values: Record<string, string>) => void;
}

function FilterForm({ fields, values, onApply }: FilterFormProps) {
  const t = useT();
  const [draft, setDraft] = useState<Record<string, string>>({ ...values });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  const dirty = fields.some((f) => (draft[f.name] ?? '') !== (values[f.name] ?? ''));
  const any = Object.keys(values).length > 0;
  return (
    <form className="filters" role="search" aria-label={t('names.list.filters')} onSubmit={submit}>
      {fields.map((f) => {
        const id = `filter-${f.name}`;
        const value = draft[f.name] ?? '';
        const set = (v: string) => setDraft((d) => ({ ...d, [f.name]: v }));
        let control: ReactNode;
        if (f.kind === 'name' && f.source) {
          control = (
            <NamePicker
              id={id}
              source={f.source}
              value={value}
              describedBy={f.hint ? `${id}-hint` : undefined}
              onChange={(v) => {
                set(v);
                // Choosing a name applies at once, as a select does.
                onApply({ ...draft, [f.name]: v });
              }}
            />
          );
        } else if (f.kind === 'select' && f.options) {
          control = (
            <select
              id={id}
              value={value}
              onChange={(e) => {
                set(e.target.value);
                // Choosing from a list applies at once; typing waits for Enter or Apply.
                onApply({ ...draft, [f.name]: e.target.value });
              }}
            >
              <option value="">{t('names.list.any')}</option>
              {f.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
              {value && !f.options.some((o) => o.value === value) && <option value={value}>{value}</option>}
            </select>
          );
        } else {
          control = (
            <input
              id={id}
              type={f.kind === 'date' ? 'date' : 'search'}
              value={value}
              placeholder={f.placeholder}
              pattern={f.pattern}
              title={f.hint}
              aria-describedby={f.hint ? `${id}-hint` : undefined}
              onChange={(e) => set(e.target.value)}
            />
          );
        }
        return (
          <div className="field" key={f.name}>
            <label htmlFor={id}>{f.label}</label>
            {control}
            {f.hint && (
              <small id={`${id}-hint`} className="hint">
                {f.hint}
              </small>
            )}
          </div>
        );
      })}
      <div className="field field-actions">
        <button type="submit" className="button button-primary" disabled={!dirty}>
          {t('names.list.apply')}
        </button>
        <button type="button" className="button" disabled={!any && !dirty} onClick={() => onApply({})}>
          {t('names.list.clear')}
        </button>
      </div>
    </form>
  );
}
