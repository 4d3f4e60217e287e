import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { keyVendor } from './scoping.js';

export interface EnrolledPartnerRow {
  partnerId: string;
  name: string;
  kind: string;
  country: string;
  region: string;
  exclusive: number;
  status: string;
}

export interface RevenueRow {
  partnerId: string;
  family: string;
  /** The products' licensing model and solution area (null when not asked or none). */
  licensing: string | null;
  solution: string | null;
  amountMinor: number;
  /** Lines a reseller bought through a vendor acting as a distributor: which one and the order day. */
  via: { distributorId: string; day: string } | null;
}

/**
 * The measures tier evaluation needs, computed in SQL over a window: revenue by partner and product
 * family (as reseller and, separately, as distributor: each is credited in its own role; returns count
 * negative), and the program's enrolled partners. Called by the tiers use case with the vendor's id.
 */
export function tierFactsRepository(db: Kysely<Database>) {
  return {
    /** The program's enrolled partners (with `includeEnded`, also those whose enrolment was terminated). */
    enrolled(
      programId: string,
      partnerId?: string,
      options: { includeEnded?: boolean } = {},
    ): Promise<EnrolledPartnerRow[]> {
      let q = db
        .selectFrom('enrolments as e')
        .innerJoin('partners as p', 'p.id', 'e.partnerId')
        .select(['p.id as partnerId', 'p.name', 'p.kind', 'p.country', 'p.region', 'e.exclusive', 'e.status'])
        .where('e.programId', '=', programId);
      if (!options.includeEnded) q = q.where('e.status', '!=', 'terminated');
      if (partnerId) q = q.where('p.id', '=', partnerId);
      return q.orderBy('p.id').execute();
    },

    /**
     * Sum of line amounts per (partner, family) for order dates in [from, to). With `attributes`, also per
     * product licensing model and solution area (products joined: the program's qualifying multipliers
     * read them). With `crossChannel` (partners standing for another vendor acting as a distributor), a
     * reseller's lines supplied through one of them are summed apart, per distributor and order day
     * (`via`): the supplying vendor's program credits them only as an agreement says.
     */
    async revenue(
      vendorId: string,
      from: string,
      to: string,
      partnerId?: string,
      options: { attributes?: boolean; crossChannel?: readonly string[] } = {},
    ): Promise<RevenueRow[]> {
      const attributes = options.attributes === true;
      const cross = options.crossChannel ?? [];
      if (!partnerId) return vendorRevenue(db, vendorId, from, to, attributes, cross);
      const { attrCols, attrJoin, attrGroup } = attributeSql(attributes);
      // keyVendor keeps SQLite from reading the vendor's orders instead; on PostgreSQL the plain equality
      // pins the statement to the vendor's shard when distributed.
      const orderVendor = keyVendor(db, 'o.vendor_id', vendorId);
      type Row = {
        partnerId: string;
        family: string;
        licensing: string | null;
        solution: string | null;
        distributorId?: string | null;
        day?: string | null;
        amount: number | string;
      };
      const one = (column: 'reseller_id' | 'distributor_id', through: 'other' | 'cross') => {
        // Lines through a vendor acting as a distributor are the reseller's, summed apart.
        const channel =
          column === 'distributor_id' || cross.length === 0
            ? sql``
            : through === 'cross'
              ? sql`and l.distributor_id in (${sql.join(cross)})`
              : sql`and (l.distributor_id is null or l.distributor_id not in (${sql.join(cross)}))`;
        const viaCols = through === 'cross' ? sql`, l.distributor_id, l.order_date as day` : sql``;
        const viaGroup = through === 'cross' ? sql`, l.distributor_id, l.order_date` : sql``;
        // Its orders of the window by the reseller (distributor) index, then their lines by order (lines
        // carry their order's vendor, partners and date), not the vendor's whole window.
        return sql<Row>`
          select ${sql.ref(`o.${column}`)} as partner_id, l.family${attrCols}${viaCols}, sum(l.amount_minor) as amount
          from orders o join order_lines l on l.vendor_id = o.vendor_id and l.order_id = o.id ${attrJoin}
          where ${sql.ref(`o.${column}`)} = ${partnerId} and ${orderVendor}
            and o.order_date >= ${from} and o.order_date < ${to} ${channel}
          group by ${sql.ref(`o.${column}`)}, l.family${attrGroup}${viaGroup}`.execute(db);
      };
      const row = (r: Row, via: boolean): RevenueRow => ({
        partnerId: r.partnerId,
        family: r.family,
        licensing: r.licensing ?? null,
        solution: r.solution ?? null,
        amountMinor: Number(r.amount),
        via: via ? { distributorId: r.distributorId as string, day: r.day as string } : null,
      });
      const [resold, distributed, crossed] = await Promise.all([
        one('reseller_id', 'other'),
        one('distributor_id', 'other'),
        cross.length > 0 ? one('reseller_id', 'cross') : Promise.resolve({ rows: [] as Row[] }),
      ]);
      return [
        ...resold.rows.map((r) => row(r, false)),
        ...distributed.rows.map((r) => row(r, false)),
        ...crossed.rows.map((r) => row(r, true)),
      ];
    },

    /** Partners that stand for a vendor other than `vendorId` (a vendor acting as a distributor), with its slug. */
    vendorDistributors(vendorId: string): Promise<{ id: string; name: string; vendorSlug: string }[]> {
      return db
        .selectFrom('partners as p')
        .innerJoin('vendors as v', 'v.id', 'p.representsVendorId')
        .select(['p.id', 'p.name', 'v.slug as vendorSlug'])
        .where('p.representsVendorId', '!=', vendorId)
        .orderBy('p.id')
        .execute();
    },
  };
}

