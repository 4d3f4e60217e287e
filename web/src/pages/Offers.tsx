/**
 * The offers inbox, the partner's side (GET /api/offers): the vendor's direct orders the rules of
 * engagement route to the partner. Open offers first, soonest deadline first, each with a live countdown,
 * the customer, the amount and why it was offered; accept (confirmed) or decline (with a reason). The
 * answered offers follow.
 */
import { useState } from 'react';
import { Confirm } from '../components/Confirm';
import { DataTable } from '../components/DataTable';
import { LocalTime, useNow } from '../components/deals';
import { Badge, Dash, Empty, ErrorBanner, Loading, Money, PageHeading } from '../components/ui';
import type { ResponseOf } from '../api/types';
import { postSignedIn, useAction, useGet } from '../hooks';
import { formatDate, plainT, useExplain, useT } from '../i18n';
import { deadlineCountdown, inboxOrder, offerStatusText, offerTone } from '../lib/engagement';
import { detailPath } from '../lib/routes';
import { Link } from '../router';
import type { Offer } from './engagement-types';

type Step = { readonly kind: 'accept' | 'decline'; readonly offer: Offer };

type Accepted = ResponseOf<'/api/offers/{offerId}/accept', 'post'>;
type Declined = ResponseOf<'/api/offers/{offerId}/decline', 'post'>;

/** "11 h 58 min left", in red under two hours; the instant in the person's time zone as its tooltip. */
export function DeadlineCountdown({ deadline, now }: { deadline: string; now: number }) {
  const t = useT();
  const c = deadlineCountdown(plainT(t), deadline, now);
  if (!c) return <Dash />;
  return (
    <span className={c.urgent ? 'countdown countdown-urgent' : 'countdown'} title={deadline}>
      {c.urgent && <span aria-hidden="true">⚠ </span>}
      {c.text}
      {c.urgent && !c.past && <span className="visually-hidden"> {t('deals.offers.deadlineSoon')}</span>}
    </span>
  );
}

