import type { ReactNode } from 'react';
import { ConvertedMoney } from '../components/ConvertedMoney';
import { DataTable } from '../components/DataTable';
import { PartnerLink, ProgramLink, VendorName } from '../components/refs';
import {
  Badge,
  Dash,
  Empty,
  ErrorBanner,
  Fields,
  IsoTime,
  Loading,
  Money,
  PageHeading,
} from '../components/ui';
import { useApi, useGet } from '../hooks';
import type { Problem } from '../lib/api';
import { enumText } from '../components/settlement';
import { formatNumber, useExplain, useT } from '../i18n';
import { detailPath, type ListResource } from '../lib/routes';
import { Link } from '../router';
import { EarningsSection } from './Earnings';
import { StandingSection } from './Standing';
import type { Customer, OrderDetail, PartnerDetail, Product } from './types';

/** The frame every detail page shares: back link, loading, problem banner. */
function DetailFrame<T>({
  resource,
  label,
  id,
  state,
  children,
}: {
  resource: ListResource;
  label: string;
  id: string;
  state: { status: string; data: T | null; problem: Problem | null; reload: () => void };
  children: (data: T) => ReactNode;
}) {
  const t = useT();
  return (
    <>
      <p className="crumbs">
        <Link to={`/${resource}`}>← {label}</Link>
      </p>
      {state.status === 'loading' && <Loading />}
      {state.problem && (
        <>
          <PageHeading title={t('settle.details.frameTitle', { label, id })} />
          <ErrorBanner problem={state.problem} onRetry={state.reload} />
        </>
      )}
      {state.status === 'ok' && state.data && children(state.data)}
    </>
  );
}

export function PartnerDetailPage({ id }: { id: string }) {
  const t = useT();
  const state = useApi<PartnerDetail>(`/api/partners/${encodeURIComponent(id)}`);
  return (
    <DetailFrame resource="partners" label={t('settle.details.partners')} id={id} state={state}>
      {(p) => (
        <>
          <PageHeading title={p.name}>
            <p className="subtitle">
              <Badge tone="info">{enumText(t, 'partnerKind', p.kind)}</Badge> <code>{p.id}</code>
            </p>
          </PageHeading>
          <Fields
            items={[
              [t('settle.details.kind'), enumText(t, 'partnerKind', p.kind)],
              [t('settle.details.country'), p.country],
              [t('settle.details.region'), p.region],
              [t('settle.details.domain'), p.domain],
              [t('settle.details.created'), <IsoTime key="c" value={p.createdAt} />],
            ]}
          />
          <p>
            <Link to={`/orders?reseller=${encodeURIComponent(p.id)}`}>
              {t('settle.details.ordersResold')}
            </Link>
            {p.kind === 'distributor' && (
              <>
                {' · '}
                <Link to={`/orders?distributor=${encodeURIComponent(p.id)}`}>
                  {t('settle.details.ordersDistributed')}
                </Link>
              </>
            )}
          </p>
          <section aria-labelledby="enrolments">
            <h2 id="enrolments">{t('settle.details.enrolmentsCount', { count: p.enrolments.length })}</h2>
            {p.enrolments.length === 0 ? (
              <Empty>{t('settle.details.notEnrolled')}</Empty>
            ) : (
              <DataTable
                caption={t('settle.details.enrolments')}
                rows={p.enrolments}
                rowKey={(e) => e.id}
                columns={[
                  {
                    key: 'program',
                    header: t('settle.details.program'),
                    render: (e) => <ProgramLink id={e.programId} />,
                  },
                  {
                    key: 'vendor',
                    header: t('settle.details.vendor'),
                    render: (e) => <VendorName id={e.vendorId} />,
                  },
                  {
                    key: 'number',
                    header: t('settle.details.partnerNumber'),
                    render: (e) => <code>{e.partnerNumber}</code>,
                  },
                  {
                    key: 'status',
                    header: t('settle.details.status'),
                    render: (e) => (
                      <Badge tone={e.status === 'active' ? 'ok' : 'neutral'}>
                        {enumText(t, 'enrolmentStatus', e.status)}
                      </Badge>
                    ),
                  },
                  {
                    key: 'exclusive',
                    header: t('settle.details.exclusive'),
                    render: (e) => (e.exclusive ? t('common.yes') : t('common.no')),
                  },
                  {
                    key: 'enrolled',
                    header: t('settle.details.enrolled'),
                    render: (e) => <IsoTime value={e.enrolledAt} dateOnly />,
                  },
                ]}
              />
            )}
          </section>
          <EarningsSection partnerId={p.id} />
          {[...new Set(p.enrolments.map((e) => e.programId))].map((programId) => (
            <StandingSection key={programId} partnerId={p.id} programId={programId} />
          ))}
        </>
      )}
    </DetailFrame>
  );
}

