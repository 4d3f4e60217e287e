import { ListPage, type FilterField } from '../components/ListPage';
import { options, useProgramOptions, useVendorOptions, VendorName } from '../components/refs';
import { Dash, IsoTime, Money } from '../components/ui';
import type { Program } from '../hooks';
import type { ListSpec } from '../lib/query';
import { detailPath } from '../lib/routes';
import { Link } from '../router';
import type { Customer, Order, Partner, Product } from './types';

// Enumerations as the API validates them (src/core/model).
export const PARTNER_KINDS = ['reseller', 'distributor', 'service-provider'];
export const REGIONS = ['na', 'latam', 'emea', 'apj'];
export const SEGMENTS = ['enterprise', 'commercial', 'small-business', 'public-sector'];
export const CHANNELS = ['direct', 'partner', 'distributor'];
export const PRODUCT_FAMILIES = [
  'servers',
  'storage',
  'networking',
  'data-protection',
  'services',
  'software',
];

const ID_PATTERN = '[a-z]+_[0-9a-z]+';
const COUNTRY: FilterField = {
  name: 'country',
  label: 'Country',
  kind: 'text',
  placeholder: 'GB',
  pattern: '[A-Z]{2}',
  hint: 'ISO code, e.g. GB',
};
const SEARCH = (label: string): FilterField => ({ name: 'q', label, kind: 'text', placeholder: 'Contains…' });
const idFilter = (name: string, label: string, placeholder: string): FilterField => ({
  name,
  label,
  kind: 'text',
  placeholder,
  pattern: ID_PATTERN,
});

const programSpec: ListSpec = {
  filters: ['vendor'],
  sorts: ['name', 'code', 'createdAt'],
  defaultSort: 'name',
  defaultLimit: 50,
};

