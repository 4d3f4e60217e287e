/**
 * The routing log, the vendor's side (GET /api/routing, /api/routing/{id}): every direct order with what
 * the rules of engagement decided and why; a decision's page with the candidates ranked on each criterion,
 * the rotation and the offers made.
 */
import { LocalTime } from '../components/deals';
import { ListPage, type FilterField } from '../components/ListPage';
import { ProgramLink } from '../components/refs';
import {
  Badge,
  Dash,
  Empty,
  ErrorBanner,
  Fields,
  Loading,
  Money,
  PageHeading,
  TableWrap,
} from '../components/ui';
import { useApi, useMe } from '../hooks';
import { can } from '../lib/access';
import { useState } from 'react';
import { SweepOffers } from './EngagementActions';
import { formatDate, formatNumber, plainT, useExplain, useT } from '../i18n';
import {
  engagementLabel,
  offerStatusText,
  offerTone,
  rotationText,
  ROUTING_REASONS,
  ROUTING_STATUSES,
  routingStatusTone,
} from '../lib/engagement';
import type { ListSpec } from '../lib/query';
import { detailPath } from '../lib/routes';
import { Link } from '../router';
import { CoverageBadge } from './Coverage';
import type { Offer, RoutedOrder, RoutedOrderDetail } from './engagement-types';

export function RoutingStatusBadge({ status }: { status: string }) {
  const t = useT();
  return (
    <Badge tone={routingStatusTone(status)}>
      <span data-status={status}>{engagementLabel(plainT(t), 'routingStatus', status)}</span>
    </Badge>
  );
}

const routingSpec: ListSpec = {
  filters: ['status', 'reason'],
  sorts: ['createdAt', 'orderDate'],
  defaultSort: 'createdAt',
  defaultLimit: 50,
  defaultDirection: 'desc',
};

export function RoutingLogPage() {
  const t = useT();
  const explain = useExplain();
  const me = useMe();
  const [changed, setChanged] = useState(0);
  const filters: FilterField[] = [
    {
      name: 'status',
      label: t('programs.routing.status'),
      kind: 'select',
      options: ROUTING_STATUSES.map((s) => ({
        value: s,
        label: engagementLabel(plainT(t), 'routingStatus', s),
      })),
    },
    {
      name: 'reason',
      label: t('programs.routing.reason'),
      kind: 'select',
      options: ROUTING_REASONS.map((r) => ({
        value: r,
        label: engagementLabel(plainT(t), 'routingReason', r),
      })),
    },
  ];
  return (
    <ListPage<RoutedOrder>
      title={t('programs.routing.title')}
      before={
        can(me.data, 'sweepOffers') ? <SweepOffers onDone={() => setChanged((n) => n + 1)} /> : undefined
      }
      reloadKey={changed}
      path="/routing"
      endpoint="/api/routing"
      spec={routingSpec}
      noun="decision"
      intro={<p className="subtitle">{t('programs.routing.intro')}</p>}
      filters={filters}
      rowKey={(r) => r.id}
      columns={[
        {
          key: 'customer',
          header: t('programs.routing.customer'),
          render: (r) => <Link to={detailPath('routing', r.id)}>{r.customerName}</Link>,
        },
        {
          key: 'order',
          header: t('programs.routing.order'),
          render: (r) => <code>{`${r.source}/${r.externalId}`}</code>,
        },
        {
          key: 'orderDate',
          header: t('programs.routing.orderDate'),
          sort: 'orderDate',
          render: (r) => formatDate(r.orderDate),
        },
        {
          key: 'total',
          header: t('programs.routing.total'),
          numeric: true,
          render: (r) => <Money minor={r.totalMinor} currency={r.currency} />,
        },
        {
          key: 'reason',
          header: t('programs.routing.reason'),
          render: (r) => engagementLabel(plainT(t), 'routingReason', r.reason),
        },
        {
          key: 'status',
          header: t('programs.routing.status'),
          render: (r) => (
            <>
              <RoutingStatusBadge status={r.status} />
              {r.bookedPartnerName && <> {r.bookedPartnerName}</>}
            </>
          ),
        },
        {
          key: 'why',
          header: t('programs.routing.why'),
          render: (r) => <span className="explanation">{explain(r.sentence, r.sentenceMessage)}</span>,
        },
        {
          key: 'created',
          header: t('programs.routing.decided'),
          sort: 'createdAt',
          render: (r) => <LocalTime value={r.createdAt} />,
        },
      ]}
    />
  );
}

