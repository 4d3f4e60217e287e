import { ConvertedMoney } from '../components/ConvertedMoney';
import { ListPage, type FilterField } from '../components/ListPage';
import { options, useProgramOptions, useVendorOptions, VendorName } from '../components/refs';
import { Dash, IsoTime, Money } from '../components/ui';
import { useT } from '../i18n';
import { useMe, type Program } from '../hooks';
import { can } from '../lib/access';
import { useState } from 'react';
import { LICENSING_MODELS, PRODUCT_FAMILIES } from '../lib/codes';
import { AddProduct } from './AddProduct';
import type { ListSpec } from '../lib/query';
import { detailPath } from '../lib/routes';
import { Link } from '../router';
import type { Customer, Order, Partner, Product } from './types';

// Enumerations as the API validates them (src/core/model).
export const PARTNER_KINDS = ['reseller', 'distributor', 'service-provider'];
export const REGIONS = ['na', 'latam', 'emea', 'apj'];
export const SEGMENTS = ['enterprise', 'commercial', 'small-business', 'public-sector'];
export const CHANNELS = ['direct', 'partner', 'distributor'];
export { LICENSING_MODELS, PRODUCT_FAMILIES };

type T = ReturnType<typeof useT>;
const COUNTRY = (t: T): FilterField => ({
  name: 'country',
  label: t('names.lists.country'),
  kind: 'text',
  placeholder: 'GB',
  pattern: '[A-Z]{2}',
  hint: t('names.lists.countryHint'),
});
const SEARCH = (t: T, label: string): FilterField => ({
  name: 'q',
  label,
  kind: 'text',
  placeholder: t('names.lists.contains'),
});
/** A filter by a record chosen by name (its id is what the API filters on). */
const nameFilter = (name: string, label: string, source: string): FilterField => ({
  name,
  label,
  kind: 'name',
  source,
});

/** A partner or customer by name, its id on hover, linking to its page (the id alone when unnamed). */
function NamedLink({
  resource,
  id,
  name,
}: {
  resource: 'partners' | 'customers';
  id: string;
  name: string | null | undefined;
}) {
  return (
    <Link to={detailPath(resource, id)} title={id}>
      {name ?? id}
    </Link>
  );
}

type NamedOrder = Order & {
  readonly customerName?: string | null;
  readonly resellerName?: string | null;
  readonly distributorName?: string | null;
};

const programSpec: ListSpec = {
  filters: ['vendor'],
  sorts: ['name', 'code', 'createdAt'],
  defaultSort: 'name',
  defaultLimit: 50,
};

export function ProgramsPage() {
  const t = useT();
  const vendors = useVendorOptions();
  return (
    <ListPage<Program>
      title={t('names.lists.programs')}
      path="/programs"
      endpoint="/api/programs"
      spec={programSpec}
      noun="program"
      filters={[{ name: 'vendor', label: t('names.lists.vendor'), kind: 'select', options: vendors }]}
      rowKey={(p) => p.id}
      columns={[
        {
          key: 'name',
          header: t('names.lists.name'),
          sort: 'name',
          render: (p) => <Link to={detailPath('programs', p.code)}>{p.name}</Link>,
        },
        { key: 'code', header: t('names.lists.code'), sort: 'code', render: (p) => <code>{p.code}</code> },
        { key: 'vendor', header: t('names.lists.vendor'), render: (p) => <VendorName id={p.vendorId} /> },
        {
          key: 'created',
          header: t('names.lists.created'),
          sort: 'createdAt',
          render: (p) => <IsoTime value={p.createdAt} dateOnly />,
        },
      ]}
    />
  );
}

const partnerSpec: ListSpec = {
  filters: ['q', 'kind', 'country', 'region', 'vendor', 'program'],
  sorts: ['name', 'country', 'createdAt'],
  defaultSort: 'name',
  defaultLimit: 50,
};

