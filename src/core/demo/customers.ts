import type { Customer } from '../model/customers.js';
import type { Region, Segment } from '../model/geography.js';
import { SEGMENTS } from '../model/geography.js';
import type { IdGenerator } from '../shared/ids.js';
import { CITIES, COUNTRY_TABLE, pickCountryInRegion, postalCode, streetAddress } from './geo.js';
import { customerName, slugify } from './names.js';
import type { PartnerWorld, WeightedList } from './partners.js';
import { KIND_DISTRIBUTOR, REGION_INDEX, vendorShares } from './partners.js';
import { cumulative, normal, pickCumulative, streamFor } from './random-tools.js';
import type { DemoVendorInput } from './types.js';

/** Share of end customers per segment, and how much each buys relative to a small business. */
const SEGMENT_SHARE: Readonly<Record<Segment, number>> = {
  enterprise: 0.08,
  commercial: 0.35,
  'small-business': 0.47,
  'public-sector': 0.1,
};
const SEGMENT_WEIGHT: Readonly<Record<Segment, number>> = {
  enterprise: 10,
  commercial: 3,
  'small-business': 1,
  'public-sector': 5,
};
/** Share of companies that are customers of every vendor (one customer record per vendor). */
const SHARED_CUSTOMERS = 0.25;

/**
 * Everything orders need to know about customers, in flat arrays. Customer rows (one per vendor a
 * company buys from) are indexed 0..rows-1; companies (the end-user organisations) 0..companies-1.
 */
export interface CustomerTable {
  rows: number;
  ids: string[];
  vendor: Uint8Array;
  company: Int32Array;
  weight: Float64Array;
  companies: number;
  companyName: string[];
  companyDomain: (string | null)[];
  companyCountry: Uint8Array;
  companySegment: Uint8Array;
  /** Per enrolment (v * P + p): the customer rows the partner sells to, CSR style, with cumulative weights. */
  byPartnerStart: Int32Array;
  byPartnerRows: Int32Array;
  byPartnerCum: Float64Array;
  /** Per vendor: the accounts it serves directly ("hard deck"), by weight. */
  direct: WeightedList[];
}

