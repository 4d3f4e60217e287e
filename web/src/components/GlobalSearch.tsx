import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { apiGet, isAbort } from '../lib/api';
import { detailPath, type ListResource } from '../lib/routes';
import { useMe } from '../hooks';
import { useT } from '../i18n';
import { navigate } from '../router';
import '../styles/names.css';

type Kind = 'partner' | 'customer' | 'product' | 'program' | 'deal' | 'statement' | 'order';

interface Hit {
  readonly kind: Kind;
  readonly id: string;
  readonly label: string;
  readonly detail: string | null;
}

const PAGE_OF: Record<Kind, ListResource> = {
  partner: 'partners',
  customer: 'customers',
  product: 'products',
  program: 'programs',
  deal: 'deals',
  statement: 'statements',
  order: 'orders',
};

/** Where a search result opens. */
export function hitPath(hit: Pick<Hit, 'kind' | 'id'>): string {
  return detailPath(PAGE_OF[hit.kind], hit.id);
}

/**
 * The header's search (WAI-ARIA combobox with a listbox popup): typing asks `GET /api/search` (what the
 * person may see), arrows move through the results, Enter opens one, Escape closes the list.
 */
export function GlobalSearch() {
  const t = useT();
  const id = useId();
  const [text, setText] = useState('');
  const [hits, setHits] = useState<readonly Hit[] | null>(null);
  const [status, setStatus] = useState<'idle' | 'loading' | 'error'>('idle');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const input = useRef<HTMLInputElement>(null);
  const q = text.trim();

  useEffect(() => {
    if ([...q].length < 2) {
      setHits(null);
      setStatus('idle');
      return;
    }
    const controller = new AbortController();
    setStatus('loading');
    const timer = setTimeout(() => {
      apiGet<{ items: Hit[] }>(`/api/search?q=${encodeURIComponent(q)}`, { signal: controller.signal }).then(
        (answer) => {
          setHits(answer.items);
          setActive(-1);
          setStatus('idle');
        },
        (err: unknown) => {
          if (!isAbort(err)) setStatus('error');
        },
      );
    }, 200);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q]);

  const go = (hit: Hit) => {
    setOpen(false);
    setText('');
    navigate(hitPath(hit));
  };
  const list = hits ?? [];
  const expanded = open && [...q].length >= 2;
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      setActive((a) => (list.length === 0 ? -1 : (a + 1) % list.length));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      setActive((a) => (list.length === 0 ? -1 : (a - 1 + list.length) % list.length));
    } else if (event.key === 'Enter') {
      const hit = list[active] ?? (list.length === 1 ? list[0] : undefined);
      if (hit) {
        event.preventDefault();
        go(hit);
      }
    } else if (event.key === 'Escape') {
      if (expanded) {
        event.preventDefault();
        setOpen(false);
      } else setText('');
    }
  };
  const me = useMe();
  if (me.status !== 'ok' || !me.data) return null;
  const listId = `${id}-list`;
  const optionId = (i: number) => `${id}-opt-${i}`;

  return (
    <div className="global-search" role="search">
      <label htmlFor={`${id}-input`} className="visually-hidden">
        {t('names.search.label')}
      </label>
      <input
        ref={input}
        id={`${id}-input`}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
        aria-describedby={`${id}-hint`}
        placeholder={t('names.search.placeholder')}
        value={text}
        maxLength={100}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
      />
      <span id={`${id}-hint`} className="visually-hidden">
        {t('names.search.hint')}
      </span>
      <div className="global-search-popup" hidden={!expanded}>
        <ul id={listId} role="listbox" aria-label={t('names.search.label')}>
          {list.map((hit, i) => (
            <li
              key={`${hit.kind}:${hit.id}`}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              title={hit.id}
              onMouseDown={(e) => {
                e.preventDefault();
                go(hit);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <span className="hit-kind">{t(`names.search.kinds.${hit.kind}`)}</span>
              <span className="hit-label">{hit.label}</span>
              {hit.detail && <span className="hit-detail">{hit.detail}</span>}
            </li>
          ))}
        </ul>
        <p className="global-search-status" aria-live="polite">
          {status === 'loading'
            ? t('names.search.searching')
            : status === 'error'
              ? t('names.search.failed')
              : hits && hits.length === 0
                ? t('names.search.none', { q })
                : hits
                  ? t('names.search.results', { count: hits.length })
                  : ''}
        </p>
      </div>
    </div>
  );
}
