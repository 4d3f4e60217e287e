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
import { canManageNamedAccounts } from '../lib/access';
import { ApiError, problemOf, type Problem } from '../lib/api';
import { fieldKey } from '../lib/deals';
import { detailPath } from '../lib/routes';
import { Link } from '../router';
import type { NamedAccount, NamedAccounts } from './engagement-types';

const STATUS_CHOICES = [
  { value: 'active', label: 'Active' },
  { value: 'removed', label: 'Removed' },
  { value: 'all', label: 'All' },
];

export function DirectAccountsPage() {
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
      setReasonError('Say why it leaves the list: the reason is kept in the audit trail.');
      return;
    }
    const done = await remove.run(removing, reason.trim());
    if (done === undefined) return;
    setMessage(`Removed ${removing.name}: its customers follow the channel rules again.`);
    setRemoving(null);
    list.reload();
  };

  return (
    <>
      <PageHeading title="Direct accounts">
        <p className="subtitle">
          Accounts you serve directly (direct-named): their orders stay direct and partners’ registrations of
          them are turned away. Each is matched to your customers, name variants included.{' '}
          <Link to="/coverage">Coverage</Link>
        </p>
      </PageHeading>
      {data && (
        <p className="named-count" aria-live="polite">
          <strong>{data.active}</strong> active
          {data.maxCount != null ? ` of at most ${data.maxCount} (the program’s limit)` : ' (no limit)'}
          {full && (
            <>
              {' '}
              <Badge tone="warn">the list is full</Badge>
            </>
          )}
        </p>
      )}
      {manage && (
        <AddNamedAccount
          full={full}
          onAdded={(a) => {
            setMessage(
              `Added ${a.name}: ${a.matches.length} customer${a.matches.length === 1 ? '' : 's'} matched.`,
            );
            list.reload();
          }}
        />
      )}
      <div role="status">{message && <p className="banner banner-info">{message}</p>}</div>
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="named-status">Status</label>
          <select id="named-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            {STATUS_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
      </form>
      {list.status === 'error' && <ErrorBanner problem={list.problem} onRetry={list.reload} />}
      {list.status === 'loading' && !data && <Loading what="Loading the direct accounts" />}
      {data && data.items.length === 0 && <Empty>No direct account in this list.</Empty>}
      {data && data.items.length > 0 && (
        <DataTable<NamedAccount>
          caption="Direct accounts"
          rows={data.items}
          rowKey={(a) => a.id}
          busy={list.status === 'loading'}
          expanded={(a) =>
            removing?.id === a.id ? (
              <Confirm
                question={`Remove ${a.name} from the direct accounts?`}
                yes="Remove"
                busy={remove.busy}
                onYes={() => void confirmRemove()}
                onCancel={() => setRemoving(null)}
              >
                <p>
                  Its customers are no longer served directly: their direct orders follow the routing rules.
                </p>
                <div className="field field-wide">
                  <label htmlFor="named-remove-reason">Reason (kept in the audit trail)</label>
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
              header: 'Account',
              render: (a) => (
                <>
                  <strong>{a.name}</strong>
                  {a.domain && <span className="muted"> · {a.domain}</span>}
                </>
              ),
            },
            { key: 'country', header: 'Country', render: (a) => a.country },
            {
              key: 'matches',
              header: 'Matched customers',
              render: (a) =>
                a.matches.length === 0 ? (
                  <span className="muted">none yet</span>
                ) : (
                  <ul className="plain-list">
                    {a.matches.map((m) => (
                      <li key={m.customerId}>
                        <Link to={detailPath('coverage', m.customerId)}>{m.customerName}</Link>{' '}
                        <span className="muted">({Math.round(m.score * 100)}%)</span>
                      </li>
                    ))}
                  </ul>
                ),
            },
            {
              key: 'status',
              header: 'Status',
              render: (a) => (
                <Badge tone={a.status === 'active' ? 'info' : 'neutral'}>
                  <span data-status={a.status}>{a.status}</span>
                </Badge>
              ),
            },
            {
              key: 'source',
              header: 'Added',
              render: (a) => (
                <>
                  {a.source === 'program' ? 'from the program file' : a.addedBy} ·{' '}
                  <LocalTime value={a.addedAt} />
                </>
              ),
            },
            {
              key: 'note',
              header: 'Note',
              render: (a) =>
                a.status === 'removed' ? (
                  <span>
                    Removed <LocalTime value={a.removedAt} />
                    {a.removalReason ? `: “${a.removalReason}”` : ''}
                  </span>
                ) : (
                  (a.note ?? <Dash />)
                ),
            },
            ...(manage
              ? [
                  {
                    key: 'actions',
                    header: 'Actions',
                    render: (a: NamedAccount) =>
                      a.status === 'active' ? (
                        <button
                          type="button"
                          className="button"
                          aria-expanded={removing?.id === a.id}
                          aria-label={`Remove ${a.name}`}
                          onClick={() => askRemove(a)}
                        >
                          Remove
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
    if (!name.trim()) found.name = 'The account’s legal name is required.';
    if (!/^[A-Za-z]{2}$/.test(country.trim()))
      found.country = 'A two-letter ISO country code, such as GB or DE.';
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
      aria-label="Add a direct account"
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <h2>Add a direct account</h2>
      {full && (
        <p className="hint">
          The list is at the program’s limit: remove an account before adding another (the API refuses it).
        </p>
      )}
      <div className="inline-form-fields">
        {field('name', 'Legal name', name, setName, 200)}
        {field('domain', 'Web domain, optional', domain, setDomain, 253)}
        {field('country', 'Country', country, setCountry, 2)}
        {field('note', 'Note, optional', note, setNote, 2000)}
        <div className="field field-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            Add the account
          </button>
        </div>
      </div>
      {problem && <ErrorBanner problem={problem} />}
    </form>
  );
}
