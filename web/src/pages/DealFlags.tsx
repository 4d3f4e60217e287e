/**
 * The vendor's abuse queue (GET /api/deal-flags): each flag names its rule (src/core/deals/README.md) and
 * carries its evidence; a reviewer confirms or dismisses it, saying what was found.
 */
import { useState } from 'react';
import { Trans } from 'react-i18next';
import { Confirm } from '../components/Confirm';
import { LocalTime } from '../components/deals';
import { ListPage, type FilterField } from '../components/ListPage';
import { PartnerLink } from '../components/refs';
import { Badge, ErrorBanner } from '../components/ui';
import { postSignedIn, useAction } from '../hooks';
import { useT } from '../i18n';
import { FLAG_RULES, flagRuleText } from '../lib/deals';
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

const FLAG_STATUSES = ['open', 'confirmed', 'dismissed'] as const;
type Tf = ReturnType<typeof useT>;

/** A flag's state as shown to people. */
const flagStatusText = (t: Tf, status: string): string =>
  t(`deals.flags.statuses.${status}`, { defaultValue: status });

/** The evidence as sentences: "Order: ord_1", "Customers registered: 25". */
function EvidenceText({ evidence }: { evidence: Readonly<Record<string, unknown>> }) {
  const t = useT();
  const entries = Object.entries(evidence);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="plain">
      {entries.map(([k, v]) => (
        <li key={k}>
          {t(`deals.flags.evidenceKeys.${k}`, { defaultValue: humanize(k) })}:{' '}
          {typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
            ? String(v)
            : JSON.stringify(v)}
        </li>
      ))}
    </ul>
  );
}

export function DealFlagsPage() {
  const t = useT();
  const [open, setOpen] = useState<{ id: string; decision: Decision } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const filters: FilterField[] = [
    {
      name: 'status',
      label: t('deals.flags.status'),
      kind: 'select',
      options: FLAG_STATUSES.map((value) => ({ value, label: flagStatusText(t, value) })),
    },
    {
      name: 'rule',
      label: t('deals.flags.rule'),
      kind: 'select',
      options: FLAG_RULES.map((value) => ({ value, label: flagRuleText(t, value) })),
    },
    {
      name: 'partner',
      label: t('deals.flags.partnerId'),
      kind: 'text',
      placeholder: 'ptn_…',
      pattern: '[a-z]+_[0-9a-z]+',
    },
  ];
  return (
    <ListPage<DealFlag>
      title={t('deals.flags.title')}
      path="/deal-flags"
      endpoint="/api/deal-flags"
      spec={flagSpec}
      noun="flag"
      intro={
        <p className="subtitle">
          <Trans i18nKey="deals.flags.intro" components={{ a: <Link to="/deal-reviews">{null}</Link> }} />
        </p>
      }
      before={<div role="status">{message && <p className="banner banner-info">{message}</p>}</div>}
      filters={filters}
      rowKey={(f) => f.id}
      rowClassName={(f) => (open?.id === f.id ? 'row-editing' : undefined)}
      columns={[
        {
          key: 'created',
          header: t('deals.flags.raised'),
          sort: 'createdAt',
          render: (f) => <LocalTime value={f.createdAt} />,
        },
        {
          key: 'rule',
          header: t('deals.flags.rule'),
          render: (f) => (
            <>
              <strong>{flagRuleText(t, f.rule)}</strong> <code>{f.rule}</code>
            </>
          ),
        },
        { key: 'partner', header: t('deals.flags.partner'), render: (f) => <PartnerLink id={f.partnerId} /> },
        {
          key: 'about',
          header: t('deals.flags.about'),
          render: (f) => (
            <>
              {f.registrationId && (
                <Link to={reviewPath(f.registrationId)}>{t('deals.flags.registration')}</Link>
              )}
              {f.registrationId && f.orderId && ' · '}
              {f.orderId && (
                <Link to={`/orders/${encodeURIComponent(f.orderId)}`}>{t('deals.flags.order')}</Link>
              )}
            </>
          ),
        },
        {
          key: 'evidence',
          header: t('deals.flags.evidence'),
          render: (f) => <EvidenceText evidence={f.evidence} />,
        },
        {
          key: 'status',
          header: t('deals.flags.status'),
          render: (f) => (
            <>
              <Badge tone={f.status === 'open' ? 'warn' : f.status === 'confirmed' ? 'bad' : 'neutral'}>
                {flagStatusText(t, f.status)}
              </Badge>
              {f.resolution && <p className="history-note">“{f.resolution}”</p>}
            </>
          ),
        },
        {
          key: 'decide',
          header: t('deals.flags.decide'),
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
                    {decision === 'confirm' ? t('deals.flags.confirm') : t('deals.flags.dismiss')}
                    <span className="visually-hidden"> {t('deals.flags.flagId', { id: f.id })}</span>
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
              setMessage(t('deals.flags.resolved', { id: r.id, status: flagStatusText(t, r.status) }));
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
  const t = useT();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const act = useAction((body: { decision: Decision; text: string }) =>
    postSignedIn<DealFlag>(`/api/deal-flags/${encodeURIComponent(flag.id)}/resolve`, body),
  );
  const id = `flag-${flag.id}-text`;
  const yes = async () => {
    if (!text.trim()) {
      setError(t('deals.flags.sayWhatYouFound'));
      return;
    }
    setError(null);
    const r = await act.run({ decision, text: text.trim() });
    if (r) onDone(r);
  };
  return (
    <Confirm
      question={decision === 'confirm' ? t('deals.flags.confirmQuestion') : t('deals.flags.dismissQuestion')}
      yes={decision === 'confirm' ? t('deals.flags.confirmYes') : t('deals.flags.dismissYes')}
      busy={act.busy}
      onYes={() => void yes()}
      onCancel={onCancel}
    >
      <p>{decision === 'confirm' ? t('deals.flags.confirmWhat') : t('deals.flags.dismissWhat')}</p>
      <div className="field field-wide">
        <label htmlFor={id}>{t('deals.flags.whatYouFound')}</label>
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
