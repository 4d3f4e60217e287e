/**
 * The vendor's abuse queue (GET /api/deal-flags): each flag names its rule (src/core/deals/README.md) and
 * carries its evidence; a reviewer confirms or dismisses it, saying what was found.
 */
import { useState } from 'react';
import { Confirm } from '../components/Confirm';
import { LocalTime } from '../components/deals';
import { ListPage, type FilterField } from '../components/ListPage';
import { options, PartnerLink } from '../components/refs';
import { Badge, ErrorBanner } from '../components/ui';
import { postSignedIn, useAction } from '../hooks';
import { FLAG_RULE_LABELS } from '../lib/deals';
import { humanize } from '../lib/format';
import type { ListSpec } from '../lib/query';
import { Link } from '../router';
import type { DealFlag } from './deals-types';
import { reviewPath } from './DealReviews';

const flagSpec: ListSpec = {
  filters: ['status', 'rule', 'partner'],
  sorts: ['createdAt'],
  defaultSort: 'createdAt',
  defaultLimit: 50,
  defaultDirection: 'desc',
};

type Decision = 'confirm' | 'dismiss';

/** The evidence as sentences: "Order: ord_1", "Customers registered: 25". */
function EvidenceText({ evidence }: { evidence: Readonly<Record<string, unknown>> }) {
  const entries = Object.entries(evidence);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="plain">
      {entries.map(([k, v]) => (
        <li key={k}>
          {humanize(k)}:{' '}
          {typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
            ? String(v)
            : JSON.stringify(v)}
        </li>
      ))}
    </ul>
  );
}

export function DealFlagsPage() {
  const [open, setOpen] = useState<{ id: string; decision: Decision } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const filters: FilterField[] = [
    { name: 'status', label: 'Status', kind: 'select', options: options(['open', 'confirmed', 'dismissed']) },
    {
      name: 'rule',
      label: 'Rule',
      kind: 'select',
      options: Object.entries(FLAG_RULE_LABELS).map(([value, label]) => ({ value, label })),
    },
    { name: 'partner', label: 'Partner id', kind: 'text', placeholder: 'ptn_…', pattern: '[a-z]+_[0-9a-z]+' },
  ];
  return (
    <ListPage<DealFlag>
      title="Deal flags"
      path="/deal-flags"
      endpoint="/api/deal-flags"
      spec={flagSpec}
      noun="flag"
      intro={
        <p className="subtitle">
          Possible abuse of deal registration found by the documented checks, each with its evidence. Confirm
          or dismiss each, saying what you found. Registrations wait in{' '}
          <Link to="/deal-reviews">the deal reviews</Link>.
        </p>
      }
      before={<div role="status">{message && <p className="banner banner-info">{message}</p>}</div>}
      filters={filters}
      rowKey={(f) => f.id}
      rowClassName={(f) => (open?.id === f.id ? 'row-editing' : undefined)}
      columns={[
        {
          key: 'created',
          header: 'Raised',
          sort: 'createdAt',
          render: (f) => <LocalTime value={f.createdAt} />,
        },
        {
          key: 'rule',
          header: 'Rule',
          render: (f) => (
            <>
              <strong>{FLAG_RULE_LABELS[f.rule] ?? humanize(f.rule)}</strong> <code>{f.rule}</code>
            </>
          ),
        },
        { key: 'partner', header: 'Partner', render: (f) => <PartnerLink id={f.partnerId} /> },
        {
          key: 'about',
          header: 'About',
          render: (f) => (
            <>
              {f.registrationId && <Link to={reviewPath(f.registrationId)}>Registration</Link>}
              {f.registrationId && f.orderId && ' · '}
              {f.orderId && <Link to={`/orders/${encodeURIComponent(f.orderId)}`}>Order</Link>}
            </>
          ),
        },
        { key: 'evidence', header: 'Evidence', render: (f) => <EvidenceText evidence={f.evidence} /> },
        {
          key: 'status',
          header: 'Status',
          render: (f) => (
            <>
              <Badge tone={f.status === 'open' ? 'warn' : f.status === 'confirmed' ? 'bad' : 'neutral'}>
                {f.status}
              </Badge>
              {f.resolution && <p className="history-note">“{f.resolution}”</p>}
            </>
          ),
        },
        {
          key: 'decide',
          header: 'Decide',
          render: (f) =>
            f.status === 'open' ? (
              <span className="actions">
                {(['confirm', 'dismiss'] as const).map((decision) => (
                  <button
                    key={decision}
                    type="button"
                    className="button button-small"
                    aria-expanded={open?.id === f.id && open.decision === decision}
                    onClick={() => {
                      setMessage(null);
                      setOpen((o) =>
                        o?.id === f.id && o.decision === decision ? null : { id: f.id, decision },
                      );
                    }}
                  >
                    {decision === 'confirm' ? 'Confirm' : 'Dismiss'}
                    <span className="visually-hidden"> flag {f.id}</span>
                  </button>
                ))}
              </span>
            ) : null,
        },
      ]}
      expanded={(f, reload) =>
        open?.id === f.id && f.status === 'open' ? (
          <ResolveFlag
            key={open.decision}
            flag={f}
            decision={open.decision}
            onCancel={() => setOpen(null)}
            onDone={(r) => {
              setOpen(null);
              setMessage(`Flag ${r.id} ${r.status}.`);
              reload();
            }}
          />
        ) : null
      }
    />
  );
}

function ResolveFlag({
  flag,
  decision,
  onCancel,
  onDone,
}: {
  flag: DealFlag;
  decision: Decision;
  onCancel: () => void;
  onDone: (f: DealFlag) => void;
}) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const act = useAction((body: { decision: Decision; text: string }) =>
    postSignedIn<DealFlag>(`/api/deal-flags/${encodeURIComponent(flag.id)}/resolve`, body),
  );
  const id = `flag-${flag.id}-text`;
  const yes = async () => {
    if (!text.trim()) {
      setError('Say what you found.');
      return;
    }
    setError(null);
    const r = await act.run({ decision, text: text.trim() });
    if (r) onDone(r);
  };
  return (
    <Confirm
      question={`${decision === 'confirm' ? 'Confirm' : 'Dismiss'} this flag?`}
      yes={decision === 'confirm' ? 'Confirm flag' : 'Dismiss flag'}
      busy={act.busy}
      onYes={() => void yes()}
      onCancel={onCancel}
    >
      <p>
        {decision === 'confirm'
          ? 'The flag is recorded as confirmed abuse of deal registration.'
          : 'The flag is closed as not abuse.'}
      </p>
      <div className="field field-wide">
        <label htmlFor={id}>What you found (required)</label>
        <textarea
          id={id}
          rows={2}
          maxLength={2000}
          value={text}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => setText(e.target.value)}
        />
        {error && (
          <p id={`${id}-error`} className="hint field-error" role="alert">
            {error}
          </p>
        )}
      </div>
      {act.problem && <ErrorBanner problem={act.problem} />}
    </Confirm>
  );
}