export function buildCustomerTable(args: {
  seed: number;
  count: number;
  vendors: readonly DemoVendorInput[];
  partners: PartnerWorld;
  ids: IdGenerator;
}): CustomerTable {
  const { partners: pw, ids } = args;
  const V = args.vendors.length;
  const P = pw.P;
  const rows = args.count;
  const rng = streamFor(args.seed, 'customers');
  const shareCum = cumulative(vendorShares(args.vendors));
  const segmentCum = cumulative(SEGMENTS.map((s) => SEGMENT_SHARE[s]));

  const idsOut: string[] = [];
  const vendor = new Uint8Array(rows);
  const company = new Int32Array(rows);
  const weight = new Float64Array(rows);
  const directFlag = new Uint8Array(rows);
  const companyName: string[] = [];
  const companyDomain: (string | null)[] = [];
  const companyCountry = new Uint8Array(rows);
  const companySegment = new Uint8Array(rows);
  const pairKeys: number[] = [];
  const pairRows: number[] = [];
  const names = new Set<string>();
  const domains = new Set<string>();

  const pickSeller = (list: WeightedList | undefined): number => {
    if (list === undefined || list.items.length === 0) return -1;
    return list.items[pickCumulative(list.cum, rng.next())] as number;
  };
  const sellerIn = (v: number, region: Region): number => {
    const local = pickSeller(pw.sellersByRegion[v * 4 + REGION_INDEX[region]]);
    return local >= 0 ? local : pickSeller(pw.sellers[v]);
  };

  let row = 0;
  let k = 0;
  const vendorsOf: number[] = [];
  for (; row < rows; k++) {
    const segIdx = pickCumulative(segmentCum, rng.next());
    const segment = SEGMENTS[segIdx] as Segment;
    vendorsOf.length = 0;
    if (V > 1 && rows - row >= V && rng.chance(SHARED_CUSTOMERS))
      for (let v = 0; v < V; v++) vendorsOf.push(v);
    else vendorsOf.push(pickCumulative(shareCum, rng.next()));
    const v0 = vendorsOf[0] as number;
    // The company sits where its main reseller is, most of the time.
    const anchor = pickSeller(pw.sellers[v0]);
    let c: number;
    if (anchor >= 0 && rng.chance(0.8)) c = pw.country[anchor] as number;
    else {
      const region = anchor >= 0 ? (COUNTRY_TABLE.regions[pw.country[anchor] as number] as Region) : 'na';
      c = pickCountryInRegion(rng, region);
    }
    const countryCode = COUNTRY_TABLE.codes[c] as string;
    const region = COUNTRY_TABLE.regions[c] as Region;
    let generated = customerName(rng, segment, countryCode);
    for (let tries = 0; names.has(generated.name) && tries < 20; tries++) {
      generated = customerName(rng, segment, countryCode, tries >= 2);
    }
    let name = generated.name;
    for (let n = 2; names.has(name); n++) name = `${generated.name} ${n}`;
    names.add(name);
    companyName.push(name);
    if (rng.chance(segment === 'small-business' ? 0.12 : 0.03)) companyDomain.push(null);
    else {
      const base = slugify(generated.body) || 'customer';
      let domain = `${base}.demo`;
      for (let n = 2; domains.has(domain); n++) domain = `${base}-${n}.demo`;
      domains.add(domain);
      companyDomain.push(domain);
    }
    companyCountry[k] = c;
    companySegment[k] = segIdx;

    const size = SEGMENT_WEIGHT[segment] * Math.exp(0.9 * normal(rng));
    const direct =
      (segment === 'enterprise' && rng.chance(0.25)) || (segment === 'public-sector' && rng.chance(0.12))
        ? 1
        : 0;
    for (const v of vendorsOf) {
      idsOut.push(ids.next('customer'));
      vendor[row] = v;
      company[row] = k;
      weight[row] = size * Math.exp(0.3 * normal(rng));
      directFlag[row] = direct;
      let primary: number;
      if (v === v0 && anchor >= 0) primary = anchor;
      else if (
        anchor >= 0 &&
        pw.enrolled[v * P + anchor] === 1 &&
        pw.kind[anchor] !== KIND_DISTRIBUTOR &&
        rng.chance(0.6)
      )
        primary = anchor;
      else primary = sellerIn(v, region);
      if (primary >= 0) {
        pairKeys.push(v * P + primary);
        pairRows.push(row);
        if (rng.chance(0.25)) {
          const second = sellerIn(v, region);
          if (second >= 0 && second !== primary) {
            pairKeys.push(v * P + second);
            pairRows.push(row);
          }
        }
      }
      row++;
    }
  }
  const companies = k;

  // Every seller has at least one customer (preferably in its region), so every seller can have orders.
  const keyHas = new Uint8Array(V * P);
  for (const key of pairKeys) keyHas[key] = 1;
  for (let v = 0; v < V; v++) {
    const sellers = pw.sellers[v];
    if (sellers === undefined) continue;
    for (const p of sellers.items) {
      if (keyHas[v * P + p] === 1) continue;
      const region = COUNTRY_TABLE.regions[pw.country[p] as number];
      let chosen = -1;
      for (let tries = 0; tries < 200; tries++) {
        const r = rng.int(0, rows - 1);
        if (vendor[r] !== v) continue;
        if (chosen < 0) chosen = r;
        if (COUNTRY_TABLE.regions[companyCountry[company[r] as number] as number] === region) {
          chosen = r;
          break;
        }
      }
      if (chosen < 0) for (let r = 0; r < rows && chosen < 0; r++) if (vendor[r] === v) chosen = r;
      if (chosen < 0) continue;
      pairKeys.push(v * P + p);
      pairRows.push(chosen);
      keyHas[v * P + p] = 1;
    }
  }

  // CSR by enrolment, with cumulative customer weights restarting in each segment.
  const byPartnerStart = new Int32Array(V * P + 1);
  for (const key of pairKeys) byPartnerStart[key + 1] = (byPartnerStart[key + 1] as number) + 1;
  for (let i = 0; i < V * P; i++)
    byPartnerStart[i + 1] = (byPartnerStart[i + 1] as number) + (byPartnerStart[i] as number);
  const fill = byPartnerStart.slice(0, V * P);
  const byPartnerRows = new Int32Array(pairKeys.length);
  for (let i = 0; i < pairKeys.length; i++) {
    const key = pairKeys[i] as number;
    byPartnerRows[fill[key] as number] = pairRows[i] as number;
    fill[key] = (fill[key] as number) + 1;
  }
  const byPartnerCum = new Float64Array(pairKeys.length);
  for (let key = 0; key < V * P; key++) {
    let sum = 0;
    for (let i = byPartnerStart[key] as number; i < (byPartnerStart[key + 1] as number); i++) {
      sum += weight[byPartnerRows[i] as number] as number;
      byPartnerCum[i] = sum;
    }
  }

  const direct: WeightedList[] = [];
  for (let v = 0; v < V; v++) {
    const list: number[] = [];
    for (let r = 0; r < rows; r++) if (vendor[r] === v && directFlag[r] === 1) list.push(r);
    if (list.length === 0)
      for (let r = 0; r < rows && list.length === 0; r++) if (vendor[r] === v) list.push(r);
    direct.push({ items: Int32Array.from(list), cum: cumulative(list.map((r) => weight[r] as number)) });
  }

  return {
    rows,
    ids: idsOut,
    vendor,
    company,
    weight,
    companies,
    companyName,
    companyDomain,
    companyCountry,
    companySegment,
    byPartnerStart,
    byPartnerRows,
    byPartnerCum,
    direct,
  };
}