export function OffersPage() {
  const t = useT();
  const explain = useExplain();
  const open = useGet('/api/offers', { params: { query: { status: 'open', sort: 'deadline', limit: 200 } } });
  const all = useGet('/api/offers', {
    params: { query: { sort: 'offeredAt', direction: 'desc', limit: 200 } },
  });
  const now = useNow(15_000);
  const [step, setStep] = useState<Step | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; orderId?: string } | null>(null);
  const act = useAction(async (s: Step, body: { reason?: string }) =>
    s.kind === 'accept'
      ? postSignedIn<Accepted>(`/api/offers/${encodeURIComponent(s.offer.id)}/accept`, {})
      : postSignedIn<Declined>(`/api/offers/${encodeURIComponent(s.offer.id)}/decline`, body),
  );
  const reload = () => {
    open.reload();
    all.reload();
  };

  const ask = (kind: Step['kind'], offer: Offer) => {
    act.clear();
    setMessage(null);
    setReason('');
    setReasonError(null);
    setStep((s) => (s?.kind === kind && s.offer.id === offer.id ? null : { kind, offer }));
  };

  const confirm = async () => {
    if (!step) return;
    if (step.kind === 'decline' && !reason.trim()) {
      setReasonError(t('deals.offers.declineReasonRequired'));
      return;
    }
    const answer = await act.run(step, step.kind === 'decline' ? { reason: reason.trim() } : {});
    if (answer === undefined) return;
    const name = step.offer.customerName;
    setMessage(
      step.kind === 'accept'
        ? {
            text: t('deals.offers.accepted', { name }),
            ...(answer && 'orderId' in answer ? { orderId: answer.orderId } : {}),
          }
        : { text: t('deals.offers.declined', { name }) },
    );
    setStep(null);
    reload();
  };

  const openOffers = inboxOrder(open.data?.items ?? []);
  const answered = inboxOrder((all.data?.items ?? []).filter((o) => o.status !== 'open'));

  const confirmFor = (o: Offer) =>
    step && step.offer.id === o.id ? (
      <Confirm
        question={
          step.kind === 'accept'
            ? t('deals.offers.acceptQuestion', { name: o.customerName })
            : t('deals.offers.declineQuestion', { name: o.customerName })
        }
        yes={step.kind === 'accept' ? t('deals.offers.acceptYes') : t('deals.offers.declineYes')}
        busy={act.busy}
        onYes={() => void confirm()}
        onCancel={() => setStep(null)}
      >
        {step.kind === 'accept' ? (
          <p>{t('deals.offers.acceptWhat')}</p>
        ) : (
          <>
            <p>{t('deals.offers.declineWhat')}</p>
            <div className="field field-wide">
              <label htmlFor="offer-decline-reason">{t('deals.offers.declineReason')}</label>
              <textarea
                id="offer-decline-reason"
                rows={2}
                maxLength={2000}
                value={reason}
                aria-invalid={reasonError ? true : undefined}
                aria-describedby={reasonError ? 'offer-decline-reason-error' : undefined}
                onChange={(e) => setReason(e.target.value)}
              />
              {reasonError && (
                <p id="offer-decline-reason-error" className="hint field-error" role="alert">
                  {reasonError}
                </p>
              )}
            </div>
          </>
        )}
        {act.problem && <ErrorBanner problem={act.problem} />}
      </Confirm>
    ) : null;

  return (
    <>
      <PageHeading title={t('deals.offers.title')}>
        <p className="subtitle">{t('deals.offers.subtitle')}</p>
      </PageHeading>
      <div role="status">
        {message && (
          <p className="banner banner-info offer-outcome">
            {message.text}
            {message.orderId && (
              <>
                {' '}
                <Link to={detailPath('orders', message.orderId)}>{t('deals.offers.openOrder')}</Link>
              </>
            )}
          </p>
        )}
      </div>
      <section className="section" aria-labelledby="offers-open">
        <h2 id="offers-open">{t('deals.offers.open')}</h2>
        {open.status === 'error' && <ErrorBanner problem={open.problem} onRetry={open.reload} />}
        {open.status === 'loading' && !open.data && <Loading what={t('deals.offers.loadingOpen')} />}
        {open.data && openOffers.length === 0 && <Empty>{t('deals.offers.noneOpen')}</Empty>}
        {openOffers.length > 0 && (
          <DataTable<Offer>
            caption={t('deals.offers.openCaption')}
            rows={openOffers}
            rowKey={(o) => o.id}
            busy={open.status === 'loading'}
            expanded={confirmFor}
            columns={[
              { key: 'customer', header: t('deals.offers.customer'), render: (o) => o.customerName },
              {
                key: 'total',
                header: t('deals.offers.amount'),
                numeric: true,
                render: (o) => <Money minor={o.totalMinor} currency={o.currency} />,
              },
              {
                key: 'deadline',
                header: t('deals.offers.answerWithin'),
                render: (o) => (
                  <>
                    <DeadlineCountdown deadline={o.deadline} now={now} />
                    <br />
                    <small className="muted">
                      {t('deals.offers.by')} <LocalTime value={o.deadline} />
                    </small>
                  </>
                ),
              },
              { key: 'vendor', header: t('deals.offers.vendor'), render: (o) => o.vendorName },
              {
                key: 'orderDate',
                header: t('deals.offers.orderDate'),
                render: (o) => formatDate(o.orderDate),
              },
              {
                key: 'why',
                header: t('deals.offers.whyYou'),
                render: (o) => <span className="explanation">{explain(o.why, o.whyMessage)}</span>,
              },
              {
                key: 'actions',
                header: t('deals.offers.answer'),
                render: (o) => (
                  <span className="actions">
                    <button
                      type="button"
                      className="button button-primary"
                      aria-expanded={step?.kind === 'accept' && step.offer.id === o.id}
                      aria-label={t('deals.offers.acceptLabel', { name: o.customerName })}
                      onClick={() => ask('accept', o)}
                    >
                      {t('deals.offers.accept')}
                    </button>{' '}
                    <button
                      type="button"
                      className="button"
                      aria-expanded={step?.kind === 'decline' && step.offer.id === o.id}
                      aria-label={t('deals.offers.declineLabel', { name: o.customerName })}
                      onClick={() => ask('decline', o)}
                    >
                      {t('deals.offers.decline')}
                    </button>
                  </span>
                ),
              },
            ]}
          />
        )}
      </section>
      <section className="section" aria-labelledby="offers-answered">
        <h2 id="offers-answered">{t('deals.offers.answered')}</h2>
        {all.status === 'error' && <ErrorBanner problem={all.problem} onRetry={all.reload} />}
        {all.status === 'loading' && !all.data && <Loading what={t('deals.offers.loadingAnswered')} />}
        {all.data && answered.length === 0 && <Empty>{t('deals.offers.noneAnswered')}</Empty>}
        {answered.length > 0 && (
          <DataTable<Offer>
            caption={t('deals.offers.answeredCaption')}
            rows={answered}
            rowKey={(o) => o.id}
            busy={all.status === 'loading'}
            columns={[
              { key: 'customer', header: t('deals.offers.customer'), render: (o) => o.customerName },
              {
                key: 'total',
                header: t('deals.offers.amount'),
                numeric: true,
                render: (o) => <Money minor={o.totalMinor} currency={o.currency} />,
              },
              {
                key: 'status',
                header: t('deals.offers.answer'),
                render: (o) => (
                  <>
                    <Badge tone={offerTone(o.status)}>
                      <span data-status={o.status}>{offerStatusText(plainT(t), o.status)}</span>
                    </Badge>
                    {o.declineReason && <span className="muted"> “{o.declineReason}”</span>}
                  </>
                ),
              },
              {
                key: 'answered',
                header: t('deals.offers.when'),
                render: (o) => (
                  <LocalTime value={o.answeredAt ?? (o.status === 'lapsed' ? o.deadline : null)} />
                ),
              },
              { key: 'vendor', header: t('deals.offers.vendor'), render: (o) => o.vendorName },
              {
                key: 'order',
                header: t('deals.offers.bookedOrder'),
                render: (o) =>
                  o.orderId ? <Link to={detailPath('orders', o.orderId)}>{o.orderId}</Link> : <Dash />,
              },
            ]}
          />
        )}
      </section>
    </>
  );
}
