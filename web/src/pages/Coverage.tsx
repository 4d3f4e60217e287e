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
import { useApi, useMe } from '../hooks';
import { can } from '../lib/access';
import { useState } from 'react';
import { RebuildCoverage } from './EngagementActions';
import { formatDate, formatNumber, plainT, useExplain, useT } from '../i18n';
import { Trans } from 'react-i18next';
import type { Page } from '../lib/api';
import { COVERAGE_STATUSES, coverageTone, engagementLabel, routingStatusTone } from '../lib/engagement';
import type { ListSpec } from '../lib/query';
import { detailPath } from '../lib/routes';
import { Link, useLocation } from '../router';
import type { Coverage, CoverageDetail } from './engagement-types';
import { REGIONS } from './lists';
import type { Partner } from './types';

type Tf = ReturnType<typeof useT>;

export function CoverageBadge({ status }: { status: string }) {
  const t = useT();
  return (
    <Badge tone={coverageTone(status)}>
      <span data-status={status}>{engagementLabel(plainT(t), 'coverage', status)}</span>
    </Badge>
  );
}

const coverageSpec: ListSpec = {
  filters: ['status', 'partner', 'region', 'expiringWithinDays', 'q', 'asOf'],
  sorts: ['name', 'through'],
  defaultSort: 'name',
  defaultLimit: 50,
};

const expiringOptions = (t: Tf) => [
  { value: '30', label: t('programs.coverage.within', { count: 30 }) },
  { value: '90', label: t('programs.coverage.within', { count: 90 }) },
  { value: '180', label: t('programs.coverage.within', { count: 180 }) },
  { value: '365', label: t('programs.coverage.withinYear') },
];

const statusFilter = (t: Tf): FilterField => ({
  name: 'status',
  label: t('programs.coverage.status'),
  kind: 'select',
  options: COVERAGE_STATUSES.map((s) => ({ value: s, label: engagementLabel(plainT(t), 'coverage', s) })),
});

const asOfFilter = (t: Tf): FilterField => ({
  name: 'asOf',
  label: t('programs.coverage.asOf'),
  kind: 'date',
  hint: t('programs.coverage.asOfHint'),
});

/** The filters both coverage lists share after their own: exclusivity ending, customer name, as of. */
const commonFilters = (t: Tf): FilterField[] => [
  {
    name: 'expiringWithinDays',
    label: t('programs.coverage.exclusivityEnds'),
    kind: 'select',
    options: expiringOptions(t),
  },
  {
    name: 'q',
    label: t('programs.coverage.customer'),
    kind: 'text',
    placeholder: t('programs.coverage.partOfName'),
  },
  asOfFilter(t),
];

/** A day, or a dash when there is none. */
function Day({ value }: { value: string | null | undefined }) {
  return value ? <>{formatDate(value)}</> : <Dash />;
}

/** Keeps the list's "as of" day on the account's page. */
function withAsOf(path: string, search: string): string {
  const asOf = new URLSearchParams(search).get('asOf');
  return asOf ? `${path}?asOf=${encodeURIComponent(asOf)}` : path;
}

