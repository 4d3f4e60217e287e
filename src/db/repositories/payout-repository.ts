import { sql, type Kysely } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { Database } from '../schema.js';
import { keyVendor } from './scoping.js';

/**
 * Payouts in the partner's currency (migration 20261206-0034): the currency a partner is paid in under
 * each program (its enrolment), and the amounts of a statement's lines to convert.
 */
export function payoutRepository(db: Kysely<Database>) {
  return {
    /** A partner's enrolment in a program, if the caller may see it (a vendor its own programs'). */
    enrolment(scope: Scope, partnerId: string, programId: string) {
      let q = db
        .selectFrom('enrolments')
        .select(['id', 'vendorId', 'programId', 'partnerId', 'status', 'payoutCurrency'])
        .where('partnerId', '=', partnerId)
        .where('programId', '=', programId);
      if (scope.kind === 'vendor') q = q.where('vendorId', '=', scope.vendorId);
      if (scope.kind === 'partner' && scope.partnerId !== partnerId) return Promise.resolve(undefined);
      return q.executeTakeFirst();
    },
    /** Sets the payout currency of an enrolment (null = the program's); true when the row changed. */
    async setPayoutCurrency(enrolmentId: string, currency: string | null): Promise<void> {
      await db
        .updateTable('enrolments')
        .set({ payoutCurrency: currency })
        .where('id', '=', enrolmentId)
        .execute();
    },
    /** The payout currency chosen by a partner under a program (null = the program's). */
    async payoutCurrencyOf(partnerId: string, programId: string): Promise<string | null> {
      const r = await db
        .selectFrom('enrolments')
        .select('payoutCurrency')
        .where('partnerId', '=', partnerId)
        .where('programId', '=', programId)
        .executeTakeFirst();
      return r?.payoutCurrency ?? null;
    },
    /** The amount of every line of a statement (program currency), for converting them one by one. */
    async lineAmounts(vendorId: string, statementId: string): Promise<number[]> {
      const rows = await db
        .selectFrom('statementLines')
        .select(sql<number | string>`amount_minor`.as('amount'))
        .where(keyVendor(db, 'vendor_id', vendorId))
        .where('statementId', '=', statementId)
        .execute();
      return rows.map((r) => Number(r.amount));
    },
  };
}
