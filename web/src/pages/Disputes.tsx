/**
 * Disputes (GET /api/disputes): partners dispute statement lines; a vendor admin accepts (the adjustment
 * lands on the partner's next statement) or rejects them with a reason, inline in the list or on a
 * dispute's page. Partners see what was decided.
 */
import { useState, type FormEvent } from 'react';
import { ListPage, type FilterField } from '../components/ListPage';
import { PartnerLink, ProgramLink } from '../components/refs';
import { Badge, ErrorBanner, Fields, IsoTime, Loading, PageHeading, SignedMoney } from '../components/ui';
import { postSignedIn, useAction, useGet, useMe } from '../hooks';
import { formatMoney, useT } from '../i18n';
import { canManageSettlement, isVendorReader } from '../lib/access';
import { parseMoneyInput } from '../lib/money';
import type { ListSpec } from '../lib/query';
import { detailPath } from '../lib/routes';
import { DISPUTE_STATUSES, disputeTone } from '../lib/settlement';
import { DisputeResolution } from '../components/settlement';
import { Link } from '../router';
import type { Dispute } from './types';

const ID_PATTERN = '[a-z]+_[0-9a-z]+';

const disputeSpec: ListSpec = {
  filters: ['status', 'statement', 'partner'],
  sorts: ['openedAt'],
  defaultSort: 'openedAt',
  defaultLimit: 50,
  defaultDirection: 'desc',
};

type Decision = 'accept' | 'reject';

type Tf = ReturnType<typeof useT>;

function outcome(t: Tf, d: Dispute): string {
  return d.status === 'accepted'
    ? t('deals.disputes.acceptedOutcome', {
        id: d.id,
        amount: formatMoney(d.resolvedMinor ?? d.requestedMinor, d.currency),
      })
    : t('deals.disputes.rejectedOutcome', { id: d.id });
}

/** A dispute's state as shown to people. */
const disputeStatusText = (t: Tf, status: string): string =>
  t(`deals.disputes.statuses.${status}`, { defaultValue: status });

export function DisputesPage() {
  const t = useT();
  const me = useMe();
  const vendor = isVendorReader(me.data);
  const manage = canManageSettlement(me.data);
  const [open, setOpen] = useState<{ id: string; decision: Decision } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const filters: FilterField[] = [
    {
      name: 'status',
      label: t('deals.disputes.status'),
      kind: 'select',
      options: DISPUTE_STATUSES.map((value) => ({ value, label: disputeStatusText(t, value) })),
    },
    {
      name: 'statement',
      label: t('deals.disputes.statementId'),
      kind: 'text',
      placeholder: 'stm_…',
      pattern: ID_PATTERN,
    },
    ...(vendor
      ? [
          {
            name: 'partner',
            label: t('deals.disputes.partnerId'),
            kind: 'text' as const,
            placeholder: 'ptn_…',
            pattern: ID_PATTERN,
          },
        ]
      : []),
  ];
  const toggle = (id: string, decision: Decision) => {
    setMessage(null);
    setOpen((o) => (o?.id === id && o.decision === decision ? null : { id, decision }));
  };
  return (
    <ListPage<Dispute>
      title={t('deals.disputes.title')}
      path="/disputes"
      endpoint="/api/disputes"
      spec={disputeSpec}
      noun="dispute"
      intro={
        <p className="subtitle">
          {vendor ? t('deals.disputes.introVendor') : t('deals.disputes.introPartner')}
        </p>
      }
      before={<div role="status">{message && <p className="banner banner-info">{message}</p>}</div>}
      filters={filters}
      rowKey={(d) => d.id}
      rowClassName={(d) => (open?.id === d.id ? 'row-editing' : undefined)}
      columns={[
        {
          key: 'opened',
          header: t('deals.disputes.opened'),
          sort: 'openedAt',
          render: (d) => (
            <Link to={detailPath('disputes', d.id)}>
              <IsoTime value={d.openedAt} />
            </Link>
          ),
        },
        ...(vendor
          ? [
              {
                key: 'partner',
                header: t('deals.disputes.partner'),
                render: (d: Dispute) => <PartnerLink id={d.partnerId} />,
              },
            ]
          : []),
        {
          key: 'statement',
          header: t('deals.disputes.statement'),
          render: (d) => <Link to={detailPath('statements', d.statementId)}>{d.statementId}</Link>,
        },
        { key: 'reason', header: t('deals.disputes.reason'), render: (d) => d.reason },
        {
          key: 'asked',
          header: t('deals.disputes.askedFor'),
          numeric: true,
          render: (d) => <SignedMoney minor={d.requestedMinor} currency={d.currency} />,
        },
        {
          key: 'status',
          header: t('deals.disputes.status'),
          render: (d) => <Badge tone={disputeTone(d.status)}>{disputeStatusText(t, d.status)}</Badge>,
        },
        {
          key: 'resolution',
          header: t('deals.disputes.resolution'),
          render: (d) => <DisputeResolution dispute={d} />,
        },
        ...(manage
          ? [
              {
                key: 'decide',
                header: t('deals.disputes.decide'),
                render: (d: Dispute) =>
                  d.status === 'open' ? (
                    <span className="actions">
                      {(['accept', 'reject'] as const).map((decision) => (
                        <button
                          key={decision}
                          type="button"
                          className="button button-small"
                          aria-expanded={open?.id === d.id && open.decision === decision}
                          aria-controls={`resolve-${d.id}`}
                          onClick={() => toggle(d.id, decision)}
                        >
                          {decision === 'accept' ? t('deals.disputes.accept') : t('deals.disputes.reject')}
                          <span className="visually-hidden">
                            {' '}
                            {t('deals.disputes.disputeId', { id: d.id })}
                          </span>
                        </button>
                      ))}
                    </span>
                  ) : null,
              },
            ]
          : []),
      ]}
      expanded={(d, reload) =>
        open?.id === d.id && d.status === 'open' ? (
          <ResolveDisputeForm
            key={open.decision}
            dispute={d}
            decision={open.decision}
            onCancel={() => setOpen(null)}
            onDone={(resolved) => {
              setOpen(null);
              setMessage(outcome(t, resolved));
              reload();
            }}
          />
        ) : null
      }
    />
  );
}

