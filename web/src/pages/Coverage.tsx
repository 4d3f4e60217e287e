/**
 * Coverage, the vendor's side (GET /api/coverage, /api/coverage/{customerId}): every account with its
 * status (direct-named, channel-exclusive, open), since and through, and the sentence that explains it;
 * an account's page with its history, who sold to it and its routed orders. The partner's side, "My
 * accounts", is the same list restricted by the API to the accounts the partner sold to.
 */
import { ListPage, type FilterField } from '../components/ListPage';
import { options, PartnerLink } from '../components/refs';
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
import type { Page } from '../lib/api';
import {
  COVERAGE_LABELS,
  COVERAGE_STATUSES,
  coverageTone,
  labelOf,
  ROUTING_REASON_LABELS,
  ROUTING_STATUS_LABELS,
  routingStatusTone,
} from '../lib/engagement';
import type { ListSpec } from '../lib/query';
import { detailPath } from '../lib/routes';
import { Link, useLocation } from '../router';
import type { Coverage, CoverageDetail } from './engagement-types';
import { REGIONS } from './lists';
import type { Partner } from './types';

export function CoverageBadge({ status }: { status: string }) {
  return (
    <Badge tone={coverageTone(status)}>
      <span data-status={status}>{labelOf(COVERAGE_LABELS, status)}</span>
    </Badge>
  );
}

const coverageSpec: ListSpec = {
  filters: ['status', 'partner', 'region', 'expiringWithinDays', 'q', 'asOf'],
  sorts: ['name', 'through'],
  defaultSort: 'name',
  defaultLimit: 50,
};

const expiringOptions = [
  { value: '30', label: 'Within 30 days' },
  { value: '90', label: 'Within 90 days' },
  { value: '180', label: 'Within 180 days' },
  { value: '365', label: 'Within a year' },
];

const statusFilter: FilterField = {
  name: 'status',
  label: 'Status',
  kind: 'select',
  options: COVERAGE_STATUSES.map((s) => ({ value: s, label: labelOf(COVERAGE_LABELS, s) })),
};

const asOfFilter: FilterField = {
  name: 'asOf',
  label: 'As of',
  kind: 'date',
  hint: 'Coverage on this day; empty for today.',
};

/** Keeps the list's "as of" day on the account's page. */
function withAsOf(path: string, search: string): string {
  const asOf = new URLSearchParams(search).get('asOf');
  return asOf ? `${path}?asOf=${encodeURIComponent(asOf)}` : path;
}

export function CoveragePage() {
  const { search } = useLocation();
  const partners = useApi<Page<Partner>>('/api/partners', { limit: 500 }, { cache: true });
  const filters: FilterField[] = [
    statusFilter,
    {
      name: 'partner',
      label: 'Sold by partner',
      kind: 'select',
      options: partners.data?.items.map((p) => ({ value: p.id, label: p.name })),
    },
    { name: 'region', label: 'Region', kind: 'select', options: options(REGIONS) },
    { name: 'expiringWithinDays', label: 'Exclusivity ends', kind: 'select', options: expiringOptions },
    { name: 'q', label: 'Customer', kind: 'text', placeholder: 'Part of the name' },
    asOfFilter,
  ];
  return (
    <ListPage<Coverage>
      title="Coverage"
      path="/coverage"
      endpoint="/api/coverage"
      spec={coverageSpec}
      noun="account"
      intro={
        <p className="subtitle">
          Who may sell to each account: <strong>direct-named</strong> accounts are served by you;{' '}
          <strong>channel-exclusive</strong> accounts bought through a partner within the program’s window and
          their direct orders go to partners; <strong>open</strong> accounts follow the routing threshold.{' '}
          <Link to="/direct-accounts">Direct accounts</Link> · <Link to="/routing">Routing log</Link>
        </p>
      }
      filters={filters}
      rowKey={(c) => c.customerId}
      columns={[
        {
          key: 'customer',
          header: 'Customer',
          sort: 'name',
          render: (c) => (
            <Link to={withAsOf(detailPath('coverage', c.customerId), search)}>{c.customerName}</Link>
          ),
        },
        { key: 'status', header: 'Status', render: (c) => <CoverageBadge status={c.status} /> },
        { key: 'since', header: 'Since', render: (c) => c.since ?? <Dash /> },
        { key: 'through', header: 'Through', sort: 'through', render: (c) => c.through ?? <Dash /> },
        {
          key: 'partner',
          header: 'Last partner',
          render: (c) =>
            c.lastPartnerId ? (
              <Link to={detailPath('partners', c.lastPartnerId)}>{c.lastPartnerName ?? c.lastPartnerId}</Link>
            ) : (
              <Dash />
            ),
        },
        { key: 'region', header: 'Region', render: (c) => `${c.country} · ${c.region}` },
        {
          key: 'why',
          header: 'Why',
          render: (c) => <span className="explanation">{c.sentence}</span>,
        },
      ]}
    />
  );
}