export function CoveragePage() {
  const t = useT();
  const explain = useExplain();
  const me = useMe();
  const [changed, setChanged] = useState(0);
  const { search } = useLocation();
  const partners = useApi<Page<Partner>>('/api/partners', { limit: 500 }, { cache: true });
  const filters: FilterField[] = [
    statusFilter(t),
    {
      name: 'partner',
      label: t('programs.coverage.soldByPartner'),
      kind: 'select',
      options: partners.data?.items.map((p) => ({ value: p.id, label: p.name })),
    },
    { name: 'region', label: t('programs.coverage.region'), kind: 'select', options: options(REGIONS) },
    ...commonFilters(t),
  ];
  return (
    <ListPage<Coverage>
      title={t('programs.coverage.title')}
      before={
        can(me.data, 'rebuildCoverage') ? (
          <RebuildCoverage onDone={() => setChanged((n) => n + 1)} />
        ) : undefined
      }
      reloadKey={changed}
      path="/coverage"
      endpoint="/api/coverage"
      spec={coverageSpec}
      noun="account"
      intro={
        <p className="subtitle">
          <Trans i18nKey="programs.coverage.intro" components={{ strong: <strong /> }} />{' '}
          <Link to="/direct-accounts">{t('programs.coverage.directAccounts')}</Link> ·{' '}
          <Link to="/routing">{t('programs.coverage.routingLog')}</Link>
        </p>
      }
      filters={filters}
      rowKey={(c) => c.customerId}
      columns={[
        {
          key: 'customer',
          header: t('programs.coverage.customer'),
          sort: 'name',
          render: (c) => (
            <Link to={withAsOf(detailPath('coverage', c.customerId), search)}>{c.customerName}</Link>
          ),
        },
        {
          key: 'status',
          header: t('programs.coverage.status'),
          render: (c) => <CoverageBadge status={c.status} />,
        },
        { key: 'since', header: t('programs.coverage.since'), render: (c) => <Day value={c.since} /> },
        {
          key: 'through',
          header: t('programs.coverage.through'),
          sort: 'through',
          render: (c) => <Day value={c.through} />,
        },
        {
          key: 'partner',
          header: t('programs.coverage.lastPartner'),
          render: (c) =>
            c.lastPartnerId ? (
              <Link to={detailPath('partners', c.lastPartnerId)}>{c.lastPartnerName ?? c.lastPartnerId}</Link>
            ) : (
              <Dash />
            ),
        },
        { key: 'region', header: t('programs.coverage.region'), render: (c) => `${c.country} · ${c.region}` },
        {
          key: 'why',
          header: t('programs.coverage.why'),
          render: (c) => <span className="explanation">{explain(c.sentence, c.sentenceMessage)}</span>,
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
  const t = useT();
  const explain = useExplain();
  return (
    <ListPage<Coverage>
      title={t('programs.coverage.myAccounts')}
      path="/my-accounts"
      endpoint="/api/coverage"
      spec={myAccountsSpec}
      noun="account"
      intro={
        <p className="subtitle">
          <Trans
            i18nKey="programs.coverage.myIntro"
            components={{ strong: <strong />, offers: <Link to="/offers">{null}</Link> }}
          />
        </p>
      }
      filters={[statusFilter(t), ...commonFilters(t)]}
      rowKey={(c) => c.customerId}
      columns={[
        {
          key: 'customer',
          header: t('programs.coverage.customer'),
          sort: 'name',
          render: (c) => c.customerName,
        },
        {
          key: 'status',
          header: t('programs.coverage.status'),
          render: (c) => <CoverageBadge status={c.status} />,
        },
        { key: 'since', header: t('programs.coverage.since'), render: (c) => <Day value={c.since} /> },
        { key: 'through', header: t('programs.coverage.through'), render: (c) => <Day value={c.through} /> },
        {
          key: 'last',
          header: t('programs.coverage.yourLastSale'),
          render: (c) => <Day value={c.yourLastPurchase} />,
        },
        {
          key: 'why',
          header: t('programs.coverage.why'),
          render: (c) => <span className="explanation">{explain(c.sentence, c.sentenceMessage)}</span>,
        },
      ]}
    />
  );
}

/** /coverage/{customerId}: the account's coverage, its history, who sold to it and its routed orders. */
export function CoverageDetailPage({ id }: { id: string }) {
  const t = useT();
  const explain = useExplain();
  const { search } = useLocation();
  const asOf = new URLSearchParams(search).get('asOf') ?? '';
  const state = useApi<CoverageDetail>(`/api/coverage/${encodeURIComponent(id)}`, { asOf });
  const c = state.data;
  return (
    <>
      <p className="crumbs">
        <Link to={asOf ? `/coverage?asOf=${encodeURIComponent(asOf)}` : '/coverage'}>
          {t('programs.coverage.back')}
        </Link>
      </p>
      {state.status === 'loading' && !c && <Loading what={t('programs.coverage.loadingAccount')} />}
      {state.problem && (
        <>
          <PageHeading title={t('programs.coverage.accountOf', { id })} />
          <ErrorBanner problem={state.problem} onRetry={state.reload} />
        </>
      )}
      {c && (
        <>
          <PageHeading title={c.customerName}>
            <p className="subtitle">
              <CoverageBadge status={c.status} /> · {c.country} · {c.region} ·{' '}
              <Link to={detailPath('customers', c.customerId)}>{t('programs.coverage.customerRecord')}</Link>
              {asOf ? ` · ${t('programs.coverage.asOfDay', { day: formatDate(asOf) })}` : ''}
            </p>
          </PageHeading>
          <p className="banner banner-info coverage-sentence">{explain(c.sentence, c.sentenceMessage)}</p>
          <Fields
            items={[
              [t('programs.coverage.since'), c.since ? formatDate(c.since) : null],
              [t('programs.coverage.throughLast'), c.through ? formatDate(c.through) : null],
              [
                t('programs.coverage.lastPartner'),
                c.lastPartnerId ? (
                  <span key="p">
                    <PartnerLink id={c.lastPartnerId} />
                    {c.lastChannelDate
                      ? t('programs.coverage.lastSale', { day: formatDate(c.lastChannelDate) })
                      : ''}
                  </span>
                ) : null,
              ],
              [
                t('programs.coverage.directNamedAccount'),
                c.namedAccountId ? (
                  <Link key="n" to="/direct-accounts">
                    {c.namedAccountId}
                  </Link>
                ) : null,
              ],
            ]}
          />
          <section className="section" aria-labelledby="coverage-history">
            <h2 id="coverage-history">{t('programs.coverage.history')}</h2>
            {c.history.length === 0 ? (
              <Empty>{t('programs.coverage.noHistory')}</Empty>
            ) : (
              <ol className="deal-history coverage-history">
                {c.history.map((e, i) => (
                  <li key={i}>
                    <time dateTime={e.onDay}>{formatDate(e.onDay)}</time> · <CoverageBadge status={e.kind} />{' '}
                    {explain(e.sentence, e.sentenceMessage)}
                    {e.orderId && (
                      <>
                        {' '}
                        · <Link to={detailPath('orders', e.orderId)}>{t('programs.coverage.order')}</Link>
                      </>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>
          {c.sellers && (
            <section className="section" aria-labelledby="coverage-sellers">
              <h2 id="coverage-sellers">{t('programs.coverage.sellers')}</h2>
              {c.sellers.length === 0 ? (
                <Empty>{t('programs.coverage.noSellers')}</Empty>
              ) : (
                <TableWrap label={t('programs.coverage.sellersLabel')}>
                  <table>
                    <caption className="visually-hidden">{t('programs.coverage.sellersCaption')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('programs.coverage.partner')}</th>
                        <th scope="col">{t('programs.coverage.role')}</th>
                        <th scope="col">{t('programs.coverage.family')}</th>
                        <th scope="col">{t('programs.coverage.firstOrder')}</th>
                        <th scope="col">{t('programs.coverage.lastOrder')}</th>
                        <th scope="col" className="num">
                          {t('programs.coverage.orders')}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {c.sellers.map((s) => (
                        <tr key={`${s.partnerId}/${s.role}/${s.family}`}>
                          <td>
                            <Link to={detailPath('partners', s.partnerId)}>{s.partnerName}</Link>
                          </td>
                          <td>{engagementLabel(plainT(t), 'role', s.role)}</td>
                          <td>{engagementLabel(plainT(t), 'family', s.family)}</td>
                          <td>{formatDate(s.firstOrderDate)}</td>
                          <td>
                            <Link to={detailPath('orders', s.lastOrderId)}>
                              {formatDate(s.lastOrderDate)}
                            </Link>
                          </td>
                          <td className="num">{formatNumber(s.ordersCount)}</td>
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
              <h2 id="coverage-routed">{t('programs.coverage.routedOrders')}</h2>
              {c.routedOrders.length === 0 ? (
                <Empty>{t('programs.coverage.noRoutedOrders')}</Empty>
              ) : (
                <TableWrap label={t('programs.coverage.routedLabel')}>
                  <table>
                    <caption className="visually-hidden">{t('programs.coverage.routedCaption')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('programs.coverage.decision')}</th>
                        <th scope="col">{t('programs.coverage.orderDate')}</th>
                        <th scope="col" className="num">
                          {t('programs.coverage.total')}
                        </th>
                        <th scope="col">{t('programs.coverage.reason')}</th>
                        <th scope="col">{t('programs.coverage.status')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {c.routedOrders.map((r) => (
                        <tr key={r.id}>
                          <td>
                            <Link to={detailPath('routing', r.id)}>{r.id}</Link>
                          </td>
                          <td>{formatDate(r.orderDate)}</td>
                          <td className="num">
                            <Money minor={r.totalMinor} currency={r.currency} />
                          </td>
                          <td>{engagementLabel(plainT(t), 'routingReason', r.reason)}</td>
                          <td>
                            <Badge tone={routingStatusTone(r.status)}>
                              {engagementLabel(plainT(t), 'routingStatus', r.status)}
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