export function ProgramsPage() {
  const vendors = useVendorOptions();
  return (
    <ListPage<Program>
      title="Programs"
      path="/programs"
      endpoint="/api/programs"
      spec={programSpec}
      noun="program"
      filters={[{ name: 'vendor', label: 'Vendor', kind: 'select', options: vendors, placeholder: 'vnd_…' }]}
      rowKey={(p) => p.id}
      columns={[
        {
          key: 'name',
          header: 'Name',
          sort: 'name',
          render: (p) => <Link to={detailPath('programs', p.code)}>{p.name}</Link>,
        },
        { key: 'code', header: 'Code', sort: 'code', render: (p) => <code>{p.code}</code> },
        { key: 'vendor', header: 'Vendor', render: (p) => <VendorName id={p.vendorId} /> },
        {
          key: 'created',
          header: 'Created',
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
  const vendors = useVendorOptions();
  const programs = useProgramOptions();
  return (
    <ListPage<Partner>
      title="Partners"
      path="/partners"
      endpoint="/api/partners"
      spec={partnerSpec}
      noun="partner"
      filters={[
        SEARCH('Name'),
        { name: 'kind', label: 'Kind', kind: 'select', options: options(PARTNER_KINDS) },
        COUNTRY,
        { name: 'region', label: 'Region', kind: 'select', options: options(REGIONS) },
        {
          name: 'vendor',
          label: 'Enrolled with vendor',
          kind: 'select',
          options: vendors,
          placeholder: 'vnd_…',
        },
        {
          name: 'program',
          label: 'Enrolled in program',
          kind: 'select',
          options: programs,
          placeholder: 'prg_…',
        },
      ]}
      rowKey={(p) => p.id}
      columns={[
        {
          key: 'name',
          header: 'Name',
          sort: 'name',
          render: (p) => <Link to={detailPath('partners', p.id)}>{p.name}</Link>,
        },
        { key: 'kind', header: 'Kind', render: (p) => p.kind },
        { key: 'country', header: 'Country', sort: 'country', render: (p) => p.country },
        { key: 'region', header: 'Region', render: (p) => p.region },
        { key: 'domain', header: 'Domain', render: (p) => p.domain ?? <Dash /> },
        {
          key: 'created',
          header: 'Created',
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
  const vendors = useVendorOptions();
  return (
    <ListPage<Customer>
      title="Customers"
      path="/customers"
      endpoint="/api/customers"
      spec={customerSpec}
      noun="customer"
      filters={[
        SEARCH('Name'),
        { name: 'vendor', label: 'Vendor', kind: 'select', options: vendors, placeholder: 'vnd_…' },
        COUNTRY,
        { name: 'region', label: 'Region', kind: 'select', options: options(REGIONS) },
        { name: 'segment', label: 'Segment', kind: 'select', options: options(SEGMENTS) },
      ]}
      rowKey={(c) => c.id}
      columns={[
        {
          key: 'name',
          header: 'Name',
          sort: 'name',
          render: (c) => <Link to={detailPath('customers', c.id)}>{c.name}</Link>,
        },
        { key: 'domain', header: 'Domain', render: (c) => c.domain ?? <Dash /> },
        { key: 'country', header: 'Country', sort: 'country', render: (c) => c.country },
        { key: 'region', header: 'Region', render: (c) => c.region },
        { key: 'segment', header: 'Segment', render: (c) => c.segment },
        { key: 'vendor', header: 'Vendor', render: (c) => <VendorName id={c.vendorId} /> },
        {
          key: 'created',
          header: 'Created',
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
  const vendors = useVendorOptions();
  return (
    <ListPage<Order>
      title="Orders"
      path="/orders"
      endpoint="/api/orders"
      spec={orderSpec}
      noun="order"
      filters={[
        { name: 'vendor', label: 'Vendor', kind: 'select', options: vendors, placeholder: 'vnd_…' },
        { name: 'channel', label: 'Channel', kind: 'select', options: options(CHANNELS) },
        { name: 'from', label: 'Ordered from', kind: 'date' },
        { name: 'to', label: 'Ordered to', kind: 'date' },
        idFilter('customer', 'Customer id', 'cus_…'),
        idFilter('reseller', 'Reseller id', 'prt_…'),
        idFilter('distributor', 'Distributor id', 'prt_…'),
      ]}
      rowKey={(o) => o.id}
      columns={[
        {
          key: 'date',
          header: 'Order date',
          sort: 'orderDate',
          render: (o) => (
            <Link to={detailPath('orders', o.id)}>
              <IsoTime value={o.orderDate} dateOnly />
            </Link>
          ),
        },
        { key: 'external', header: 'External id', render: (o) => <code>{o.externalId}</code> },
        {
          key: 'customer',
          header: 'End user',
          render: (o) => <Link to={detailPath('customers', o.customerId)}>{o.endUserName}</Link>,
        },
        { key: 'channel', header: 'Channel', render: (o) => o.channel },
        {
          key: 'reseller',
          header: 'Reseller',
          render: (o) =>
            o.resellerId ? <Link to={detailPath('partners', o.resellerId)}>{o.resellerId}</Link> : <Dash />,
        },
        { key: 'country', header: 'Country', render: (o) => o.country },
        { key: 'vendor', header: 'Vendor', render: (o) => <VendorName id={o.vendorId} /> },
        {
          key: 'total',
          header: 'Total',
          sort: 'total',
          numeric: true,
          render: (o) => <Money minor={o.totalMinor} currency={o.currency} />,
        },
      ]}
    />
  );
}

/** Licensing models of software SKUs (src/core/model/catalog.ts LICENSING_MODELS). */
export const LICENSING_MODELS = ['perpetual', 'term', 'subscription', 'saas'] as const;

const productSpec: ListSpec = {
  filters: ['q', 'vendor', 'family', 'licensing'],
  sorts: ['sku', 'name', 'listPrice'],
  defaultSort: 'sku',
  defaultLimit: 50,
};

export function ProductsPage() {
  const vendors = useVendorOptions();
  return (
    <ListPage<Product>
      title="Products"
      path="/products"
      endpoint="/api/products"
      spec={productSpec}
      noun="product"
      filters={[
        { name: 'q', label: 'Name or SKU', kind: 'text', placeholder: 'Contains…' },
        { name: 'vendor', label: 'Vendor', kind: 'select', options: vendors, placeholder: 'vnd_…' },
        { name: 'family', label: 'Family', kind: 'select', options: options(PRODUCT_FAMILIES) },
        { name: 'licensing', label: 'Licensing', kind: 'select', options: options(LICENSING_MODELS) },
      ]}
      rowKey={(p) => p.id}
      columns={[
        {
          key: 'sku',
          header: 'SKU',
          sort: 'sku',
          render: (p) => (
            <Link to={detailPath('products', p.id)}>
              <code>{p.sku}</code>
            </Link>
          ),
        },
        { key: 'name', header: 'Name', sort: 'name', render: (p) => p.name },
        { key: 'family', header: 'Family', render: (p) => p.family },
        { key: 'licensing', header: 'Licensing', render: (p) => p.licensing ?? '—' },
        { key: 'solution', header: 'Solution', render: (p) => p.solution ?? '—' },
        { key: 'vendor', header: 'Vendor', render: (p) => <VendorName id={p.vendorId} /> },
        {
          key: 'price',
          header: 'List price',
          sort: 'listPrice',
          numeric: true,
          render: (p) => <Money minor={p.listPriceMinor} currency={p.currency} />,
        },
      ]}
    />
  );
}