const myAccountsSpec: ListSpec = {
  filters: ['status', 'expiringWithinDays', 'q', 'asOf'],
  sorts: ['name'],
  defaultSort: 'name',
  defaultLimit: 50,
};

/** The partner's accounts: those it sold to, channel-exclusive to the channel through a day. */
export function MyAccountsPage() {
  return (
    <ListPage<Coverage>
      title="My accounts"
      path="/my-accounts"
      endpoint="/api/coverage"
      spec={myAccountsSpec}
      noun="account"
      intro={
        <p className="subtitle">
          The customers you sold to. While an account is <strong>channel-exclusive</strong>, the vendor’s
          direct orders for it come to its partners as offers (see <Link to="/offers">Offers</Link>).
        </p>
      }
      filters={[
        statusFilter,
        { name: 'expiringWithinDays', label: 'Exclusivity ends', kind: 'select', options: expiringOptions },
        { name: 'q', label: 'Customer', kind: 'text', placeholder: 'Part of the name' },
        asOfFilter,
      ]}
      rowKey={(c) => c.customerId}
      columns={[
        { key: 'customer', header: 'Customer', sort: 'name', render: (c) => c.customerName },
        { key: 'status', header: 'Status', render: (c) => <CoverageBadge status={c.status} /> },
        { key: 'since', header: 'Since', render: (c) => c.since ?? <Dash /> },
        { key: 'through', header: 'Through', render: (c) => c.through ?? <Dash /> },
        { key: 'last', header: 'Your last sale', render: (c) => c.yourLastPurchase ?? <Dash /> },
        {
          key: 'why',
          header: 'Why',
          render: (c) => <span className="explanation">{c.sentence}</span>,
        },
      ]}
    />
  );
}

