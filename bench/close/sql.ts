import { PRODUCT_FAMILIES } from '../../src/core/model/catalog.js';
import { CHANNELS } from './generate.js';
import type { PeerSpec } from './spec.js';

/**
 * The period close in SQL, the same on SQLite, PostgreSQL and DuckDB (only integer division is spelled
 * differently): per partner, one column per component, in minor units, to the cent of the engine.
 *
 * Tables (written by the bench, integer codes: tier = index in the program's tiers, family = index in
 * PRODUCT_FAMILIES, channel = index in CHANNELS):
 *   close_lines(partner, customer, line, day, family, tier, exclusive, new_business, channel, amount)
 *   close_partners(partner, tier, exclusive, prior)   -- prior NULL = no comparison
 *   close_rates(tier, family, exclusive, base_ppm, nb_ppm)   -- see ratesSql
 *
 * Rounding is the engine's: rate x multiplier rounded half-even to 1 ppm, then amount x rate rounded
 * half-even to the minor unit, per line for accrual components, per (partner, tier, multiplier) for the
 * services rebate, per partner for cross-sell and growth.
 */
export type Dialect = 'sqlite' | 'postgres' | 'duckdb';

export const SQL_TABLES = {
  lines: `CREATE TABLE close_lines (
  partner INTEGER NOT NULL, customer INTEGER NOT NULL, line INTEGER NOT NULL, day INTEGER NOT NULL,
  family INTEGER NOT NULL, tier INTEGER NOT NULL, exclusive INTEGER NOT NULL, new_business INTEGER NOT NULL,
  channel INTEGER NOT NULL, amount BIGINT NOT NULL)`,
  partners: `CREATE TABLE close_partners (
  partner INTEGER PRIMARY KEY, tier INTEGER NOT NULL, exclusive INTEGER NOT NULL, prior BIGINT)`,
};

/** Half-even rounding of x / 1,000,000 for an integer expression x (symmetric around zero). */
export function halfEven(x: string, dialect: Dialect): string {
  const div = dialect === 'duckdb' ? '//' : '/';
  const a = `(ABS(${x}) + 500000)`;
  return `(CASE WHEN (${x}) < 0 THEN -1 ELSE 1 END * (${a} ${div} 1000000 - CASE WHEN ${a} % 2000000 = 1000000 THEN 1 ELSE 0 END))`;
}

const list = (xs: readonly number[]) => xs.join(', ');
const big = (x: string) => `CAST(${x} AS BIGINT)`;

/**
 * The effective per-line rates as a table keyed like the lines (tier, family, exclusive): the base rebate
 * of the tier and family, and the new-business points of the family, each times the exclusivity
 * multiplier, rounded half-even to 1 ppm in SQL. Created once per database, next to the lines.
 */
export function ratesSql(spec: PeerSpec, dialect: Dialect): string[] {
  const he = (x: string) => halfEven(x, dialect);
  const F = PRODUCT_FAMILIES.length;
  const rows: string[] = [];
  for (let t = 0; t < spec.tiers.length; t++) {
    for (let f = 0; f < F; f++) rows.push(`(${t}, ${f}, ${spec.base.rates[t * F + f] ?? 0})`);
  }
  return [
    `CREATE TABLE close_rates (tier INTEGER NOT NULL, family INTEGER NOT NULL, exclusive INTEGER NOT NULL,
  base_ppm BIGINT NOT NULL, nb_ppm BIGINT NOT NULL, PRIMARY KEY (tier, family, exclusive))`,
    `INSERT INTO close_rates
WITH r(tier, family, ppm) AS (VALUES ${rows.join(', ')}),
m(exclusive, factor) AS (VALUES (0, 1000000), (1, ${spec.exclusiveFactor}))
SELECT r.tier, r.family, m.exclusive,
  ${he(`${big('r.ppm')} * m.factor`)},
  CASE WHEN r.family IN (${list(spec.newBusiness.families)}) THEN ${he(`${big(String(spec.newBusiness.points))} * m.factor`)} ELSE 0 END
FROM r CROSS JOIN m`,
  ];
}

