import { PRODUCT_FAMILIES } from '../../src/core/model/catalog.js';
import type { ProductFamily } from '../../src/core/model/catalog.js';
import { dayNumber } from '../../src/core/incentives/index.js';
import type {
  CloseColumns,
  ColumnarPartners,
  ComparisonColumns,
} from '../../src/core/incentives/columnar-close.js';
import type { LineContext, LineFacts, Period } from '../../src/core/incentives/index.js';
import { seededRandom } from '../../src/core/shared/random.js';

/**
 * A deterministic period of order lines (seeded), held as typed-array columns, clustered by partner then
 * customer (the order the close reads them in, and the order they are stored in):
 *
 * - partners with a heavy-tailed size (log-normal), tiers by size (titanium the largest 0.25%, platinum
 *   the next 2%, gold the next 15%), 10% exclusive; small partners buy mostly through distributors;
 * - customers drawn from a shared pool (default 500,000) with a per-partner skew (a few big accounts);
 *   12% of customers are new business;
 * - product families servers 34%, storage 24%, networking 10%, data protection 8%, services 16%,
 *   software 8%, with log-normal amounts per family; 2% of lines are returns (negative amounts);
 * - order days across the period, heavier towards its end (quarter-end push);
 * - a comparison revenue (same period last year) per partner: growth around +10% +/- 25%, none for 8%
 *   of partners (new to the program).
 */

export interface GenerateOptions {
  readonly lines: number;
  readonly partners?: number;
  readonly customers?: number;
  readonly seed?: number;
  readonly period: Period;
  /** The program's tier codes in rank order (the engine's `tiers`). */
  readonly tiers: readonly string[];
}

export type BenchColumns = CloseColumns & {
  readonly amountMinor: Int32Array;
  readonly contextIndex: Uint8Array;
  readonly partnerIndex: Uint32Array;
};

export interface PartnerTable {
  readonly count: number;
  readonly tierIndex: Uint8Array;
  readonly exclusive: Uint8Array;
  /** Same period last year, minor units; NaN = no comparison. */
  readonly prior: Float64Array;
}

export interface GeneratedPeriod {
  readonly period: Period;
  readonly contexts: readonly LineContext[];
  readonly columns: BenchColumns;
  readonly partners: PartnerTable;
}

/** The order channels, as line contexts (index = contextIndex). */
export const CHANNELS = ['partner', 'distributor'] as const;
export const CONTEXTS: readonly LineContext[] = CHANNELS.map((channel) => ({ channel }));

const FAMILY_SHARE: Readonly<Record<ProductFamily, number>> = {
  servers: 0.34,
  storage: 0.24,
  networking: 0.1,
  'data-protection': 0.08,
  services: 0.16,
  software: 0.08,
};
/** Median line amount per family, USD. */
const FAMILY_MEDIAN: Readonly<Record<ProductFamily, number>> = {
  servers: 9_000,
  storage: 16_000,
  networking: 4_000,
  'data-protection': 6_000,
  services: 3_000,
  software: 2_500,
};
const MAX_LINE_MINOR = 200_000_000; // USD 2M: keeps amounts in Int32 with room to spare

/** Columns on SharedArrayBuffers: worker threads read them without a copy (see parallel.ts). */
export function allocateColumns(n: number): BenchColumns {
  const shared = (bytes: number) => new SharedArrayBuffer(Math.max(1, n * bytes));
  return {
    length: n,
    amountMinor: new Int32Array(shared(4), 0, n),
    familyIndex: new Uint8Array(shared(1), 0, n),
    tierIndex: new Uint8Array(shared(1), 0, n),
    newBusiness: new Uint8Array(shared(1), 0, n),
    exclusive: new Uint8Array(shared(1), 0, n),
    contextIndex: new Uint8Array(shared(1), 0, n),
    partnerIndex: new Uint32Array(shared(4), 0, n),
    orderDay: new Int32Array(shared(4), 0, n),
    customerIndex: new Uint32Array(shared(4), 0, n),
  };
}