export function ResolveDisputeForm({
  dispute: d,
  decision,
  onDone,
  onCancel,
}: {
  dispute: Dispute;
  decision: Decision;
  onDone: (d: Dispute) => void;
  onCancel: () => void;
}) {
  const t = useT();
  const [note, setNote] = useState('');
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [amountError, setAmountError] = useState<string | null>(null);
  const act = useAction((body: { reason?: string; amountMinor?: number }) =>
    postSignedIn<Dispute>(`/api/disputes/${encodeURIComponent(d.id)}/${decision}`, body),
  );
  const prefix = `resolve-${d.id}`;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setAmountError(null);
    const text = note.trim();
    if (decision === 'reject') {
      if (!text) {
        setError(t('deals.disputes.reasonRequired'));
        return;
      }
      const r = await act.run({ reason: text });
      if (r) onDone(r);
      return;
    }
    let amountMinor: number | undefined;
    if (amount.trim()) {
      // Parsed in the person's locale ("150,25" in French is 150.25), or refused: never scaled.
      const parsed = parseMoneyInput(amount, d.currency, { signed: true });
      if (!parsed.ok || parsed.minor === 0) {
        setAmountError(parsed.ok ? t('deals.disputes.nonZero', { currency: d.currency }) : parsed.message);
        return;
      }
      amountMinor = parsed.minor;
    }
    const r = await act.run({
      ...(text ? { reason: text } : {}),
      ...(amountMinor !== undefined ? { amountMinor } : {}),
    });
    if (r) onDone(r);
  };
  const accept = decision === 'accept';
  return (
    <form
      id={prefix}
      className="inline-form"
      aria-labelledby={`${prefix}-title`}
      onSubmit={submit}
      noValidate
    >
      <h3 id={`${prefix}-title`}>
        {accept
          ? t('deals.disputes.acceptTitle', { amount: formatMoney(d.requestedMinor, d.currency) })
          : t('deals.disputes.rejectTitle', { amount: formatMoney(d.requestedMinor, d.currency) })}
      </h3>
      <p className="muted">“{d.reason}”</p>
      <div className="inline-form-fields">
        {accept && (
          <div className="field">
            <label htmlFor={`${prefix}-amount`}>
              {t('deals.disputes.amountToCredit', { currency: d.currency })}
            </label>
            <input
              id={`${prefix}-amount`}
              type="text"
              inputMode="decimal"
              autoComplete="off"
              value={amount}
              aria-invalid={amountError ? true : undefined}
              aria-describedby={amountError ? `${prefix}-amount-error` : `${prefix}-amount-hint`}
              onChange={(e) => setAmount(e.target.value)}
            />
            <small id={`${prefix}-amount-hint`} className="hint">
              {t('deals.disputes.amountHint', { amount: formatMoney(d.requestedMinor, d.currency) })}
            </small>
            {amountError && (
              <p id={`${prefix}-amount-error`} className="hint field-error" role="alert">
                {amountError}
              </p>
            )}
          </div>
        )}
        <div className="field field-wide">
          <label htmlFor={`${prefix}-note`}>
            {accept ? t('deals.disputes.noteToPartner') : t('deals.disputes.rejectionReason')}
          </label>
          <textarea
            id={`${prefix}-note`}
            rows={2}
            maxLength={2000}
            required={!accept}
            autoFocus
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        </div>
      </div>
      {error && (
        <p className="hint field-error" role="alert">
          {error}
        </p>
      )}
      {act.problem && <ErrorBanner problem={act.problem} />}
      <div className="field-actions">
        <button type="submit" className="button button-primary" disabled={act.busy}>
          {act.busy
            ? t('deals.disputes.saving')
            : accept
              ? t('deals.disputes.acceptDispute')
              : t('deals.disputes.rejectDispute')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('deals.disputes.cancel')}
        </button>
      </div>
    </form>
  );
}