/** The product attributes' columns, join and grouping of a revenue read (none: null columns). */
function attributeSql(attributes: boolean) {
  return attributes
    ? {
        attrCols: sql`, p.licensing, p.solution`,
        attrJoin: sql`join products p on p.vendor_id = l.vendor_id and p.id = l.product_id`,
        attrGroup: sql`, p.licensing, p.solution`,
      }
    : { attrCols: sql`, null as licensing, null as solution`, attrJoin: sql``, attrGroup: sql`` };
}

/**
 * The whole vendor's revenue of a window (`revenue` without a partner) in one read of its lines: grouped by
 * reseller, distributor, family (and product attributes, and the day of lines through a vendor acting as a
 * distributor), then summed per reseller (lines not through such a vendor), per distributor, and per
 * reseller and such a vendor and day: the three sums `revenue` answers for one partner, in the order each
 * query's groups would come (by partner, family, attributes; then distributor and day).
 */
async function vendorRevenue(
  db: Kysely<Database>,
  vendorId: string,
  from: string,
  to: string,
  attributes: boolean,
  cross: readonly string[],
): Promise<RevenueRow[]> {
  const { attrCols, attrJoin, attrGroup } = attributeSql(attributes);
  // The day of lines through a vendor acting as a distributor (grouped by its output name: the same
  // expression written twice would bind its parameters twice, which PostgreSQL does not match).
  const day =
    cross.length > 0
      ? sql`case when l.distributor_id in (${sql.join(cross)}) then l.order_date end`
      : sql`cast(null as text)`;
  const dayGroup = cross.length > 0 ? sql`, via_day` : sql``;
  const { rows } = await sql<{
    resellerId: string | null;
    distributorId: string | null;
    family: string;
    licensing: string | null;
    solution: string | null;
    viaDay: string | null;
    amount: number | string;
  }>`
    select l.reseller_id, l.distributor_id, l.family${attrCols}, ${day} as via_day, sum(l.amount_minor) as amount
    from order_lines l ${attrJoin}
    where l.vendor_id = ${vendorId} and l.order_date >= ${from} and l.order_date < ${to}
      and (l.reseller_id is not null or l.distributor_id is not null)
    group by l.reseller_id, l.distributor_id, l.family${attrGroup}${dayGroup}`.execute(db);
  const isCross = new Set(cross);
  const sums = (): Map<string, RevenueRow> => new Map();
  const resold = sums();
  const distributed = sums();
  const crossed = sums();
  const add = (
    into: Map<string, RevenueRow>,
    partnerId: string,
    r: (typeof rows)[number],
    via: RevenueRow['via'],
  ) => {
    const key = JSON.stringify([partnerId, r.family, r.licensing, r.solution, via?.distributorId, via?.day]);
    const known = into.get(key);
    if (known) known.amountMinor += Number(r.amount);
    else
      into.set(key, {
        partnerId,
        family: r.family,
        licensing: r.licensing ?? null,
        solution: r.solution ?? null,
        amountMinor: Number(r.amount),
        via,
      });
  };
  for (const r of rows) {
    const throughVendor = r.distributorId !== null && isCross.has(r.distributorId);
    if (r.resellerId !== null)
      if (throughVendor)
        add(crossed, r.resellerId, r, { distributorId: r.distributorId as string, day: r.viaDay as string });
      else add(resold, r.resellerId, r, null);
    if (r.distributorId !== null) add(distributed, r.distributorId, r, null);
  }
  const ordered = (m: Map<string, RevenueRow>) =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  return [...ordered(resold), ...ordered(distributed), ...ordered(crossed)];
}