export function generatePeriod(options: GenerateOptions): GeneratedPeriod {
  const N = options.lines;
  const P = options.partners ?? 20_000;
  const M = options.customers ?? 500_000;
  const rnd = seededRandom(options.seed ?? 1);
  const T = options.tiers.length;
  const fromDay = dayNumber(options.period.from);
  const days = dayNumber(options.period.to) - fromDay + 1;
  const normal = () => {
    const u = Math.max(rnd.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.next());
  };

  // Partners: size, tier by size rank, exclusivity, distributor share.
  const size = new Float64Array(P);
  for (let p = 0; p < P; p++) size[p] = Math.exp(2 * normal());
  const rank = Array.from({ length: P }, (_, p) => p).sort(
    (a, b) => (size[b] as number) - (size[a] as number),
  );
  const tierIndex = new Uint8Array(P);
  const cutoffs = [0.0025, 0.0225, 0.1725]; // titanium, platinum, gold (cumulative shares of partners)
  rank.forEach((p, r) => {
    const share = r / P;
    const fromTop =
      share < (cutoffs[0] as number)
        ? 0
        : share < (cutoffs[1] as number)
          ? 1
          : share < (cutoffs[2] as number)
            ? 2
            : 3;
    tierIndex[p] = Math.max(0, T - 1 - fromTop);
  });
  const exclusive = new Uint8Array(P);
  const distributorShare = new Float64Array(P);
  for (let p = 0; p < P; p++) {
    exclusive[p] = rnd.chance(0.1) ? 1 : 0;
    distributorShare[p] = (tierIndex[p] as number) >= T - 2 ? 0.2 : 0.65;
  }

  // Lines per partner: proportional to size, remainders to the largest fractions (sums to N exactly).
  const total = size.reduce((s, v) => s + v, 0);
  const count = new Float64Array(P);
  let assigned = 0;
  const frac: [number, number][] = [];
  for (let p = 0; p < P; p++) {
    const exact = (N * (size[p] as number)) / total;
    count[p] = Math.floor(exact);
    assigned += count[p] as number;
    frac.push([exact - (count[p] as number), p]);
  }
  frac.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let i = 0; assigned < N; i++, assigned++) {
    const p = (frac[i % P] as [number, number])[1];
    count[p] = (count[p] as number) + 1;
  }

  // Customers: new business flag per customer; each partner has a pool (a window of the shared ids).
  const newCustomer = new Uint8Array(M);
  for (let c = 0; c < M; c++) newCustomer[c] = rnd.chance(0.12) ? 1 : 0;

  // Family picking table and amount parameters.
  const familyCdf = PRODUCT_FAMILIES.map((_, f) =>
    PRODUCT_FAMILIES.slice(0, f + 1).reduce((s, x) => s + FAMILY_SHARE[x], 0),
  );
  const medianMinor = PRODUCT_FAMILIES.map((f) => FAMILY_MEDIAN[f] * 100);

  const cols = allocateColumns(N);
  const revenue = new Float64Array(P);
  let i = 0;
  let picks = new Uint32Array(1024);
  let runStart = new Uint32Array(1025);
  for (let p = 0; p < P; p++) {
    const L = count[p] as number;
    if (L === 0) continue;
    // Pool of customers: grows sub-linearly with the partner's lines.
    const K = Math.max(1, Math.min(M, Math.round(1.5 * Math.pow(L, 0.8))));
    const start = Math.floor(rnd.next() * M);
    if (picks.length < L) picks = new Uint32Array(L * 2);
    if (runStart.length < K + 1) runStart = new Uint32Array(K * 2 + 1);
    runStart.fill(0, 0, K + 1);
    for (let l = 0; l < L; l++) {
      const u = rnd.next();
      const j = Math.min(K - 1, Math.floor(K * u * u * u)); // a few big accounts, a long tail
      picks[l] = j;
      runStart[j + 1] = (runStart[j + 1] as number) + 1;
    }
    // Emit the runs in increasing customer id: ids are (start + j) mod M, so begin where they wrap.
    const wrap = start + K > M ? M - start : 0;
    const tier = tierIndex[p] as number;
    const ex = exclusive[p] as number;
    const dist = distributorShare[p] as number;
    let sum = 0;
    for (let jj = 0; jj < K; jj++) {
      const j = (jj + wrap) % K;
      const lines = runStart[j + 1] as number;
      if (lines === 0) continue;
      const customer = (start + j) % M;
      const nb = newCustomer[customer] as number;
      for (let l = 0; l < lines; l++, i++) {
        const u = rnd.next();
        let f = 0;
        while (f < familyCdf.length - 1 && u >= (familyCdf[f] as number)) f++;
        let amount = Math.round((medianMinor[f] as number) * Math.exp(1.1 * normal()));
        amount = Math.max(100, Math.min(MAX_LINE_MINOR, amount));
        if (rnd.chance(0.02)) amount = -amount;
        const d = Math.min(days - 1, Math.floor(days * Math.pow(rnd.next(), 0.75)));
        cols.amountMinor[i] = amount;
        cols.familyIndex[i] = f;
        cols.tierIndex[i] = tier;
        cols.newBusiness[i] = nb;
        cols.exclusive[i] = ex;
        cols.contextIndex[i] = rnd.chance(dist) ? 1 : 0;
        cols.partnerIndex[i] = p;
        cols.orderDay[i] = fromDay + d;
        cols.customerIndex[i] = customer;
        sum += amount;
      }
    }
    revenue[p] = sum;
  }
  if (i !== N) throw new Error(`generated ${i} lines, expected ${N}`);

  // Same period last year: growth about +10% +/- 25%; none for 8% of partners.
  const prior = new Float64Array(P);
  for (let p = 0; p < P; p++) {
    if (rnd.chance(0.08)) {
      prior[p] = Number.NaN;
      continue;
    }
    const growth = Math.max(-0.6, 0.1 + 0.25 * normal());
    const r = revenue[p] as number;
    prior[p] = r > 0 ? Math.round(r / (1 + growth)) : Math.round(100_000 * Math.exp(normal()));
  }

  return {
    period: options.period,
    contexts: CONTEXTS,
    columns: cols,
    partners: { count: P, tierIndex, exclusive, prior },
  };
}