export function DisputeDetailPage({ id }: { id: string }) {
  const t = useT();
  const state = useGet('/api/disputes/{disputeId}', { params: { path: { disputeId: id } } });
  const me = useMe();
  const [updated, setUpdated] = useState<Dispute | null>(null);
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const d = updated ?? (state.status === 'ok' ? state.data : null);
  return (
    <>
      <p className="crumbs">
        <Link to="/disputes">{t('deals.disputes.back')}</Link>
      </p>
      {state.status === 'loading' && <Loading what={t('deals.disputes.loading')} />}
      {state.problem && (
        <>
          <PageHeading title={t('deals.disputes.disputeTitle', { id })} />
          <ErrorBanner problem={state.problem} onRetry={state.reload} />
        </>
      )}
      {d && (
        <>
          <PageHeading title={t('deals.disputes.disputeTitle', { id: d.id })}>
            <p className="subtitle">
              <Badge tone={disputeTone(d.status)}>{disputeStatusText(t, d.status)}</Badge>{' '}
              <PartnerLink id={d.partnerId} /> · <ProgramLink id={d.programId} />
            </p>
          </PageHeading>
          <Fields
            items={[
              [
                t('deals.disputes.statement'),
                <Link key="s" to={detailPath('statements', d.statementId)}>
                  {d.statementId}
                </Link>,
              ],
              [t('deals.disputes.line'), <code key="l">{d.statementLineId}</code>],
              [t('deals.disputes.reason'), d.reason],
              [
                t('deals.disputes.askedFor'),
                <SignedMoney key="a" minor={d.requestedMinor} currency={d.currency} />,
              ],
              [t('deals.disputes.opened'), <IsoTime key="o" value={d.openedAt} />],
              [t('deals.disputes.openedBy'), d.openedBy],
              [t('deals.disputes.resolution'), <DisputeResolution key="r" dispute={d} />],
              [t('deals.disputes.resolvedBy'), d.resolvedBy],
            ]}
          />
          <div role="status">{updated && <p className="banner banner-info">{outcome(t, updated)}</p>}</div>
          {canManageSettlement(me.data) && d.status === 'open' && (
            <section aria-labelledby="decide" className="section">
              <h2 id="decide">{t('deals.disputes.decide')}</h2>
              <p className="actions">
                {(['accept', 'reject'] as const).map((decision) => (
                  <button
                    key={decision}
                    type="button"
                    className="button"
                    aria-expanded={deciding === decision}
                    onClick={() => setDeciding((x) => (x === decision ? null : decision))}
                  >
                    {decision === 'accept' ? t('deals.disputes.accept') : t('deals.disputes.reject')}
                  </button>
                ))}
              </p>
              {deciding && (
                <ResolveDisputeForm
                  key={deciding}
                  dispute={d}
                  decision={deciding}
                  onCancel={() => setDeciding(null)}
                  onDone={(r) => {
                    setDeciding(null);
                    setUpdated(r);
                  }}
                />
              )}
            </section>
          )}
        </>
      )}
    </>
  );
}
