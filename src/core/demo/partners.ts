import type { Region } from '../model/geography.js';
import type {
  Enrolment,
  EnrolmentStatus,
  Partner,
  PartnerKind,
  SupplyRelationship,
} from '../model/partners.js';
import type { IdGenerator } from '../shared/ids.js';
import type { Random } from '../shared/random.js';
import { COUNTRY_TABLE, countryIndex } from './geo.js';
import { partnerName, slugify } from './names.js';
import { cumulative, normal, pickCumulative, streamFor } from './random-tools.js';
import type { DemoVendorInput } from './types.js';

const DAY_MS = 86_400_000;
export const KIND_CODES: readonly PartnerKind[] = ['reseller', 'distributor', 'service-provider'];
export const KIND_RESELLER = 0;
export const KIND_DISTRIBUTOR = 1;
export const KIND_SERVICE_PROVIDER = 2;

/** Partners every demo world starts with, so the README can name their sign-ins. */
export const FIXED_PARTNERS = [
  { name: 'Northwind Systems', domain: 'northwind.demo', kind: 'reseller', country: 'US', z: 2.3 },
  { name: 'Bluepeak IT Solutions GmbH', domain: 'bluepeak.demo', kind: 'reseller', country: 'DE', z: 1.0 },
  { name: 'Meridian Distribution Ltd', domain: 'meridian.demo', kind: 'distributor', country: 'GB', z: 1.5 },
] as const satisfies readonly {
  name: string;
  domain: string;
  kind: PartnerKind;
  country: string;
  z: number;
}[];

/** A weighted list of partner indices. */
export interface WeightedList {
  items: Int32Array;
  cum: Float64Array;
}

export interface PartnerWorld {
  partners: Partner[];
  enrolments: Enrolment[];
  supplyRelationships: SupplyRelationship[];
  /** Number of partners (P) and vendors (V); per-enrolment arrays are indexed v * P + p. */
  P: number;
  V: number;
  kind: Uint8Array;
  country: Uint8Array;
  /** Size of each partner's business (log-normal); drives orders, people and certifications. */
  weight: Float64Array;
  /** Rank of the partner's weight among all partners, 0 (smallest) to 1 (largest). */
  percentile: Float64Array;
  /** Per enrolment: the weight of the partner's business with that vendor (0 when not enrolled). */
  enrolled: Uint8Array;
  vendorWeight: Float64Array;
  /** Per enrolment: the partner's usual discount off list (0-0.3). */
  discount: Float64Array;
  /** Per vendor: the resellers and service providers selling it, by vendorWeight. */
  sellers: WeightedList[];
  /** Per vendor and region (index v * 4 + region): the sellers in that region. */
  sellersByRegion: WeightedList[];
  /** Per enrolment (v * P + p): the distributors supplying that seller, CSR style. */
  supplyStart: Int32Array;
  supplyDistributors: Int32Array;
}

export const REGION_INDEX: Readonly<Record<Region, number>> = { na: 0, latam: 1, emea: 2, apj: 3 };

export function vendorShares(vendors: readonly DemoVendorInput[]): number[] {
  return vendors.map((v) => v.share ?? Math.max(1, v.families.length));
}

/** A short upper-case code for a vendor, used in partner numbers, SKUs and external ids: "DELL". */
export function vendorCode(slug: string): string {
  return slugify(slug).replace(/-/g, '').toUpperCase().slice(0, 6) || 'VND';
}

function shuffle<T>(rng: Random, items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const t = items[i] as T;
    items[i] = items[j] as T;
    items[j] = t;
  }
}

function weightedList(items: number[], weightOf: (i: number) => number): WeightedList {
  const arr = Int32Array.from(items);
  return { items: arr, cum: cumulative(items.map(weightOf)) };
}

function pickCountry(rng: Random): number {
  const w = COUNTRY_TABLE.weights;
  let target = rng.next();
  for (let i = 0; i < w.length; i++) {
    target -= w[i] as number;
    if (target < 0) return i;
  }
  return 0;
}