/** The customer rows as records, in batches; addresses are drawn here (orders do not need them). */
export function* customerBatches(args: {
  seed: number;
  table: CustomerTable;
  vendors: readonly DemoVendorInput[];
  createdAt: Date;
  batchSize: number;
}): Generator<Customer[]> {
  const { table } = args;
  const rng = streamFor(args.seed, 'customer-addresses');
  const size = Math.max(1, Math.floor(args.batchSize));
  const createdAtMs = args.createdAt.getTime();
  let batch: Customer[] = [];
  let lastCompany = -1;
  let city: string | null = null;
  let addressLine: string | null = null;
  let postal: string | null = null;
  for (let r = 0; r < table.rows; r++) {
    const k = table.company[r] as number;
    const c = table.companyCountry[k] as number;
    const country = COUNTRY_TABLE.codes[c] as string;
    if (k !== lastCompany) {
      lastCompany = k;
      const cities = CITIES[country] ?? [];
      // Bigger cities first: bias the pick toward the head of the list.
      city = cities.length === 0 ? null : (cities[Math.floor(cities.length * rng.next() ** 1.6)] ?? null);
      addressLine = rng.chance(0.03) ? null : streetAddress(rng, country);
      const code = postalCode(rng, country);
      postal = code === '' || addressLine === null ? null : code;
    }
    batch.push({
      id: table.ids[r] as string,
      vendorId: (args.vendors[table.vendor[r] as number] as DemoVendorInput).id,
      name: table.companyName[k] as string,
      domain: table.companyDomain[k] ?? null,
      country,
      region: COUNTRY_TABLE.regions[c] as Region,
      segment: SEGMENTS[table.companySegment[k] as number] as Segment,
      addressLine,
      city,
      postalCode: postal,
      createdAt: new Date(createdAtMs),
    });
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
