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
import { postSignedIn, useAction, useApi } from '../hooks';
import type { Page } from '../lib/api';
import { deadlineCountdown, inboxOrder, offerTone } from '../lib/engagement';
import { detailPath } from '../lib/routes';
import { Link } from '../router';
import type { Offer } from './engagement-types';

type Step = { readonly kind: 'accept' | 'decline'; readonly offer: Offer };

interface Accepted {
  readonly offerId: string;
  readonly status: 'accepted';
  readonly orderId: string;
  readonly routedOrderId: string;
}

/** "11 h 58 min left", in red under two hours; the instant in the person's time zone as its tooltip. */
export function DeadlineCountdown({ deadline, now }: { deadline: string; now: number }) {
  const t = deadlineCountdown(deadline, now);
  if (!t) return <Dash />;
  return (
    <span className={t.urgent ? 'countdown countdown-urgent' : 'countdown'} title={deadline}>
      {t.urgent && <span aria-hidden="true">⚠ </span>}
      {t.text}
      {t.urgent && !t.past && <span className="visually-hidden"> (deadline soon)</span>}
    </span>
  );
}

export function OffersPage() {
  const open = useApi<Page<Offer>>('/api/offers', { status: 'open', sort: 'deadline', limit: 200 });
  const all = useApi<Page<Offer>>('/api/offers', { sort: 'offeredAt', direction: 'desc', limit: 200 });
  const now = useNow(15_000);
  const [step, setStep] = useState<Step | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; orderId?: string } | null>(null);
  const act = useAction(async (s: Step, body: { reason?: string }) =>
    s.kind === 'accept'
      ? postSignedIn<Accepted>(`/api/offers/${encodeURIComponent(s.offer.id)}/accept`, {})
      : postSignedIn<{ offerId: string }>(`/api/offers/${encodeURIComponent(s.offer.id)}/decline`, body),
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
      setReasonError('Say why you decline: the vendor reads it.');
      return;
    }
    const answer = await act.run(step, step.kind === 'decline' ? { reason: reason.trim() } : {});
    if (answer === undefined) return;
    const name = step.offer.customerName;
    setMessage(
      step.kind === 'accept'
        ? {
            text: `Accepted: the order for ${name} is booked through you.`,
            ...(answer && 'orderId' in answer ? { orderId: answer.orderId } : {}),
          }
        : { text: `Declined: the order for ${name} goes to the next partner, or direct.` },
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
            ? `Accept the order for ${o.customerName}?`
            : `Decline the order for ${o.customerName}?`
        }
        yes={step.kind === 'accept' ? 'Accept the order' : 'Decline the order'}
        busy={act.busy}
        onYes={() => void confirm()}
        onCancel={() => setStep(null)}
      >
        {step.kind === 'accept' ? (
          <p>
            The order is booked through you and earns what the program pays on partner orders. It cannot be
            undone.
          </p>
        ) : (
          <>
            <p>The offer goes to the next candidate, or the order stays direct when none is left.</p>
            <div className="field field-wide">
              <label htmlFor="offer-decline-reason">Why you decline (the vendor reads it)</label>
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
      <PageHeading title="Offers">
        <p className="subtitle">
          Direct orders the vendor routes to you under the rules of engagement: accept one before its deadline
          to have it booked through you, or decline it with a reason. Times in your time zone.
        </p>
      </PageHeading>
      <div role="status">
        {message && (
          <p className="banner banner-info offer-outcome">
            {message.text}
            {message.orderId && (
              <>
                {' '}
                <Link to={detailPath('orders', message.orderId)}>Open the order</Link>
              </>
            )}
          </p>
        )}
      </div>
      <section className="section" aria-labelledby="offers-open">
        <h2 id="offers-open">Open offers</h2>
        {open.status === 'error' && <ErrorBanner problem={open.problem} onRetry={open.reload} />}
        {open.status === 'loading' && !open.data && <Loading what="Loading the open offers" />}
        {open.data && openOffers.length === 0 && <Empty>No offer is waiting for your answer.</Empty>}
        {openOffers.length > 0 && (
          <DataTable<Offer>
            caption="Offers awaiting your answer"
            rows={openOffers}
            rowKey={(o) => o.id}
            busy={open.status === 'loading'}
            expanded={confirmFor}
            columns={[
              { key: 'customer', header: 'Customer', render: (o) => o.customerName },
              {
                key: 'total',
                header: 'Amount',
                numeric: true,
                render: (o) => <Money minor={o.totalMinor} currency={o.currency} />,
              },
              {
                key: 'deadline',
                header: 'Answer within',
                render: (o) => (
                  <>
                    <DeadlineCountdown deadline={o.deadline} now={now} />
                    <br />
                    <small className="muted">
                      by <LocalTime value={o.deadline} />
                    </small>
                  </>
                ),
              },
              { key: 'vendor', header: 'Vendor', render: (o) => o.vendorName },
              { key: 'orderDate', header: 'Order date', render: (o) => o.orderDate },
              { key: 'why', header: 'Why you', render: (o) => <span className="explanation">{o.why}</span> },
              {
                key: 'actions',
                header: 'Answer',
                render: (o) => (
                  <span className="actions">
                    <button
                      type="button"
                      className="button button-primary"
                      aria-expanded={step?.kind === 'accept' && step.offer.id === o.id}
                      aria-label={`Accept the order for ${o.customerName}`}
                      onClick={() => ask('accept', o)}
                    >
                      Accept
                    </button>{' '}
                    <button
                      type="button"
                      className="button"
                      aria-expanded={step?.kind === 'decline' && step.offer.id === o.id}
                      aria-label={`Decline the order for ${o.customerName}`}
                      onClick={() => ask('decline', o)}
                    >
                      Decline
                    </button>
                  </span>
                ),
              },
            ]}
          />
        )}
      </section>
      <section className="section" aria-labelledby="offers-answered">
        <h2 id="offers-answered">Answered offers</h2>
        {all.status === 'error' && <ErrorBanner problem={all.problem} onRetry={all.reload} />}
        {all.status === 'loading' && !all.data && <Loading what="Loading the answered offers" />}
        {all.data && answered.length === 0 && <Empty>No offer was answered yet.</Empty>}
        {answered.length > 0 && (
          <DataTable<Offer>
            caption="Offers you answered"
            rows={answered}
            rowKey={(o) => o.id}
            busy={all.status === 'loading'}
            columns={[
              { key: 'customer', header: 'Customer', render: (o) => o.customerName },
              {
                key: 'total',
                header: 'Amount',
                numeric: true,
                render: (o) => <Money minor={o.totalMinor} currency={o.currency} />,
              },
              {
                key: 'status',
                header: 'Answer',
                render: (o) => (
                  <>
                    <Badge tone={offerTone(o.status)}>
                      <span data-status={o.status}>{o.status}</span>
                    </Badge>
                    {o.declineReason && <span className="muted"> “{o.declineReason}”</span>}
                  </>
                ),
              },
              {
                key: 'answered',
                header: 'When',
                render: (o) => (
                  <LocalTime value={o.answeredAt ?? (o.status === 'lapsed' ? o.deadline : null)} />
                ),
              },
              { key: 'vendor', header: 'Vendor', render: (o) => o.vendorName },
              {
                key: 'order',
                header: 'Booked order',
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