/** The query: one row per partner with lines in the period, columns partner then the components in `spec.order`. */
export function closeSql(spec: PeerSpec, dialect: Dialect, fromDay: number, toDay: number): string {
  const he = (x: string) => halfEven(x, dialect);
  const T = spec.tiers.length;
  const channels = spec.base.channels.map((c) => CHANNELS.indexOf(c as (typeof CHANNELS)[number]));
  const factor = (ex: string) => `CASE WHEN ${ex} = 1 THEN ${spec.exclusiveFactor} ELSE 1000000 END`;
  // One column of services base per (tier, exclusive): the groups the services rebate is rounded on.
  const groups: [number, number][] = [];
  for (let t = 0; t < T; t++) for (let ex = 0; ex < 2; ex++) groups.push([t, ex]);
  const svcRate = (ex: number) =>
    he(`${big(String(spec.services.points))} * ${ex === 1 ? spec.exclusiveFactor : 1000000}`);
  const xs = spec.crossSell;
  const positive = PRODUCT_FAMILIES.map((_, f) => `CASE WHEN f${f} > 0 THEN 1 ELSE 0 END`).join(' + ');
  const combos =
    xs.combinations.length === 0
      ? '1 = 1'
      : xs.combinations.map((c) => `(${c.map((f) => `f${f} > 0`).join(' AND ')})`).join(' OR ');
  const thresholds = [...spec.growth.thresholds].sort((a, b) => b.above - a.above);
  const growthPoints = `CASE WHEN p.prior IS NULL OR p.prior <= 0 THEN 0 ${thresholds
    .map((t) => `WHEN (pp.revenue - p.prior) * 1000000 > ${big(String(t.above))} * p.prior THEN ${t.points}`)
    .join(' ')} ELSE 0 END`;
  const cap =
    xs.capMinor === null
      ? 'xs_amount'
      : `CASE WHEN xs_amount > ${xs.capMinor} THEN ${xs.capMinor} ELSE xs_amount END`;

  return `WITH
pc AS (
  SELECT l.partner, l.customer,
    ${big(`SUM(CASE WHEN l.channel IN (${list(channels)}) THEN ${he('l.amount * e.base_ppm')} ELSE 0 END)`)} AS base_rebate,
    ${big(`SUM(CASE WHEN l.new_business = 1 THEN ${he('l.amount * e.nb_ppm')} ELSE 0 END)`)} AS new_business,
    ${groups
      .map(
        ([t, ex]) =>
          `${big(`SUM(CASE WHEN l.family IN (${list(spec.services.families)}) AND l.tier = ${t} AND l.exclusive = ${ex} THEN l.amount ELSE 0 END)`)} AS svc_${t}_${ex}`,
      )
      .join(',\n    ')},
    ${PRODUCT_FAMILIES.map((_, f) => `${big(`SUM(CASE WHEN l.family = ${f} THEN l.amount ELSE 0 END)`)} AS f${f}`).join(',\n    ')},
    ${big('SUM(l.amount)')} AS revenue
  FROM close_lines l
  JOIN close_rates e ON e.tier = l.tier AND e.family = l.family AND e.exclusive = l.exclusive
  WHERE l.day BETWEEN ${fromDay} AND ${toDay}
  GROUP BY l.partner, l.customer
),
pp AS (
  SELECT partner,
    ${big('SUM(base_rebate)')} AS base_rebate,
    ${big('SUM(new_business)')} AS new_business,
    ${groups.map(([t, ex]) => `${big(`SUM(svc_${t}_${ex})`)} AS svc_${t}_${ex}`).join(',\n    ')},
    ${big(`SUM(CASE WHEN ${positive} >= ${xs.minFamilies} AND (${combos}) THEN ${xs.families.map((f) => `f${f}`).join(' + ')} ELSE 0 END)`)} AS xs_base,
    ${big('SUM(revenue)')} AS revenue
  FROM pc GROUP BY partner
),
amounts AS (
  SELECT pp.partner, pp.base_rebate, pp.new_business,
    ${groups.map(([t, ex]) => he(`svc_${t}_${ex} * ${svcRate(ex)}`)).join('\n    + ')} AS services,
    ${he(`pp.xs_base * ${he(`${big(String(xs.points))} * ${factor('p.exclusive')}`)}`)} AS xs_amount,
    ${he(`pp.revenue * ${he(`${big(growthPoints)} * ${factor('p.exclusive')}`)}`)} AS growth
  FROM pp JOIN close_partners p ON p.partner = pp.partner
)
SELECT partner, ${spec.order
    .map((code) => {
      const column =
        code === spec.base.code
          ? 'base_rebate'
          : code === spec.newBusiness.code
            ? 'new_business'
            : code === spec.services.code
              ? 'services'
              : code === xs.code
                ? cap
                : 'growth';
      return `${big(column)} AS c_${code.replace(/[^a-z0-9]/g, '_')}`;
    })
    .join(', ')}
FROM amounts ORDER BY partner`;
}