/** /routing/{id}: one decision. */
export function RoutingDetailPage({ id }: { id: string }) {
  const t = useT();
  const explain = useExplain();
  const state = useApi<RoutedOrderDetail>(`/api/routing/${encodeURIComponent(id)}`);
  const r = state.data;
  const decision = r?.decision ?? null;
  const criteria = decision?.criteria ?? [];
  const candidates = [...(decision?.candidates ?? [])].sort((a, b) => a.rank - b.rank);
  /** A candidate's value on a criterion, in the reader's language when the decision recorded it as a message. */
  const valueText = (c: (typeof candidates)[number], k: string) => {
    const v = c.values[k];
    return v === undefined ? <Dash /> : explain(v, c.valueMessages?.[k]);
  };
  return (
    <>
      <p className="crumbs">
        <Link to="/routing">{t('programs.routing.back')}</Link>
      </p>
      {state.status === 'loading' && !r && <Loading what={t('programs.routing.loading')} />}
      {state.problem && (
        <>
          <PageHeading title={t('programs.routing.decisionOf', { id })} />
          <ErrorBanner problem={state.problem} onRetry={state.reload} />
        </>
      )}
      {r && (
        <>
          <PageHeading title={t('programs.routing.detailTitle', { name: r.customerName })}>
            <p className="subtitle">
              <RoutingStatusBadge status={r.status} /> ·{' '}
              {engagementLabel(plainT(t), 'routingReason', r.reason)} ·{' '}
              <code>{`${r.source}/${r.externalId}`}</code> · <code>{r.id}</code>
            </p>
          </PageHeading>
          <p className="banner banner-info routing-sentence">{explain(r.sentence, r.sentenceMessage)}</p>
          <Fields
            items={[
              [
                t('programs.routing.customer'),
                <Link key="c" to={detailPath('coverage', r.customerId)}>
                  {r.customerName}
                </Link>,
              ],
              [t('programs.routing.orderDate'), formatDate(r.orderDate)],
              [t('programs.routing.total'), <Money key="t" minor={r.totalMinor} currency={r.currency} />],
              [
                t('programs.routing.coverageOnDay'),
                <span key="cv">
                  <CoverageBadge status={r.coverageStatus} />
                  {decision?.coverage?.through
                    ? t('programs.routing.coverageThrough', { day: formatDate(decision.coverage.through) })
                    : ''}
                </span>,
              ],
              [t('programs.routing.program'), <ProgramLink key="p" id={r.programId} />],
              [t('programs.routing.bookedThrough'), r.bookedPartnerName],
              [
                t('programs.routing.bookedOrder'),
                r.orderId ? (
                  <Link key="o" to={detailPath('orders', r.orderId)}>
                    {r.orderId}
                  </Link>
                ) : null,
              ],
              [t('programs.routing.decided'), <LocalTime key="d" value={r.createdAt} />],
              [t('programs.routing.booked'), r.bookedAt ? <LocalTime key="b" value={r.bookedAt} /> : null],
            ]}
          />
          <section className="section" aria-labelledby="routing-decision">
            <h2 id="routing-decision">{t('programs.routing.theDecision')}</h2>
            {decision?.coverage?.sentence && (
              <p className="muted">
                {t('programs.routing.coverageLine', {
                  status: engagementLabel(plainT(t), 'coverage', decision.coverage.status),
                  sentence: explain(decision.coverage.sentence, decision.coverage.sentenceMessage),
                })}
              </p>
            )}
            <p>
              {t('programs.routing.criteria')}{' '}
              {criteria.length > 0 ? (
                criteria.map((c) => engagementLabel(plainT(t), 'criterion', c)).join(' → ')
              ) : (
                <Dash />
              )}
              {decision?.considered !== undefined && (
                <>
                  {' '}
                  · {t('programs.routing.considered', { count: decision.considered })}
                  {decision.atCapacity
                    ? t('programs.routing.atCapacity', { count: decision.atCapacity })
                    : ''}
                </>
              )}
            </p>
            {candidates.length === 0 ? (
              <Empty>{t('programs.routing.noCandidates')}</Empty>
            ) : (
              <TableWrap label={t('programs.routing.candidates')}>
                <table className="candidates">
                  <caption className="visually-hidden">{t('programs.routing.candidatesCaption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col" className="num">
                        {t('programs.routing.rank')}
                      </th>
                      <th scope="col">{t('programs.routing.partner')}</th>
                      <th scope="col">{t('programs.routing.incumbent')}</th>
                      {criteria.map((c) => (
                        <th key={c} scope="col">
                          {engagementLabel(plainT(t), 'criterion', c)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {candidates.map((c) => (
                      <tr key={c.partnerId}>
                        <td className="num">{formatNumber(c.rank)}</td>
                        <th scope="row">
                          <Link to={detailPath('partners', c.partnerId)}>{c.name}</Link>
                        </th>
                        <td>
                          {c.incumbent ? (
                            <Badge tone="ok">{t('programs.routing.isIncumbent')}</Badge>
                          ) : (
                            t('programs.routing.notIncumbent')
                          )}
                        </td>
                        {criteria.map((k) => (
                          <td key={k}>{valueText(c, k)}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
            <h3>{t('programs.routing.rotation')}</h3>
            <p className="rotation">{rotationText(plainT(t), decision?.rotation ?? null)}</p>
          </section>
          <section className="section" aria-labelledby="routing-offers">
            <h2 id="routing-offers">{t('programs.routing.offers')}</h2>
            {r.offers.length === 0 ? (
              <Empty>{t('programs.routing.noOffers')}</Empty>
            ) : (
              <ol className="deal-history routing-offers">
                {r.offers.map((o) => (
                  <OfferEvent key={o.id} offer={o} />
                ))}
              </ol>
            )}
          </section>
        </>
      )}
    </>
  );
}

function OfferEvent({ offer: o }: { offer: Offer }) {
  const t = useT();
  return (
    <li>
      <LocalTime value={o.offeredAt} /> · {t('programs.routing.offeredTo')}{' '}
      <strong>
        <Link to={detailPath('partners', o.partnerId)}>{o.partnerName ?? o.partnerId}</Link>
      </strong>{' '}
      {t('programs.routing.rankOf', { rank: o.rank })} ·{' '}
      <Badge tone={offerTone(o.status)}>{offerStatusText(plainT(t), o.status)}</Badge>
      {o.status === 'open' ? (
        <>
          {' '}
          · {t('programs.routing.answerBy')} <LocalTime value={o.deadline} />
        </>
      ) : o.answeredAt ? (
        <>
          {' '}
          · {t('programs.routing.answered')} <LocalTime value={o.answeredAt} />
        </>
      ) : (
        <>
          {' '}
          · {t('programs.routing.deadline')} <LocalTime value={o.deadline} />
        </>
      )}
      {o.declineReason && (
        <p className="history-note">{t('programs.routing.quoted', { text: o.declineReason })}</p>
      )}
    </li>
  );
}