export function generatePartners(args: {
  seed: number;
  count: number;
  vendors: readonly DemoVendorInput[];
  fiscalStartMs: number;
  createdAt: Date;
  ids: IdGenerator;
}): PartnerWorld {
  const { seed, vendors, ids } = args;
  const P = Math.max(args.count, FIXED_PARTNERS.length);
  const V = vendors.length;
  const rng = streamFor(seed, 'partners');

  // Kinds: ~1% distributors (at least 2), ~10% service providers, the rest resellers.
  const distributors = Math.max(2, Math.round(P * 0.01));
  const serviceProviders = Math.round(P * 0.1);
  const kinds: number[] = [];
  for (let i = 0; i < distributors - 1; i++) kinds.push(KIND_DISTRIBUTOR);
  for (let i = 0; i < serviceProviders; i++) kinds.push(KIND_SERVICE_PROVIDER);
  while (kinds.length < P - 3) kinds.push(KIND_RESELLER);
  kinds.length = P - 3;
  shuffle(rng, kinds);

  const kind = new Uint8Array(P);
  const country = new Uint8Array(P);
  const weight = new Float64Array(P);
  const partners: Partner[] = [];
  const names = new Set<string>();
  const domains = new Set<string>();
  const status: EnrolmentStatus[] = [];
  for (let p = 0; p < P; p++) {
    const fixed = FIXED_PARTNERS[p];
    let name: string;
    let domain: string;
    let k: number;
    let z: number;
    let c: number;
    if (fixed !== undefined) {
      k = KIND_CODES.indexOf(fixed.kind);
      c = countryIndex(fixed.country);
      name = fixed.name;
      domain = fixed.domain;
      z = fixed.z;
      status.push('active');
    } else {
      k = kinds[p - 3] as number;
      c = pickCountry(rng);
      const code = COUNTRY_TABLE.codes[c] as string;
      let generated = partnerName(rng, KIND_CODES[k] as PartnerKind, code);
      for (let tries = 0; names.has(generated.name) && tries < 20; tries++) {
        generated = partnerName(rng, KIND_CODES[k] as PartnerKind, code, tries >= 2);
      }
      name = names.has(generated.name) ? `${generated.name} (${code})` : generated.name;
      const base = slugify(generated.body) || 'partner';
      domain = `${base}.demo`;
      for (let n = 2; domains.has(domain); n++) domain = `${base}-${n}.demo`;
      z = Math.max(-3, Math.min(2.8, normal(rng)));
      const u = rng.next();
      status.push(u < 0.01 ? 'terminated' : u < 0.035 ? 'suspended' : 'active');
    }
    names.add(name);
    domains.add(domain);
    kind[p] = k;
    country[p] = c;
    // Distributors are all large; service providers sell less hardware.
    const w = k === KIND_DISTRIBUTOR ? Math.exp(1.5 + 0.8 * Math.abs(z)) : Math.exp(1.6 * z);
    weight[p] = w * (k === KIND_SERVICE_PROVIDER ? 0.6 : 1);
    const code = COUNTRY_TABLE.codes[c] as string;
    partners.push({
      id: ids.next('partner'),
      name,
      kind: KIND_CODES[k] as PartnerKind,
      country: code,
      region: COUNTRY_TABLE.regions[c] as Region,
      domain,
      createdAt: new Date(args.createdAt.getTime()),
    });
  }

  const order = Array.from({ length: P }, (_, i) => i).sort(
    (a, b) => (weight[a] as number) - (weight[b] as number) || a - b,
  );
  const percentile = new Float64Array(P);
  order.forEach((p, rank) => (percentile[p] = P === 1 ? 1 : rank / (P - 1)));

  // Enrolments: distributors and the fixed partners with every vendor; others ~40% with all, else one.
  const shares = vendorShares(vendors);
  const shareCum = cumulative(shares);
  const enrolled = new Uint8Array(V * P);
  const vendorWeight = new Float64Array(V * P);
  const discount = new Float64Array(V * P);
  const enrolments: Enrolment[] = [];
  const numbers = new Int32Array(V);
  const hardware = vendors.map((v) =>
    v.families.some((f) => f === 'servers' || f === 'storage' || f === 'networking'),
  );
  for (let p = 0; p < P; p++) {
    const all = p < FIXED_PARTNERS.length || kind[p] === KIND_DISTRIBUTOR || V === 1 || rng.chance(0.4);
    const only = all ? -1 : pickCumulative(shareCum, rng.next());
    const years = 0.5 + 11 * rng.next() * (0.4 + 0.6 * (percentile[p] as number));
    const enrolledMs = args.fiscalStartMs - Math.round(years * 365) * DAY_MS;
    for (let v = 0; v < V; v++) {
      if (!all && v !== only) continue;
      const vendor = vendors[v] as DemoVendorInput;
      const e = v * P + p;
      const exclusive =
        kind[p] !== KIND_DISTRIBUTOR && p >= FIXED_PARTNERS.length && hardware[v] === true && rng.chance(0.1);
      const st = status[p] as EnrolmentStatus;
      enrolled[e] = 1;
      vendorWeight[e] =
        (weight[p] as number) *
        Math.exp(0.5 * normal(rng)) *
        (exclusive ? 1.3 : 1) *
        (st === 'terminated' ? 0.2 : st === 'suspended' ? 0.5 : 1);
      discount[e] = Math.max(0, Math.min(0.3, 0.04 + 0.18 * (percentile[p] as number) + 0.04 * normal(rng)));
      numbers[v] = (numbers[v] as number) + 1;
      enrolments.push({
        id: ids.next('enrolment'),
        vendorId: vendor.id,
        programId: vendor.programId,
        partnerId: (partners[p] as Partner).id,
        partnerNumber: `${vendorCode(vendor.slug)}-${String(1_000_000 + (numbers[v] as number))}`,
        status: st,
        exclusive,
        enrolledAt: new Date(enrolledMs + rng.int(0, 60) * DAY_MS),
      });
    }
  }

  // Who sells each vendor, overall and per region.
  const sellers: WeightedList[] = [];
  const sellersByRegion: WeightedList[] = [];
  for (let v = 0; v < V; v++) {
    const list: number[] = [];
    const byRegion: number[][] = [[], [], [], []];
    for (let p = 0; p < P; p++) {
      if (enrolled[v * P + p] !== 1 || kind[p] === KIND_DISTRIBUTOR) continue;
      list.push(p);
      byRegion[REGION_INDEX[COUNTRY_TABLE.regions[country[p] as number] as Region]]?.push(p);
    }
    const w = (p: number): number => vendorWeight[v * P + p] as number;
    sellers.push(weightedList(list, w));
    for (const r of byRegion) sellersByRegion.push(weightedList(r, w));
  }

  // Two-tier distribution: each seller is supplied by 1-2 of the vendor's distributors, mostly local ones.
  const distributorIdx: number[] = [];
  for (let p = 0; p < P; p++) if (kind[p] === KIND_DISTRIBUTOR) distributorIdx.push(p);
  const supplyStart = new Int32Array(V * P + 1);
  const supplyList: number[] = [];
  const supplyRelationships: SupplyRelationship[] = [];
  const enrolledAtOf = new Map<string, number>();
  for (const e of enrolments) enrolledAtOf.set(`${e.vendorId}/${e.partnerId}`, e.enrolledAt.getTime());
  for (let v = 0; v < V; v++) {
    const vendor = vendors[v] as DemoVendorInput;
    const dists = distributorIdx.filter((d) => enrolled[v * P + d] === 1);
    for (let p = 0; p < P; p++) {
      const e = v * P + p;
      supplyStart[e] = supplyList.length;
      if (enrolled[e] !== 1 || kind[p] === KIND_DISTRIBUTOR || dists.length === 0) continue;
      const region = COUNTRY_TABLE.regions[country[p] as number];
      const w = dists.map(
        (d) =>
          (vendorWeight[v * P + d] as number) *
          (COUNTRY_TABLE.regions[country[d] as number] === region ? 8 : 1),
      );
      const n = Math.min(dists.length, rng.chance(0.6) ? 1 : 2);
      const chosen: number[] = [];
      while (chosen.length < n) {
        const d = dists[pickCumulative(cumulative(w), rng.next())] as number;
        if (chosen.includes(d)) continue;
        chosen.push(d);
        w[dists.indexOf(d)] = 0;
      }
      for (const d of chosen) {
        supplyList.push(d);
        const sellerId = (partners[p] as Partner).id;
        const distributorId = (partners[d] as Partner).id;
        const since = Math.max(
          enrolledAtOf.get(`${vendor.id}/${sellerId}`) ?? 0,
          enrolledAtOf.get(`${vendor.id}/${distributorId}`) ?? 0,
        );
        supplyRelationships.push({
          vendorId: vendor.id,
          distributorId,
          resellerId: sellerId,
          since: new Date(Math.min(args.fiscalStartMs, since + rng.int(0, 365) * DAY_MS)),
        });
      }
    }
  }
  supplyStart[V * P] = supplyList.length;

  return {
    partners,
    enrolments,
    supplyRelationships,
    P,
    V,
    kind,
    country,
    weight,
    percentile,
    enrolled,
    vendorWeight,
    discount,
    sellers,
    sellersByRegion,
    supplyStart,
    supplyDistributors: Int32Array.from(supplyList),
  };
}