export function PartnersPage() {
  const t = useT();
  const vendors = useVendorOptions();
  const programs = useProgramOptions();
  return (
    <ListPage<Partner>
      title={t('names.lists.partners')}
      path="/partners"
      endpoint="/api/partners"
      spec={partnerSpec}
      noun="partner"
      filters={[
        SEARCH(t, t('names.lists.name')),
        { name: 'kind', label: t('names.lists.kind'), kind: 'select', options: options(PARTNER_KINDS) },
        COUNTRY(t),
        { name: 'region', label: t('names.lists.region'), kind: 'select', options: options(REGIONS) },
        {
          name: 'vendor',
          label: t('names.lists.enrolledWithVendor'),
          kind: 'select',
          options: vendors,
        },
        {
          name: 'program',
          label: t('names.lists.enrolledInProgram'),
          kind: 'select',
          options: programs,
        },
      ]}
      rowKey={(p) => p.id}
      columns={[
        {
          key: 'name',
          header: t('names.lists.name'),
          sort: 'name',
          render: (p) => <Link to={detailPath('partners', p.id)}>{p.name}</Link>,
        },
        { key: 'kind', header: t('names.lists.kind'), render: (p) => p.kind },
        { key: 'country', header: t('names.lists.country'), sort: 'country', render: (p) => p.country },
        { key: 'region', header: t('names.lists.region'), render: (p) => p.region },
        { key: 'domain', header: t('names.lists.domain'), render: (p) => p.domain ?? <Dash /> },
        {
          key: 'created',
          header: t('names.lists.created'),
          sort: 'createdAt',
          render: (p) => <IsoTime value={p.createdAt} dateOnly />,
        },
      ]}
    />
  );
}

const customerSpec: ListSpec = {
  filters: ['q', 'vendor', 'country', 'region', 'segment'],
  sorts: ['name', 'country', 'createdAt'],
  defaultSort: 'name',
  defaultLimit: 50,
};

export function CustomersPage() {
  const t = useT();
  const vendors = useVendorOptions();
  return (
    <ListPage<Customer>
      title={t('names.lists.customers')}
      path="/customers"
      endpoint="/api/customers"
      spec={customerSpec}
      noun="customer"
      filters={[
        SEARCH(t, t('names.lists.name')),
        { name: 'vendor', label: t('names.lists.vendor'), kind: 'select', options: vendors },
        COUNTRY(t),
        { name: 'region', label: t('names.lists.region'), kind: 'select', options: options(REGIONS) },
        { name: 'segment', label: t('names.lists.segment'), kind: 'select', options: options(SEGMENTS) },
      ]}
      rowKey={(c) => c.id}
      columns={[
        {
          key: 'name',
          header: t('names.lists.name'),
          sort: 'name',
          render: (c) => <Link to={detailPath('customers', c.id)}>{c.name}</Link>,
        },
        { key: 'domain', header: t('names.lists.domain'), render: (c) => c.domain ?? <Dash /> },
        { key: 'country', header: t('names.lists.country'), sort: 'country', render: (c) => c.country },
        { key: 'region', header: t('names.lists.region'), render: (c) => c.region },
        { key: 'segment', header: t('names.lists.segment'), render: (c) => c.segment },
        { key: 'vendor', header: t('names.lists.vendor'), render: (c) => <VendorName id={c.vendorId} /> },
        {
          key: 'created',
          header: t('names.lists.created'),
          sort: 'createdAt',
          render: (c) => <IsoTime value={c.createdAt} dateOnly />,
        },
      ]}
    />
  );
}

const orderSpec: ListSpec = {
  filters: ['vendor', 'channel', 'from', 'to', 'customer', 'reseller', 'distributor'],
  sorts: ['orderDate', 'total', 'createdAt'],
  defaultSort: 'orderDate',
  defaultLimit: 50,
};