export function CustomerDetailPage({ id }: { id: string }) {
  const t = useT();
  const state = useApi<Customer>(`/api/customers/${encodeURIComponent(id)}`);
  return (
    <DetailFrame resource="customers" label={t('settle.details.customers')} id={id} state={state}>
      {(c) => (
        <>
          <PageHeading title={c.name}>
            <p className="subtitle">
              <code>{c.id}</code>
            </p>
          </PageHeading>
          <Fields
            items={[
              [t('settle.details.vendor'), <VendorName key="v" id={c.vendorId} />],
              [t('settle.details.domain'), c.domain],
              [t('settle.details.segment'), enumText(t, 'segment', c.segment)],
              [
                t('settle.details.address'),
                [c.addressLine, c.city, c.postalCode].filter(Boolean).join(', ') || null,
              ],
              [t('settle.details.country'), c.country],
              [t('settle.details.region'), c.region],
              [t('settle.details.created'), <IsoTime key="c" value={c.createdAt} />],
            ]}
          />
          <p>
            <Link to={`/orders?customer=${encodeURIComponent(c.id)}`}>
              {t('settle.details.ordersFromCustomer')}
            </Link>
          </p>
        </>
      )}
    </DetailFrame>
  );
}

export function OrderDetailPage({ id }: { id: string }) {
  const t = useT();
  const state = useApi<OrderDetail>(`/api/orders/${encodeURIComponent(id)}`);
  return (
    <DetailFrame resource="orders" label={t('settle.details.orders')} id={id} state={state}>
      {(o) => (
        <>
          <PageHeading title={t('settle.details.orderTitle', { id: o.externalId })}>
            <p className="subtitle">
              <code>{o.id}</code> ·{' '}
              <ConvertedMoney
                minor={o.totalMinor}
                currency={o.currency}
                originalMinor={o.originalTotalMinor}
                originalCurrency={o.originalCurrency}
              />
            </p>
          </PageHeading>
          <Fields
            items={[
              [t('settle.details.orderDate'), <IsoTime key="d" value={o.orderDate} />],
              [t('settle.details.vendor'), <VendorName key="v" id={o.vendorId} />],
              [t('settle.details.source'), o.source],
              [t('settle.details.endUser'), o.endUserName],
              [
                t('settle.details.customer'),
                <Link key="c" to={detailPath('customers', o.customerId)} title={o.customerId}>
                  {o.customerName ?? o.customerId}
                </Link>,
              ],
              [t('settle.details.channel'), enumText(t, 'channel', o.channel)],
              [
                t('settle.details.reseller'),
                o.resellerId ? <PartyRef key="r" id={o.resellerId} name={o.resellerName} /> : null,
              ],
              [
                t('settle.details.distributor'),
                o.distributorId ? <PartyRef key="d" id={o.distributorId} name={o.distributorName} /> : null,
              ],
              [t('settle.details.country'), `${o.country} (${o.region})`],
              [t('settle.details.segment'), enumText(t, 'segment', o.segment)],
              [
                t('settle.details.total'),
                <ConvertedMoney
                  key="t"
                  minor={o.totalMinor}
                  currency={o.currency}
                  originalMinor={o.originalTotalMinor}
                  originalCurrency={o.originalCurrency}
                />,
              ],
              [t('settle.details.created'), <IsoTime key="cr" value={o.createdAt} />],
            ]}
          />
          <section aria-labelledby="lines">
            <h2 id="lines">{t('settle.details.lines', { count: o.lines.length })}</h2>
            {o.lines.length === 0 ? (
              <Empty>{t('settle.details.noLines')}</Empty>
            ) : (
              <DataTable
                caption={t('settle.details.orderLines')}
                rows={[...o.lines].sort((a, b) => a.lineNo - b.lineNo)}
                rowKey={(l) => l.id}
                columns={[
                  { key: 'no', header: '#', numeric: true, render: (l) => l.lineNo },
                  {
                    key: 'product',
                    header: t('settle.details.product'),
                    render: (l) => (
                      <Link to={detailPath('products', l.productId)} title={l.productId}>
                        {l.productName ?? l.productId}
                      </Link>
                    ),
                  },
                  {
                    key: 'family',
                    header: t('settle.details.family'),
                    render: (l) => enumText(t, 'family', l.family),
                  },
                  {
                    key: 'qty',
                    header: t('settle.details.quantity'),
                    numeric: true,
                    render: (l) => formatNumber(l.quantity),
                  },
                  {
                    key: 'unit',
                    header: t('settle.details.unitPrice'),
                    numeric: true,
                    render: (l) => (
                      <ConvertedMoney
                        minor={l.unitPriceMinor}
                        currency={l.currency}
                        originalMinor={l.originalUnitPriceMinor}
                        originalCurrency={l.originalCurrency}
                        rate={l.fxRate}
                      />
                    ),
                  },
                  {
                    key: 'amount',
                    header: t('settle.details.amount'),
                    numeric: true,
                    render: (l) => (
                      <ConvertedMoney
                        minor={l.amountMinor}
                        currency={l.currency}
                        originalMinor={l.originalAmountMinor}
                        originalCurrency={l.originalCurrency}
                        rate={l.fxRate}
                      />
                    ),
                  },
                  {
                    key: 'returns',
                    header: t('settle.details.returnsLine'),
                    render: (l) =>
                      l.returnsLineId ? <Badge tone="warn">{l.returnsLineId}</Badge> : <Dash />,
                  },
                ]}
              />
            )}
          </section>
          <OrderEarnings orderId={o.id} />
        </>
      )}
    </DetailFrame>
  );
}