/** /coverage/{customerId}: the account's coverage, its history, who sold to it and its routed orders. */
export function CoverageDetailPage({ id }: { id: string }) {
  const { search } = useLocation();
  const asOf = new URLSearchParams(search).get('asOf') ?? '';
  const state = useApi<CoverageDetail>(`/api/coverage/${encodeURIComponent(id)}`, { asOf });
  const c = state.data;
  return (
    <>
      <p className="crumbs">
        <Link to={asOf ? `/coverage?asOf=${encodeURIComponent(asOf)}` : '/coverage'}>← Coverage</Link>
      </p>
      {state.status === 'loading' && !c && <Loading what="Loading the account" />}
      {state.problem && (
        <>
          <PageHeading title={`Account ${id}`} />
          <ErrorBanner problem={state.problem} onRetry={state.reload} />
        </>
      )}
      {c && (
        <>
          <PageHeading title={c.customerName}>
            <p className="subtitle">
              <CoverageBadge status={c.status} /> · {c.country} · {c.region} ·{' '}
              <Link to={detailPath('customers', c.customerId)}>Customer record</Link>
              {asOf ? ` · as of ${asOf}` : ''}
            </p>
          </PageHeading>
          <p className="banner banner-info coverage-sentence">{c.sentence}</p>
          <Fields
            items={[
              ['Since', c.since],
              ['Through (last exclusive day)', c.through],
              [
                'Last partner',
                c.lastPartnerId ? (
                  <span key="p">
                    <PartnerLink id={c.lastPartnerId} />
                    {c.lastChannelDate ? `, last sale ${c.lastChannelDate}` : ''}
                  </span>
                ) : null,
              ],
              [
                'Direct-named account',
                c.namedAccountId ? (
                  <Link key="n" to="/direct-accounts">
                    {c.namedAccountId}
                  </Link>
                ) : null,
              ],
            ]}
          />
          <section className="section" aria-labelledby="coverage-history">
            <h2 id="coverage-history">History</h2>
            {c.history.length === 0 ? (
              <Empty>No coverage event was recorded for this account.</Empty>
            ) : (
              <ol className="deal-history coverage-history">
                {c.history.map((e, i) => (
                  <li key={i}>
                    <time dateTime={e.onDay}>{e.onDay}</time> · <CoverageBadge status={e.kind} /> {e.sentence}
                    {e.orderId && (
                      <>
                        {' '}
                        · <Link to={detailPath('orders', e.orderId)}>order</Link>
                      </>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>
          {c.sellers && (
            <section className="section" aria-labelledby="coverage-sellers">
              <h2 id="coverage-sellers">Who sold to it</h2>
              {c.sellers.length === 0 ? (
                <Empty>No partner sold to this account.</Empty>
              ) : (
                <TableWrap label="Sellers per product family">
                  <table>
                    <caption className="visually-hidden">Who sold to it, per product family</caption>
                    <thead>
                      <tr>
                        <th scope="col">Partner</th>
                        <th scope="col">Role</th>
                        <th scope="col">Family</th>
                        <th scope="col">First order</th>
                        <th scope="col">Last order</th>
                        <th scope="col" className="num">
                          Orders
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {c.sellers.map((s) => (
                        <tr key={`${s.partnerId}/${s.role}/${s.family}`}>
                          <td>
                            <Link to={detailPath('partners', s.partnerId)}>{s.partnerName}</Link>
                          </td>
                          <td>{s.role}</td>
                          <td>{s.family}</td>
                          <td>{s.firstOrderDate}</td>
                          <td>
                            <Link to={detailPath('orders', s.lastOrderId)}>{s.lastOrderDate}</Link>
                          </td>
                          <td className="num">{s.ordersCount}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableWrap>
              )}
            </section>
          )}
          {c.routedOrders && (
            <section className="section" aria-labelledby="coverage-routed">
              <h2 id="coverage-routed">Routed orders</h2>
              {c.routedOrders.length === 0 ? (
                <Empty>No direct order for this account went through routing.</Empty>
              ) : (
                <TableWrap label="Direct orders of the account">
                  <table>
                    <caption className="visually-hidden">
                      The account’s direct orders and their decisions
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Decision</th>
                        <th scope="col">Order date</th>
                        <th scope="col" className="num">
                          Total
                        </th>
                        <th scope="col">Reason</th>
                        <th scope="col">Status</th>
                      </tr>
                    </thead>
                    <tbody>
                      {c.routedOrders.map((r) => (
                        <tr key={r.id}>
                          <td>
                            <Link to={detailPath('routing', r.id)}>{r.id}</Link>
                          </td>
                          <td>{r.orderDate}</td>
                          <td className="num">
                            <Money minor={r.totalMinor} currency={r.currency} />
                          </td>
                          <td>{labelOf(ROUTING_REASON_LABELS, r.reason)}</td>
                          <td>
                            <Badge tone={routingStatusTone(r.status)}>
                              {labelOf(ROUTING_STATUS_LABELS, r.status)}
                            </Badge>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableWrap>
              )}
            </section>
          )}
        </>
      )}
    </>
  );
}