export function OrdersPage() {
  const t = useT();
  const vendors = useVendorOptions();
  return (
    <ListPage<NamedOrder>
      title={t('names.lists.orders')}
      path="/orders"
      endpoint="/api/orders"
      spec={orderSpec}
      noun="order"
      filters={[
        { name: 'vendor', label: t('names.lists.vendor'), kind: 'select', options: vendors },
        { name: 'channel', label: t('names.lists.channel'), kind: 'select', options: options(CHANNELS) },
        { name: 'from', label: t('names.lists.orderedFrom'), kind: 'date' },
        { name: 'to', label: t('names.lists.orderedTo'), kind: 'date' },
        nameFilter('customer', t('names.lists.customer'), '/api/customers'),
        nameFilter('reseller', t('names.lists.reseller'), '/api/partners'),
        nameFilter('distributor', t('names.lists.distributor'), '/api/partners'),
      ]}
      rowKey={(o) => o.id}
      columns={[
        {
          key: 'date',
          header: t('names.lists.orderDate'),
          sort: 'orderDate',
          render: (o) => (
            <Link to={detailPath('orders', o.id)}>
              <IsoTime value={o.orderDate} dateOnly />
            </Link>
          ),
        },
        { key: 'external', header: t('names.lists.orderNumber'), render: (o) => <code>{o.externalId}</code> },
        {
          key: 'customer',
          header: t('names.lists.endUser'),
          render: (o) => (
            <NamedLink resource="customers" id={o.customerId} name={o.customerName ?? o.endUserName} />
          ),
        },
        { key: 'channel', header: t('names.lists.channel'), render: (o) => o.channel },
        {
          key: 'reseller',
          header: t('names.lists.reseller'),
          render: (o) =>
            o.resellerId ? (
              <NamedLink resource="partners" id={o.resellerId} name={o.resellerName} />
            ) : (
              <Dash />
            ),
        },
        {
          key: 'distributor',
          header: t('names.lists.distributor'),
          render: (o) =>
            o.distributorId ? (
              o.distributorName ? (
                <NamedLink resource="partners" id={o.distributorId} name={o.distributorName} />
              ) : (
                <span title={o.distributorId}>{o.distributorId}</span>
              )
            ) : (
              <Dash />
            ),
        },
        { key: 'country', header: t('names.lists.country'), render: (o) => o.country },
        { key: 'vendor', header: t('names.lists.vendor'), render: (o) => <VendorName id={o.vendorId} /> },
        {
          key: 'total',
          header: t('names.lists.total'),
          sort: 'total',
          numeric: true,
          render: (o) => (
            <ConvertedMoney
              minor={o.totalMinor}
              currency={o.currency}
              originalMinor={o.originalTotalMinor}
              originalCurrency={o.originalCurrency}
            />
          ),
        },
      ]}
    />
  );
}

const productSpec: ListSpec = {
  filters: ['q', 'vendor', 'family', 'licensing'],
  sorts: ['sku', 'name', 'listPrice'],
  defaultSort: 'sku',
  defaultLimit: 50,
};

export function ProductsPage() {
  const t = useT();
  const vendors = useVendorOptions();
  const me = useMe();
  const [added, setAdded] = useState(0);
  return (
    <ListPage<Product>
      title={t('names.lists.products')}
      before={
        can(me.data, 'writeProducts') ? <AddProduct onAdded={() => setAdded((n) => n + 1)} /> : undefined
      }
      reloadKey={added}
      path="/products"
      endpoint="/api/products"
      spec={productSpec}
      noun="product"
      filters={[
        {
          name: 'q',
          label: t('names.lists.nameOrSku'),
          kind: 'text',
          placeholder: t('names.lists.contains'),
        },
        { name: 'vendor', label: t('names.lists.vendor'), kind: 'select', options: vendors },
        {
          name: 'family',
          label: t('names.lists.family'),
          kind: 'select',
          options: options(PRODUCT_FAMILIES),
        },
        {
          name: 'licensing',
          label: t('names.lists.licensing'),
          kind: 'select',
          options: options(LICENSING_MODELS),
        },
      ]}
      rowKey={(p) => p.id}
      columns={[
        {
          key: 'sku',
          header: t('names.lists.sku'),
          sort: 'sku',
          render: (p) => (
            <Link to={detailPath('products', p.id)}>
              <code>{p.sku}</code>
            </Link>
          ),
        },
        { key: 'name', header: t('names.lists.name'), sort: 'name', render: (p) => p.name },
        { key: 'family', header: t('names.lists.family'), render: (p) => p.family },
        { key: 'licensing', header: t('names.lists.licensing'), render: (p) => p.licensing ?? '—' },
        { key: 'solution', header: t('names.lists.solution'), render: (p) => p.solution ?? '—' },
        { key: 'vendor', header: t('names.lists.vendor'), render: (p) => <VendorName id={p.vendorId} /> },
        {
          key: 'price',
          header: t('names.lists.listPrice'),
          sort: 'listPrice',
          numeric: true,
          render: (p) => <Money minor={p.listPriceMinor} currency={p.currency} />,
        },
      ]}
    />
  );
}
