import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { apiGet, apiUrl, isAbort } from '../lib/api';
import { useT } from '../i18n';

interface Named {
  readonly id: string;
  readonly name: string;
}

interface Props {
  readonly id: string;
  /** The list searched by name (`/api/partners`, `/api/customers`): `?q=` is its name filter. */
  readonly source: string;
  /** The chosen record's id ('' for none). */
  readonly value: string;
  readonly onChange: (id: string) => void;
  readonly describedBy?: string | undefined;
}

/**
 * Chooses a record by name (a combobox over the list's own `q` search, so it offers only what the person
 * may see) and gives its id to the filter; the chosen name is shown, its id on hover.
 */
export function NamePicker({ id, source, value, onChange, describedBy }: Props) {
  const t = useT();
  const listId = `${useId()}-names`;
  const chosen = useNameOf(source, value);
  const [text, setText] = useState<string | null>(null);
  const [options, setOptions] = useState<readonly Named[]>([]);
  const [active, setActive] = useState(-1);
  const typing = text !== null;
  const q = (text ?? '').trim();

  useEffect(() => {
    if (!typing || [...q].length < 2) {
      setOptions([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      apiGet<{ items: Named[] }>(apiUrl(source, { q, limit: 8 }), { signal: controller.signal }).then(
        (page) => {
          setOptions(page.items);
          setActive(-1);
        },
        (err: unknown) => {
          if (!isAbort(err)) setOptions([]);
        },
      );
    }, 200);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q, typing, source]);

  const choose = (n: Named) => {
    onChange(n.id);
    setText(null);
    setOptions([]);
  };
  const expanded = typing && options.length > 0;
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' && options.length > 0) {
      event.preventDefault();
      setActive((a) => (a + 1) % options.length);
    } else if (event.key === 'ArrowUp' && options.length > 0) {
      event.preventDefault();
      setActive((a) => (a - 1 + options.length) % options.length);
    } else if (event.key === 'Enter' && expanded) {
      const pick = options[active] ?? (options.length === 1 ? options[0] : undefined);
      if (pick) {
        event.preventDefault();
        choose(pick);
      }
    } else if (event.key === 'Escape' && typing) {
      event.preventDefault();
      setText(null);
    }
  };
  return (
    <div className="name-picker">
      <input
        id={id}
        type="search"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        aria-describedby={describedBy}
        placeholder={t('names.list.pickerHint')}
        title={value || undefined}
        value={text ?? (value ? (chosen ?? value) : '')}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value === '') onChange('');
        }}
        onBlur={() => setTimeout(() => setText(null), 150)}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" className="name-picker-options" hidden={!expanded}>
        {options.map((n, i) => (
          <li
            key={n.id}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            title={n.id}
            onMouseDown={(e) => {
              e.preventDefault();
              choose(n);
            }}
          >
            {n.name}
          </li>
        ))}
      </ul>
    </div>
  );
}

const names = new Map<string, string>();

/** The name of the record `id` of `source` (read once per session), or null until known. */
function useNameOf(source: string, id: string): string | null {
  const key = `${source}/${id}`;
  const [name, setName] = useState<string | null>(names.get(key) ?? null);
  useEffect(() => {
    if (!id) return;
    const known = names.get(key);
    if (known) {
      setName(known);
      return;
    }
    const controller = new AbortController();
    apiGet<Named>(`${source}/${encodeURIComponent(id)}`, { signal: controller.signal }).then(
      (r) => {
        names.set(key, r.name);
        setName(r.name);
      },
      () => setName(null),
    );
    return () => controller.abort();
  }, [key, id, source]);
  return id ? name : null;
}
