import type { ReactNode } from 'react';
import { DataTable } from '../components/DataTable';
import { ProgramLink, VendorName } from '../components/refs';
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
import { useApi } from '../hooks';
import type { Problem } from '../lib/api';
import { plural } from '../lib/format';
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
  return (
    <>
      <p className="crumbs">
        <Link to={`/${resource}`}>← {label}</Link>
      </p>
      {state.status === 'loading' && <Loading />}
      {state.problem && (
        <>
          <PageHeading title={`${label}: ${id}`} />
          <ErrorBanner problem={state.problem} onRetry={state.reload} />
        </>
      )}
      {state.status === 'ok' && state.data && children(state.data)}
    </>
  );
}

export function PartnerDetailPage({ id }: { id: string }) {
  const state = useApi<PartnerDetail>(`/api/partners/${encodeURIComponent(id)}`);
  return (
    <DetailFrame resource="partners" label="Partners" id={id} state={state}>
      {(p) => (
        <>
          <PageHeading title={p.name}>
            <p className="subtitle">
              <Badge tone="info">{p.kind}</Badge> <code>{p.id}</code>
            </p>
          </PageHeading>
          <Fields
            items={[
              ['Kind', p.kind],
              ['Country', p.country],
              ['Region', p.region],
              ['Domain', p.domain],
              ['Created', <IsoTime key="c" value={p.createdAt} />],
            ]}
          />
          <p>
            <Link to={`/orders?reseller=${encodeURIComponent(p.id)}`}>Orders resold by this partner</Link>
            {p.kind === 'distributor' && (
              <>
                {' · '}
                <Link to={`/orders?distributor=${encodeURIComponent(p.id)}`}>Orders distributed</Link>
              </>
            )}
          </p>
          <section aria-labelledby="enrolments">
            <h2 id="enrolments">Enrolments ({p.enrolments.length})</h2>
            {p.enrolments.length === 0 ? (
              <Empty>This partner is not enrolled in any program you can see.</Empty>
            ) : (
              <DataTable
                caption="Enrolments"
                rows={p.enrolments}
                rowKey={(e) => e.id}
                columns={[
                  { key: 'program', header: 'Program', render: (e) => <ProgramLink id={e.programId} /> },
                  { key: 'vendor', header: 'Vendor', render: (e) => <VendorName id={e.vendorId} /> },
                  { key: 'number', header: 'Partner number', render: (e) => <code>{e.partnerNumber}</code> },
                  {
                    key: 'status',
                    header: 'Status',
                    render: (e) => <Badge tone={e.status === 'active' ? 'ok' : 'neutral'}>{e.status}</Badge>,
                  },
                  { key: 'exclusive', header: 'Exclusive', render: (e) => (e.exclusive ? 'Yes' : 'No') },
                  {
                    key: 'enrolled',
                    header: 'Enrolled',
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
  const state = useApi<Customer>(`/api/customers/${encodeURIComponent(id)}`);
  return (
    <DetailFrame resource="customers" label="Customers" id={id} state={state}>
      {(c) => (
        <>
          <PageHeading title={c.name}>
            <p className="subtitle">
              <code>{c.id}</code>
            </p>
          </PageHeading>
          <Fields
            items={[
              ['Vendor', <VendorName key="v" id={c.vendorId} />],
              ['Domain', c.domain],
              ['Segment', c.segment],
              ['Address', [c.addressLine, c.city, c.postalCode].filter(Boolean).join(', ') || null],
              ['Country', c.country],
              ['Region', c.region],
              ['Created', <IsoTime key="c" value={c.createdAt} />],
            ]}
          />
          <p>
            <Link to={`/orders?customer=${encodeURIComponent(c.id)}`}>Orders from this customer</Link>
          </p>
        </>
      )}
    </DetailFrame>
  );
}

export function OrderDetailPage({ id }: { id: string }) {
  const state = useApi<OrderDetail>(`/api/orders/${encodeURIComponent(id)}`);
  return (
    <DetailFrame resource="orders" label="Orders" id={id} state={state}>
      {(o) => (
        <>
          <PageHeading title={`Order ${o.externalId}`}>
            <p className="subtitle">
              <code>{o.id}</code> · <Money minor={o.totalMinor} currency={o.currency} />
            </p>
          </PageHeading>
          <Fields
            items={[
              ['Order date', <IsoTime key="d" value={o.orderDate} />],
              ['Vendor', <VendorName key="v" id={o.vendorId} />],
              ['Source', o.source],
              ['End user (as entered)', o.endUserName],
              [
                'Customer',
                <Link key="c" to={detailPath('customers', o.customerId)}>
                  {o.customerId}
                </Link>,
              ],
              ['Channel', o.channel],
              [
                'Reseller',
                o.resellerId ? (
                  <Link key="r" to={detailPath('partners', o.resellerId)}>
                    {o.resellerId}
                  </Link>
                ) : null,
              ],
              [
                'Distributor',
                o.distributorId ? (
                  <Link key="d" to={detailPath('partners', o.distributorId)}>
                    {o.distributorId}
                  </Link>
                ) : null,
              ],
              ['Country', `${o.country} (${o.region})`],
              ['Segment', o.segment],
              ['Total', <Money key="t" minor={o.totalMinor} currency={o.currency} />],
              ['Created', <IsoTime key="cr" value={o.createdAt} />],
            ]}
          />
          <section aria-labelledby="lines">
            <h2 id="lines">Lines ({plural(o.lines.length, 'line')})</h2>
            {o.lines.length === 0 ? (
              <Empty>This order has no lines.</Empty>
            ) : (
              <DataTable
                caption="Order lines"
                rows={[...o.lines].sort((a, b) => a.lineNo - b.lineNo)}
                rowKey={(l) => l.id}
                columns={[
                  { key: 'no', header: '#', numeric: true, render: (l) => l.lineNo },
                  {
                    key: 'product',
                    header: 'Product',
                    render: (l) => <Link to={detailPath('products', l.productId)}>{l.productId}</Link>,
                  },
                  { key: 'family', header: 'Family', render: (l) => l.family },
                  {
                    key: 'qty',
                    header: 'Quantity',
                    numeric: true,
                    render: (l) => l.quantity.toLocaleString('en-US'),
                  },
                  {
                    key: 'unit',
                    header: 'Unit price',
                    numeric: true,
                    render: (l) => <Money minor={l.unitPriceMinor} currency={l.currency} />,
                  },
                  {
                    key: 'amount',
                    header: 'Amount',
                    numeric: true,
                    render: (l) => <Money minor={l.amountMinor} currency={l.currency} />,
                  },
                  {
                    key: 'returns',
                    header: 'Returns line',
                    render: (l) =>
                      l.returnsLineId ? <Badge tone="warn">{l.returnsLineId}</Badge> : <Dash />,
                  },
                ]}
              />
            )}
          </section>
        </>
      )}
    </DetailFrame>
  );
}

export function ProductDetailPage({ id }: { id: string }) {
  const state = useApi<Product>(`/api/products/${encodeURIComponent(id)}`);
  return (
    <DetailFrame resource="products" label="Products" id={id} state={state}>
      {(p) => (
        <>
          <PageHeading title={p.name}>
            <p className="subtitle">
              <code>{p.sku}</code> · <code>{p.id}</code>
            </p>
          </PageHeading>
          <Fields
            items={[
              ['Vendor', <VendorName key="v" id={p.vendorId} />],
              ['SKU', <code key="s">{p.sku}</code>],
              ['Family', p.family],
              ['Licensing', p.licensing ?? 'none (hardware or services)'],
              ['Solution area', p.solution ?? '—'],
              ['List price', <Money key="m" minor={p.listPriceMinor} currency={p.currency} />],
              ['Created', <IsoTime key="c" value={p.createdAt} />],
            ]}
          />
        </>
      )}
    </DetailFrame>
  );
}
