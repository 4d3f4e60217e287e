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
import { useApi } from '../hooks';
import {
  COVERAGE_LABELS,
  CRITERION_LABELS,
  labelOf,
  offerTone,
  ROUTING_REASON_LABELS,
  ROUTING_REASONS,
  ROUTING_STATUS_LABELS,
  ROUTING_STATUSES,
  rotationText,
  routingStatusTone,
} from '../lib/engagement';
import type { ListSpec } from '../lib/query';
import { detailPath } from '../lib/routes';
import { Link } from '../router';
import { CoverageBadge } from './Coverage';
import type { Offer, RoutedOrder, RoutedOrderDetail } from './engagement-types';

export function RoutingStatusBadge({ status }: { status: string }) {
  return (
    <Badge tone={routingStatusTone(status)}>
      <span data-status={status}>{labelOf(ROUTING_STATUS_LABELS, status)}</span>
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
  const filters: FilterField[] = [
    {
      name: 'status',
      label: 'Status',
      kind: 'select',
      options: ROUTING_STATUSES.map((s) => ({ value: s, label: labelOf(ROUTING_STATUS_LABELS, s) })),
    },
    {
      name: 'reason',
      label: 'Reason',
      kind: 'select',
      options: ROUTING_REASONS.map((r) => ({ value: r, label: labelOf(ROUTING_REASON_LABELS, r) })),
    },
  ];
  return (
    <ListPage<RoutedOrder>
      title="Routing log"
      path="/routing"
      endpoint="/api/routing"
      spec={routingSpec}
      noun="decision"
      intro={
        <p className="subtitle">
          Every direct order and what the rules of engagement decided: kept direct, or offered to partners in
          turn. Open a decision for the candidates and the value of each criterion.
        </p>
      }
      filters={filters}
      rowKey={(r) => r.id}
      columns={[
        {
          key: 'customer',
          header: 'Customer',
          render: (r) => <Link to={detailPath('routing', r.id)}>{r.customerName}</Link>,
        },
        { key: 'order', header: 'Order', render: (r) => <code>{`${r.source}/${r.externalId}`}</code> },
        { key: 'orderDate', header: 'Order date', sort: 'orderDate', render: (r) => r.orderDate },
        {
          key: 'total',
          header: 'Total',
          numeric: true,
          render: (r) => <Money minor={r.totalMinor} currency={r.currency} />,
        },
        { key: 'reason', header: 'Reason', render: (r) => labelOf(ROUTING_REASON_LABELS, r.reason) },
        {
          key: 'status',
          header: 'Status',
          render: (r) => (
            <>
              <RoutingStatusBadge status={r.status} />
              {r.bookedPartnerName && <> {r.bookedPartnerName}</>}
            </>
          ),
        },
        { key: 'why', header: 'Why', render: (r) => <span className="explanation">{r.sentence}</span> },
        {
          key: 'created',
          header: 'Decided',
          sort: 'createdAt',
          render: (r) => <LocalTime value={r.createdAt} />,
        },
      ]}
    />
  );
}

/** /routing/{id}: one decision. */
export function RoutingDetailPage({ id }: { id: string }) {
  const state = useApi<RoutedOrderDetail>(`/api/routing/${encodeURIComponent(id)}`);
  const r = state.data;
  const decision = r?.decision ?? null;
  const criteria = decision?.criteria ?? [];
  const candidates = [...(decision?.candidates ?? [])].sort((a, b) => a.rank - b.rank);
  return (
    <>
      <p className="crumbs">
        <Link to="/routing">← Routing log</Link>
      </p>
      {state.status === 'loading' && !r && <Loading what="Loading the decision" />}
      {state.problem && (
        <>
          <PageHeading title={`Decision ${id}`} />
          <ErrorBanner problem={state.problem} onRetry={state.reload} />
        </>
      )}
      {r && (
        <>
          <PageHeading title={`Routing: ${r.customerName}`}>
            <p className="subtitle">
              <RoutingStatusBadge status={r.status} /> · {labelOf(ROUTING_REASON_LABELS, r.reason)} ·{' '}
              <code>{`${r.source}/${r.externalId}`}</code> · <code>{r.id}</code>
            </p>
          </PageHeading>
          <p className="banner banner-info routing-sentence">{r.sentence}</p>
          <Fields
            items={[
              [
                'Customer',
                <Link key="c" to={detailPath('coverage', r.customerId)}>
                  {r.customerName}
                </Link>,
              ],
              ['Order date', r.orderDate],
              ['Total', <Money key="t" minor={r.totalMinor} currency={r.currency} />],
              [
                'Coverage on the order day',
                <span key="cv">
                  <CoverageBadge status={r.coverageStatus} />
                  {decision?.coverage?.through ? ` through ${decision.coverage.through}` : ''}
                </span>,
              ],
              ['Program', <ProgramLink key="p" id={r.programId} />],
              ['Booked through', r.bookedPartnerName],
              [
                'Booked order',
                r.orderId ? (
                  <Link key="o" to={detailPath('orders', r.orderId)}>
                    {r.orderId}
                  </Link>
                ) : null,
              ],
              ['Decided', <LocalTime key="d" value={r.createdAt} />],
              ['Booked', r.bookedAt ? <LocalTime key="b" value={r.bookedAt} /> : null],
            ]}
          />
          <section className="section" aria-labelledby="routing-decision">
            <h2 id="routing-decision">The decision</h2>
            {decision?.coverage?.sentence && (
              <p className="muted">
                Coverage: {labelOf(COVERAGE_LABELS, decision.coverage.status)}. {decision.coverage.sentence}
              </p>
            )}
            <p>
              Criteria, in the program’s order:{' '}
              {criteria.length > 0 ? criteria.map((c) => labelOf(CRITERION_LABELS, c)).join(' → ') : <Dash />}
              {decision?.considered !== undefined && (
                <>
                  {' '}
                  · {decision.considered} partner{decision.considered === 1 ? '' : 's'} considered
                  {decision.atCapacity ? `, ${decision.atCapacity} left out at capacity` : ''}
                </>
              )}
            </p>
            {candidates.length === 0 ? (
              <Empty>No partner was a candidate: the order stayed direct.</Empty>
            ) : (
              <TableWrap label="Candidates">
                <table className="candidates">
                  <caption className="visually-hidden">
                    Candidates, in the order they are offered, with each criterion’s value
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col" className="num">
                        Rank
                      </th>
                      <th scope="col">Partner</th>
                      <th scope="col">Incumbent</th>
                      {criteria.map((c) => (
                        <th key={c} scope="col">
                          {labelOf(CRITERION_LABELS, c)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {candidates.map((c) => (
                      <tr key={c.partnerId}>
                        <td className="num">{c.rank}</td>
                        <th scope="row">
                          <Link to={detailPath('partners', c.partnerId)}>{c.name}</Link>
                        </th>
                        <td>{c.incumbent ? <Badge tone="ok">incumbent</Badge> : 'no'}</td>
                        {criteria.map((k) => (
                          <td key={k}>{c.values[k] ?? <Dash />}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
            <h3>Rotation</h3>
            <p className="rotation">{rotationText(decision?.rotation ?? null)}</p>
          </section>
          <section className="section" aria-labelledby="routing-offers">
            <h2 id="routing-offers">Offers</h2>
            {r.offers.length === 0 ? (
              <Empty>No offer was made.</Empty>
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
  return (
    <li>
      <LocalTime value={o.offeredAt} /> · offered to{' '}
      <strong>
        <Link to={detailPath('partners', o.partnerId)}>{o.partnerName ?? o.partnerId}</Link>
      </strong>{' '}
      (rank {o.rank}) · <Badge tone={offerTone(o.status)}>{o.status}</Badge>
      {o.status === 'open' ? (
        <>
          {' '}
          · answer by <LocalTime value={o.deadline} />
        </>
      ) : o.answeredAt ? (
        <>
          {' '}
          · answered <LocalTime value={o.answeredAt} />
        </>
      ) : (
        <>
          {' '}
          · deadline <LocalTime value={o.deadline} />
        </>
      )}
      {o.declineReason && <p className="history-note">“{o.declineReason}”</p>}
    </li>
  );
}
