import type { Kysely, Selectable } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { AgreementsTable, Database } from '../schema.js';

export type AgreementRow = Selectable<AgreementsTable>;

export function agreementRepository(db: Kysely<Database>) {
  return {
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
    /** Agreements the caller's vendor is party to (all for the system scope; partners see them through programs later). */
    list(scope: Scope): Promise<Omit<AgreementRow, 'source'>[]> {
      let q = db
        .selectFrom('agreements')
        .select([
          'id',
          'code',
          'name',
          'effectiveFrom',
          'effectiveTo',
          'definition',
          'sourceHash',
          'createdAt',
        ]);
      if (scope.kind === 'vendor')
        q = q.where(
          'id',
          'in',
          db.selectFrom('agreementParties').select('agreementId').where('vendorId', '=', scope.vendorId),
        );
      if (scope.kind === 'partner') return Promise.resolve([]);
      return q.orderBy('effectiveFrom').execute();
    },
  };
}
export type AgreementRepository = ReturnType<typeof agreementRepository>;
