import { useState, type FormEvent } from 'react';
import { ISO_DAY } from '../lib/standing';
import { formatDate, useT } from '../i18n';

export interface QuickDate {
  readonly label: string;
  readonly date: string;
  /** A program version's end: the label is then written in the person's language. */
  readonly endOf?: string;
}

/**
 * An "As of" day for tier queries: a date input applied with a button, quick choices (the program's
 * effective end dates) and "Today" (leaves the day unset: the server uses today).
 */
export function AsOfForm({
  idPrefix,
  value,
  onChange,
  quick = [],
}: {
  idPrefix: string;
  /** '' = unset (today on the server). */
  value: string;
  onChange: (value: string) => void;
  quick?: readonly QuickDate[];
}) {
  const t = useT();
  const [draft, setDraft] = useState(value);
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    // The value changed from outside (a quick choice): show it in the input.
    setSeen(value);
    setDraft(value);
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft === '' || ISO_DAY.test(draft)) onChange(draft);
  };
  const inputId = `${idPrefix}-as-of`;
  return (
    <form className="filters as-of" aria-label={t('shell.asOf.form')} onSubmit={submit}>
      <div className="field">
        <label htmlFor={inputId}>{t('shell.asOf.label')}</label>
        <input id={inputId} type="date" value={draft} onChange={(e) => setDraft(e.target.value)} />
      </div>
      <div className="field field-actions">
        <button type="submit" className="button button-primary">
          {t('shell.asOf.apply')}
        </button>
        {quick.map((q) => (
          <button
            key={q.label}
            type="button"
            className="button"
            aria-pressed={value === q.date}
            onClick={() => onChange(q.date)}
          >
            {q.endOf ? t('shell.asOf.endOf', { version: q.endOf, date: formatDate(q.date) }) : q.label}
          </button>
        ))}
        <button type="button" className="button" aria-pressed={value === ''} onClick={() => onChange('')}>
          {t('shell.asOf.today')}
        </button>
      </div>
      <p className="hint as-of-hint">
        {value ? (
          <>
            {t('shell.asOf.showingOn')} <strong>{formatDate(value)}</strong>
          </>
        ) : (
          t('shell.asOf.showingToday')
        )}
      </p>
    </form>
  );
}

/** Quick choices from a program's versions: the effective end date of each (latest first). */
export function programEndChoices(
  versions: readonly { readonly version: string; readonly effectiveTo: string }[] | undefined,
): QuickDate[] {
  if (!versions) return [];
  const seen = new Set<string>();
  return [...versions]
    .sort((a, b) => b.effectiveTo.localeCompare(a.effectiveTo))
    .flatMap((v) => {
      const date = v.effectiveTo.slice(0, 10);
      if (!ISO_DAY.test(date) || seen.has(date)) return [];
      seen.add(date);
      return [{ label: `End of ${v.version} (${date})`, date, endOf: v.version }];
    });
}