/** The partner table as the columnar close reads it: facts at the close, comparison revenue. */
export function closePartners(partners: PartnerTable, tiers: readonly string[]): ColumnarPartners {
  const F = PRODUCT_FAMILIES.length;
  const lastYear: ComparisonColumns = {
    revenue: new Float64Array(partners.count * F),
    present: new Uint8Array(partners.count),
  };
  // One facts object per (tier, exclusive): the close reads each distinct one once.
  const shared = new Map<number, LineFacts>();
  const facts: LineFacts[] = [];
  for (let p = 0; p < partners.count; p++) {
    const t = partners.tierIndex[p] as number;
    const ex = partners.exclusive[p] as number;
    let f = shared.get(t * 2 + ex);
    if (f === undefined)
      shared.set(t * 2 + ex, (f = { tier: tiers[t] ?? '', exclusive: ex === 1, newBusiness: false }));
    facts.push(f);
    const prior = partners.prior[p] as number;
    if (Number.isNaN(prior)) continue;
    lastYear.present[p] = 1;
    // The comparison is a total: put it on the first family (growth reads all families).
    lastYear.revenue[p * F] = prior;
  }
  return { count: partners.count, facts, comparison: { 'same-period-last-year': lastYear } };
}

/** Every `stride`-th line (the sample the slow peers run on); keeps the clustering. */
export function sampleColumns(cols: BenchColumns, stride: number): BenchColumns {
  const n = Math.ceil(cols.length / stride);
  const out = allocateColumns(n);
  for (let s = 0, i = 0; s < n; s++, i += stride) {
    out.amountMinor[s] = cols.amountMinor[i] as number;
    out.familyIndex[s] = cols.familyIndex[i] as number;
    out.tierIndex[s] = cols.tierIndex[i] as number;
    out.newBusiness[s] = cols.newBusiness[i] as number;
    out.exclusive[s] = cols.exclusive[i] as number;
    out.contextIndex[s] = cols.contextIndex[i] as number;
    out.partnerIndex[s] = cols.partnerIndex[i] as number;
    out.orderDay[s] = cols.orderDay[i] as number;
    out.customerIndex[s] = cols.customerIndex[i] as number;
  }
  return out;
}
