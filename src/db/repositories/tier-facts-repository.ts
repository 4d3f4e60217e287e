import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface EnrolledPartnerRow {
  partnerId: string;
  name: string;
  kind: string;
  country: string;
  region: string;
  exclusive: number;
  status: string;
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

    /** Sum of line amounts per (partner, family) for order dates in [from, to). */
    async revenue(vendorId: string, from: string, to: string, partnerId?: string) {
      const one = (column: 'reseller_id' | 'distributor_id') =>
        partnerId
          ? // One partner: its orders of the window by the reseller (distributor) index, then their lines
            // by order (lines carry their order's vendor, partners and date), not the vendor's whole window.
            // coalesce() keeps SQLite (which has no statistics) from reading the vendor's orders instead.
            sql<{ partnerId: string; family: string; amount: number | string }>`
          select ${sql.ref(`o.${column}`)} as partner_id, l.family, sum(l.amount_minor) as amount
          from orders o join order_lines l on l.order_id = o.id
          where ${sql.ref(`o.${column}`)} = ${partnerId} and coalesce(o.vendor_id, '') = ${vendorId}
            and o.order_date >= ${from} and o.order_date < ${to}
          group by ${sql.ref(`o.${column}`)}, l.family`.execute(db)
          : sql<{ partnerId: string; family: string; amount: number | string }>`
          select ${sql.ref(column)} as partner_id, family, sum(amount_minor) as amount
          from order_lines
          where vendor_id = ${vendorId} and order_date >= ${from} and order_date < ${to}
            and ${sql.ref(column)} is not null
          group by ${sql.ref(column)}, family`.execute(db);
      const [resold, distributed] = await Promise.all([one('reseller_id'), one('distributor_id')]);
      return [...resold.rows, ...distributed.rows].map((r) => ({
        partnerId: r.partnerId,
        family: r.family,
        amountMinor: Number(r.amount),
      }));
    },
  };
}
