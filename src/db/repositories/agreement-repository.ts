import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type {
  AgreementEventsTable,
  AgreementNoticesTable,
  AgreementProgramsTable,
  AgreementRewardsTable,
  AgreementsTable,
  Database,
} from '../schema.js';

import { multiVendor } from './scoping.js';

export type AgreementRow = Selectable<AgreementsTable>;
export type AgreementNoticeRow = Selectable<AgreementNoticesTable>;
export type AgreementEventRow = Selectable<AgreementEventsTable>;
export type AgreementRewardRow = Selectable<AgreementRewardsTable>;

const num = (v: number | string | bigint): number => Number(v);

export function agreementRepository(db: Kysely<Database>) {
  return {
    /**
     * Partners enrolled in the program who bought the families from the vendor in [from, to] (sales in
     * the currency), for a cross-vendor solution set.
     */
    async solutionSellers(c: {
      vendorId: string;
      families: readonly string[];
      from: string;
      to: string;
      currency: string;
      /** The vendor of `programId` (the closing party), possibly not `vendorId`. */
      programVendorId: string;
      programId: string;
      partnerId: string | null;
    }): Promise<string[]> {
      let q = db
        .selectFrom('orderLines as l')
        .select('l.resellerId')
        .distinct()
        .where('l.vendorId', '=', c.vendorId)
        .where('l.family', 'in', [...c.families])
        .where('l.orderDate', '>=', c.from)
        .where('l.orderDate', '<=', c.to)
        .where('l.quantity', '>', 0)
        .where('l.amountMinor', '>', 0)
        .where('l.currency', '=', c.currency)
        .where(
          'l.resellerId',
          'in',
          db
            .selectFrom('enrolments')
            .select('partnerId')
            .where('vendorId', '=', c.programVendorId)
            .where('programId', '=', c.programId),
        )
        .modifyEnd(multiVendor("one party's lines, sellers enrolled in another party's program"));
      if (c.partnerId) q = q.where('l.resellerId', '=', c.partnerId);
      return (await q.execute()).map((x) => x.resellerId as string);
    },
    /** The partners' purchases of the families from the vendor in [from, to], with the customer's name. */
    solutionPurchases(c: {
      vendorId: string;
      families: readonly string[];
      from: string;
      to: string;
      currency: string;
      partnerIds: readonly string[];
    }) {
      return db
        .selectFrom('orderLines as l')
        .innerJoin('customers as cu', (j) =>
          j.onRef('cu.vendorId', '=', 'l.vendorId').onRef('cu.id', '=', 'l.customerId'),
        )
        .select([
          'l.id',
          'l.orderDate',
          'l.family',
          'l.amountMinor',
          'l.resellerId',
          'l.customerId',
          'cu.name',
          'cu.country',
        ])
        .where('l.vendorId', '=', c.vendorId)
        .where('l.family', 'in', [...c.families])
        .where('l.orderDate', '>=', c.from)
        .where('l.orderDate', '<=', c.to)
        .where('l.quantity', '>', 0)
        .where('l.amountMinor', '>', 0)
        .where('l.currency', '=', c.currency)
        .where('l.resellerId', 'in', [...c.partnerIds])
        .execute();
    },
    findByCode(code: string): Promise<AgreementRow | undefined> {
      return db.selectFrom('agreements').selectAll().where('code', '=', code).executeTakeFirst();
    },
    async insert(row: AgreementRow, parties: { vendorId: string; role: string }[]): Promise<void> {
      await db.insertInto('agreements').values(row).execute();
      if (parties.length > 0)
        await db
          .insertInto('agreementParties')
          .values(parties.map((p) => ({ agreementId: row.id, vendorId: p.vendorId, role: p.role })))
          .execute();
    },
    async insertPrograms(rows: Insertable<AgreementProgramsTable>[]): Promise<void> {
      if (rows.length > 0) await db.insertInto('agreementPrograms').values(rows).execute();
    },
    /** Agreements whose parties are exactly these vendors (sorted ids). */
    async withParties(vendorIds: readonly string[]): Promise<AgreementRow[]> {
      const rows = await db
        .selectFrom('agreements as a')
        .innerJoin('agreementParties as p', 'p.agreementId', 'a.id')
        .selectAll('a')
        .select('p.vendorId as partyVendorId')
        .where(
          'a.id',
          'in',
          db
            .selectFrom('agreementParties')
            .select('agreementId')
            .where('vendorId', 'in', [...vendorIds]),
        )
        .execute();
      const byId = new Map<string, { row: AgreementRow; parties: string[] }>();
      for (const { partyVendorId, ...row } of rows) {
        const e = byId.get(row.id) ?? { row, parties: [] };
        e.parties.push(partyVendorId);
        byId.set(row.id, e);
      }
      const key = [...vendorIds].sort().join(',');
      return [...byId.values()].filter((e) => e.parties.sort().join(',') === key).map((e) => e.row);
    },
    /**
     * Agreements visible in a scope: all (system); those the vendor is party to; for a partner, those
     * binding a program it is enrolled in.
     */
    list(scope: Scope): Promise<AgreementRow[]> {
      let q = db.selectFrom('agreements').selectAll();
      if (scope.kind === 'vendor')
        q = q.where(
          'id',
          'in',
          db.selectFrom('agreementParties').select('agreementId').where('vendorId', '=', scope.vendorId),
        );
      if (scope.kind === 'partner')
        q = q.where(
          'id',
          'in',
          db
            .selectFrom('agreementPrograms as ap')
            .innerJoin('enrolments as e', (j) =>
              j.onRef('e.vendorId', '=', 'ap.vendorId').onRef('e.programId', '=', 'ap.programId'),
            )
            .select('ap.agreementId')
            .where('e.partnerId', '=', scope.partnerId),
        );
      return q.orderBy('effectiveFrom').orderBy('id').execute();
    },
    async get(scope: Scope, idOrCode: string): Promise<AgreementRow | undefined> {
      const all = await this.list(scope);
      return all.find((a) => a.id === idOrCode || a.code === idOrCode);
    },
    parties(agreementIds: readonly string[]) {
      if (agreementIds.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('agreementParties as p')
        .innerJoin('vendors as v', 'v.id', 'p.vendorId')
        .select(['p.agreementId', 'p.vendorId', 'p.role', 'v.slug', 'v.name'])
        .where('p.agreementId', 'in', [...agreementIds])
        .execute();
    },
    programs(agreementIds: readonly string[]) {
      if (agreementIds.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('agreementPrograms as ap')
        .innerJoin('programs as p', (j) =>
          j.onRef('p.vendorId', '=', 'ap.vendorId').onRef('p.id', '=', 'ap.programId'),
        )
        .select(['ap.agreementId', 'ap.vendorId', 'ap.programId', 'p.code'])
        .where('ap.agreementId', 'in', [...agreementIds])
        .execute();
    },
    notices(agreementIds: readonly string[]): Promise<AgreementNoticeRow[]> {
      if (agreementIds.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('agreementNotices')
        .selectAll()
        .where('agreementId', 'in', [...agreementIds])
        .execute();
    },
    /** Records the notice unless the agreement has one; true when this call recorded it. */
    async insertNotice(row: Insertable<AgreementNoticesTable>): Promise<boolean> {
      const r = await db
        .insertInto('agreementNotices')
        .values(row)
        .onConflict((oc) => oc.column('agreementId').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async appendEvent(row: Insertable<AgreementEventsTable>): Promise<void> {
      await db.insertInto('agreementEvents').values(row).execute();
    },
    events(agreementId: string): Promise<AgreementEventRow[]> {
      return db
        .selectFrom('agreementEvents')
        .selectAll()
        .where('agreementId', '=', agreementId)
        .orderBy('at')
        .orderBy('onDay')
        .orderBy('id')
        .execute();
    },
    /** Records a party's share of a set's reward unless already recorded; true when this call did. */
    async insertReward(row: Insertable<AgreementRewardsTable>): Promise<boolean> {
      const r = await db
        .insertInto('agreementRewards')
        .values(row)
        .onConflict((oc) => oc.columns(['agreementId', 'vendorId', 'partnerId', 'setKey']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    /** The set keys a party already posted for an agreement and partners. */
    async postedSets(agreementId: string, vendorId: string): Promise<Set<string>> {
      const rows = await db
        .selectFrom('agreementRewards')
        .select(['partnerId', 'setKey'])
        .where('agreementId', '=', agreementId)
        .where('vendorId', '=', vendorId)
        .execute();
      return new Set(rows.map((r) => `${r.partnerId}\u0000${r.setKey}`));
    },
    /** Rewards of an agreement in a scope: a vendor its own shares, a partner its own rewards. */
    async rewards(scope: Scope, agreementId: string, limit: number): Promise<AgreementRewardRow[]> {
      let q = db.selectFrom('agreementRewards').selectAll().where('agreementId', '=', agreementId);
      if (scope.kind === 'vendor') q = q.where('vendorId', '=', scope.vendorId);
      // A channel manager limited to regions: the partners of its regions only.
      if (scope.kind === 'vendor' && scope.regions.length > 0)
        q = q.where(
          'partnerId',
          'in',
          db
            .selectFrom('partners')
            .select('id')
            .where('region', 'in', [...scope.regions]),
        );
      if (scope.kind === 'partner') q = q.where('partnerId', '=', scope.partnerId);
      const rows = await q.orderBy('completedOn', 'desc').orderBy('id').limit(limit).execute();
      return rows.map((r) => ({
        ...r,
        ownBaseMinor: num(r.ownBaseMinor),
        shareMinor: num(r.shareMinor),
        rewardMinor: num(r.rewardMinor),
      }));
    },
    /**
     * The stored explanation (JSON `{ text, message, ... }`) of each reward's ledger lines, by transaction:
     * where a reward's message is kept (the reward row holds its English text).
     */
    async rewardExplanations(transactionIds: readonly string[]): Promise<Map<string, string>> {
      if (transactionIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('ledgerEntries')
        .select(['transactionId', 'explanation'])
        .where('transactionId', 'in', [...transactionIds])
        .execute();
      return new Map(rows.map((r) => [r.transactionId, r.explanation]));
    },
    /** Totals of an agreement's rewards in a scope, per currency. */
    async rewardTotals(scope: Scope, agreementId: string) {
      let q = db
        .selectFrom('agreementRewards')
        .select((eb) => [
          'currency',
          eb.fn.sum<number | string>('shareMinor').as('total'),
          eb.fn.countAll<number | string>().as('count'),
        ])
        .where('agreementId', '=', agreementId)
        .groupBy('currency');
      if (scope.kind === 'vendor') q = q.where('vendorId', '=', scope.vendorId);
      if (scope.kind === 'vendor' && scope.regions.length > 0)
        q = q.where(
          'partnerId',
          'in',
          db
            .selectFrom('partners')
            .select('id')
            .where('region', 'in', [...scope.regions]),
        );
      if (scope.kind === 'partner') q = q.where('partnerId', '=', scope.partnerId);
      return (await q.execute()).map((r) => ({
        currency: r.currency,
        totalMinor: num(r.total),
        shares: num(r.count),
      }));
    },
  };
}
export type AgreementRepository = ReturnType<typeof agreementRepository>;
