/**
 * Direct-named accounts, the vendor's side (GET/POST /api/named-accounts, POST /api/named-accounts/{id}/
 * remove): the accounts the vendor serves directly, the customers each was matched to, how many are active
 * out of the program's limit; vendor admins add one (refused when the list is full) or remove one with a
 * reason.
 */
import { useState, type FormEvent } from 'react';
import { Confirm } from '../components/Confirm';
import { DataTable } from '../components/DataTable';
import { LocalTime } from '../components/deals';
import { Badge, Dash, Empty, ErrorBanner, Loading, PageHeading } from '../components/ui';
import { postSignedIn, useAction, useApi, useMe } from '../hooks';
import { formatNumber, useT } from '../i18n';
import { canManageNamedAccounts } from '../lib/access';
import { Trans } from 'react-i18next';
import { ApiError, problemOf, type Problem } from '../lib/api';
import { fieldKey } from '../lib/deals';
import { detailPath } from '../lib/routes';
import { Link } from '../router';
import type { NamedAccount, NamedAccounts } from './engagement-types';

const STATUS_CHOICES = [
  { value: 'active', label: 'programs.direct.choice.active' },
  { value: 'removed', label: 'programs.direct.choice.removed' },
  { value: 'all', label: 'programs.direct.choice.all' },
] as const;

const STATUS_LABEL = {
  active: 'programs.direct.status.active',
  removed: 'programs.direct.status.removed',
} as const;

export function DirectAccountsPage() {
  const t = useT();
  const me = useMe();
  const manage = canManageNamedAccounts(me.data);
  const [status, setStatus] = useState('active');
  const list = useApi<NamedAccounts>('/api/named-accounts', { status }, { keepPrevious: true });
  const [removing, setRemoving] = useState<NamedAccount | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const remove = useAction((a: NamedAccount, why: string) =>
    postSignedIn<NamedAccount>(`/api/named-accounts/${encodeURIComponent(a.id)}/remove`, { reason: why }),
  );
  const data = list.data;
  const full = data?.maxCount != null && data.active >= data.maxCount;

  const askRemove = (a: NamedAccount) => {
    remove.clear();
    setMessage(null);
    setReason('');
    setReasonError(null);
    setRemoving((r) => (r?.id === a.id ? null : a));
  };

  const confirmRemove = async () => {
    if (!removing) return;
    if (!reason.trim()) {
      setReasonError(t('programs.direct.sayWhy'));
      return;
    }
    const done = await remove.run(removing, reason.trim());
    if (done === undefined) return;
    setMessage(t('programs.direct.removed', { name: removing.name }));
    setRemoving(null);
    list.reload();
  };

  return (
    <>
      <PageHeading title={t('programs.direct.title')}>
        <p className="subtitle">
          {t('programs.direct.intro')} <Link to="/coverage">{t('programs.direct.coverage')}</Link>
        </p>
      </PageHeading>
      {data && (
        <p className="named-count" aria-live="polite">
          {data.maxCount != null ? (
            <Trans
              i18nKey="programs.direct.activeOfMax"
              count={data.active}
              values={{ max: data.maxCount }}
              components={{ strong: <strong /> }}
            />
          ) : (
            <Trans
              i18nKey="programs.direct.activeNoLimit"
              count={data.active}
              components={{ strong: <strong /> }}
            />
          )}
          {full && (
            <>
              {' '}
              <Badge tone="warn">{t('programs.direct.full')}</Badge>
            </>
          )}
        </p>
      )}
      {manage && (
        <AddNamedAccount
          full={full}
          onAdded={(a) => {
            setMessage(t('programs.direct.added', { name: a.name, count: a.matches.length }));
            list.reload();
          }}
        />
      )}
      <div role="status">{message && <p className="banner banner-info">{message}</p>}</div>
      <form
        className="filters"
        aria-label={t('programs.direct.filters')}
        onSubmit={(e) => e.preventDefault()}
      >
        <div className="field">
          <label htmlFor="named-status">{t('programs.direct.statusLabel')}</label>
          <select id="named-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            {STATUS_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {t(c.label)}
              </option>
            ))}
          </select>
        </div>
      </form>
      {list.status === 'error' && <ErrorBanner problem={list.problem} onRetry={list.reload} />}
      {list.status === 'loading' && !data && <Loading what={t('programs.direct.loading')} />}
      {data && data.items.length === 0 && <Empty>{t('programs.direct.empty')}</Empty>}
      {data && data.items.length > 0 && (
        <DataTable<NamedAccount>
          caption={t('programs.direct.title')}
          rows={data.items}
          rowKey={(a) => a.id}
          busy={list.status === 'loading'}
          expanded={(a) =>
            removing?.id === a.id ? (
              <Confirm
                question={t('programs.direct.confirmRemove', { name: a.name })}
                yes={t('programs.direct.remove')}
                busy={remove.busy}
                onYes={() => void confirmRemove()}
                onCancel={() => setRemoving(null)}
              >
                <p>{t('programs.direct.removeExplain')}</p>
                <div className="field field-wide">
                  <label htmlFor="named-remove-reason">{t('programs.direct.reason')}</label>
                  <textarea
                    id="named-remove-reason"
                    rows={2}
                    maxLength={2000}
                    value={reason}
                    aria-invalid={reasonError ? true : undefined}
                    aria-describedby={reasonError ? 'named-remove-reason-error' : undefined}
                    onChange={(e) => setReason(e.target.value)}
                  />
                  {reasonError && (
                    <p id="named-remove-reason-error" className="hint field-error" role="alert">
                      {reasonError}
                    </p>
                  )}
                </div>
                {remove.problem && <ErrorBanner problem={remove.problem} />}
              </Confirm>
            ) : null
          }
          columns={[
            {
              key: 'name',
              header: t('programs.direct.account'),
              render: (a) => (
                <>
                  <strong>{a.name}</strong>
                  {a.domain && <span className="muted"> · {a.domain}</span>}
                </>
              ),
            },
            { key: 'country', header: t('programs.direct.country'), render: (a) => a.country },
            {
              key: 'matches',
              header: t('programs.direct.matchedCustomers'),
              render: (a) =>
                a.matches.length === 0 ? (
                  <span className="muted">{t('programs.direct.noneYet')}</span>
                ) : (
                  <ul className="plain-list">
                    {a.matches.map((m) => (
                      <li key={m.customerId}>
                        <Link to={detailPath('coverage', m.customerId)}>{m.customerName}</Link>{' '}
                        <span className="muted">
                          ({formatNumber(m.score, { style: 'percent', maximumFractionDigits: 0 })})
                        </span>
                      </li>
                    ))}
                  </ul>
                ),
            },
            {
              key: 'status',
              header: t('programs.direct.statusLabel'),
              render: (a) => (
                <Badge tone={a.status === 'active' ? 'info' : 'neutral'}>
                  <span data-status={a.status}>
                    {a.status in STATUS_LABEL
                      ? t(STATUS_LABEL[a.status as keyof typeof STATUS_LABEL])
                      : a.status}
                  </span>
                </Badge>
              ),
            },
            {
              key: 'source',
              header: t('programs.direct.addedHeader'),
              render: (a) => (
                <>
                  {a.source === 'program' ? t('programs.direct.fromProgramFile') : a.addedBy} ·{' '}
                  <LocalTime value={a.addedAt} />
                </>
              ),
            },
            {
              key: 'note',
              header: t('programs.direct.note'),
              render: (a) =>
                a.status === 'removed' ? (
                  <span>
                    {t('programs.direct.removedOn')} <LocalTime value={a.removedAt} />
                    {a.removalReason ? t('programs.direct.removalReason', { reason: a.removalReason }) : ''}
                  </span>
                ) : (
                  (a.note ?? <Dash />)
                ),
            },
            ...(manage
              ? [
                  {
                    key: 'actions',
                    header: t('programs.direct.actions'),
                    render: (a: NamedAccount) =>
                      a.status === 'active' ? (
                        <button
                          type="button"
                          className="button"
                          aria-expanded={removing?.id === a.id}
                          aria-label={t('programs.direct.removeName', { name: a.name })}
                          onClick={() => askRemove(a)}
                        >
                          {t('programs.direct.remove')}
                        </button>
                      ) : (
                        <Dash />
                      ),
                  },
                ]
              : []),
          ]}
        />
      )}
    </>
  );
}