/**
 * A partner of an order by name, linking to its page, with its id on hover; a partner the reader may not
 * see (the API gives no name) is its id alone, with no link to a page that would refuse it.
 */
function PartyRef({ id, name }: { id: string; name?: string | null | undefined }) {
  return name ? (
    <Link to={detailPath('partners', id)} title={id}>
      {name}
    </Link>
  ) : (
    <code>{id}</code>
  );
}

/**
 * How each cent of an order came about: what every rule credited to partners on its lines (the partner
 * payable side of each ledger transfer), with the rule, version and the sentence in the reader's language.
 * A partner sees only what it earned.
 */
function OrderEarnings({ orderId }: { orderId: string }) {
  const t = useT();
  const explain = useExplain();
  const state = useGet('/api/orders/{orderId}/ledger', { params: { path: { orderId } } });
  const legs =
    state.status === 'ok'
      ? state.data.items
          .filter((l) => l.account === PAYABLE_ACCOUNT)
          .map((l) => ({ ...l, key: `${l.transactionId}/${l.component}/${l.lineId ?? ''}/${l.amountMinor}` }))
      : [];
  return (
    <section aria-labelledby="earned">
      <h2 id="earned">{t('settle.details.earned')}</h2>
      <p className="subtitle">{t('settle.details.earnedIntro')}</p>
      {state.status === 'loading' && <Loading what={t('settle.details.earned')} />}
      {state.problem && <ErrorBanner problem={state.problem} onRetry={state.reload} />}
      {state.status === 'ok' &&
        (legs.length === 0 ? (
          <Empty>{t('settle.details.earnedNone')}</Empty>
        ) : (
          <DataTable
            caption={t('settle.details.earnedCaption')}
            rows={legs}
            rowKey={(l) => l.key}
            columns={[
              {
                key: 'posted',
                header: t('settle.details.posted'),
                render: (l) => <IsoTime value={l.postedAt} />,
              },
              {
                key: 'partner',
                header: t('settle.details.partner'),
                render: (l) => (l.partnerId ? <PartnerLink id={l.partnerId} /> : <Dash />),
              },
              {
                key: 'component',
                header: t('settle.details.rule'),
                render: (l) => (
                  <span title={`${l.ruleId} ${l.ruleVersion}`}>
                    <code>{l.component}</code>
                  </span>
                ),
              },
              {
                key: 'amount',
                header: t('settle.details.credited'),
                numeric: true,
                // The payable account is credited (negative) when the partner earns.
                render: (l) => <Money minor={-l.amountMinor} currency={l.currency} />,
              },
              {
                key: 'why',
                header: t('settle.details.why'),
                render: (l) => (
                  <span className="explanation">{explain(l.explanation, l.explanationMessage)}</span>
                ),
              },
            ]}
          />
        ))}
    </section>
  );
}

/** The ledger account of what partners are owed (src/core/ledger/settlement.ts ACCOUNTS.payable). */
const PAYABLE_ACCOUNT = 'partner:rebate-payable';

export function ProductDetailPage({ id }: { id: string }) {
  const t = useT();
  const state = useApi<Product>(`/api/products/${encodeURIComponent(id)}`);
  return (
    <DetailFrame resource="products" label={t('settle.details.products')} id={id} state={state}>
      {(p) => (
        <>
          <PageHeading title={p.name}>
            <p className="subtitle">
              <code>{p.sku}</code> · <code>{p.id}</code>
            </p>
          </PageHeading>
          <Fields
            items={[
              [t('settle.details.vendor'), <VendorName key="v" id={p.vendorId} />],
              [t('settle.details.sku'), <code key="s">{p.sku}</code>],
              [t('settle.details.family'), enumText(t, 'family', p.family)],
              [
                t('settle.details.licensing'),
                p.licensing != null ? enumText(t, 'licensing', p.licensing) : t('settle.details.noLicensing'),
              ],
              [t('settle.details.solution'), p.solution ?? '—'],
              [
                t('settle.details.listPrice'),
                <Money key="m" minor={p.listPriceMinor} currency={p.currency} />,
              ],
              [t('settle.details.created'), <IsoTime key="c" value={p.createdAt} />],
            ]}
          />
        </>
      )}
    </DetailFrame>
  );
}