type FieldErrors = Readonly<Record<string, string>>;

const FIELDS = ['name', 'domain', 'country', 'note'];

/** The add form: name, domain, country and note; the API's refusals shown by the fields or above them. */
function AddNamedAccount({ full, onAdded }: { full: boolean; onAdded: (a: NamedAccount) => void }) {
  const t = useT();
  const [name, setName] = useState('');
  const [domain, setDomain] = useState('');
  const [country, setCountry] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = t('programs.direct.nameRequired');
    if (!/^[A-Za-z]{2}$/.test(country.trim())) found.country = t('programs.direct.countryFormat');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const added = await postSignedIn<NamedAccount>('/api/named-accounts', {
        name: name.trim(),
        domain: domain.trim() || null,
        country: country.trim().toUpperCase(),
        note: note.trim() || null,
      });
      setName('');
      setDomain('');
      setCountry('');
      setNote('');
      if (added) onAdded(added);
    } catch (err) {
      const p = err instanceof ApiError ? err.problem : problemOf(err);
      const fields: Record<string, string> = {};
      const rest = [];
      for (const e of p.errors ?? []) {
        const key = fieldKey(e.location);
        // A full list (422) is about the list, not the field the API names: it stays in the banner.
        if (p.status !== 422 && FIELDS.includes(key) && !fields[key]) fields[key] = e.message;
        else rest.push(e);
      }
      setErrors(fields);
      setProblem({ ...p, errors: rest });
    } finally {
      setBusy(false);
    }
  };

  const field = (key: string, label: string, value: string, set: (v: string) => void, max: number) => {
    const id = `named-${key}`;
    const error = errors[key];
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          type="text"
          autoComplete="off"
          maxLength={max}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => set(e.target.value)}
        />
        {error && (
          <p id={`${id}-error`} className="hint field-error" role="alert">
            {error}
          </p>
        )}
      </div>
    );
  };

  return (
    <form
      className="inline-form"
      aria-label={t('programs.direct.add')}
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <h2>{t('programs.direct.add')}</h2>
      {full && <p className="hint">{t('programs.direct.atLimit')}</p>}
      <div className="inline-form-fields">
        {field('name', t('programs.direct.legalName'), name, setName, 200)}
        {field('domain', t('programs.direct.domain'), domain, setDomain, 253)}
        {field('country', t('programs.direct.country'), country, setCountry, 2)}
        {field('note', t('programs.direct.noteOptional'), note, setNote, 2000)}
        <div className="field field-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {t('programs.direct.addButton')}
          </button>
        </div>
      </div>
      {problem && <ErrorBanner problem={problem} />}
    </form>
  );
}
