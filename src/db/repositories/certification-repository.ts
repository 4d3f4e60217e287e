import { sql, type Insertable, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { CertificationKind } from '../../core/model/people.js';
import type { CertificationsTable, Database } from '../schema.js';
import { paginate, type Page, type PageRequest } from './page.js';
import { inRegions } from './scoping.js';
import { pushAll } from '../arrays.js';

export type CertificationSort = 'expiresOn' | 'earnedOn' | 'code';

export interface CertificationFilter {
  vendorId?: string | undefined;
  partnerId?: string | undefined;
  personId?: string | undefined;
  kind?: string | undefined;
  family?: string | undefined;
  /** Expires strictly before this day (YYYY-MM-DD). */
  expiringBefore?: string | undefined;
  /** Expires strictly after this day (YYYY-MM-DD): i.e. still active on it, or not yet earned. */
  expiresAfter?: string | undefined;
}

export interface CertificationRow {
  id: string;
  vendorId: string;
  partnerId: string;
  personId: string;
  personName: string;
  personEmail: string;
  code: string;
  kind: string;
  family: string;
  earnedOn: string;
  expiresOn: string;
}

export type NewCertification = Insertable<CertificationsTable>;

/** One active certification as the tier engine reads it (`PersonCertification` in core/tiers). */
export interface TierCertification {
  personId: string;
  kind: CertificationKind;
  family: string;
  earnedOn: string;
  expiresOn: string;
}

/** A person who may be granted a certification by a vendor: works for a partner enrolled with it. */
export interface CertifiablePerson {
  id: string;
  email: string;
  partnerId: string;
}

/** Ids and emails are looked up in chunks, well below both stores' bind-parameter limits. */
const CHUNK = 500;
/** Nine columns a row: 500 rows = 4,500 parameters. */
const INSERT_CHUNK = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Who sees a certification: a vendor those it granted (channel managers only for partners of their
 * regions); a partner those of its own people; the system scope everything. Needs `partners` joined.
 */
function certificationScope(scope: Scope): RawBuilder<SqlBool> {
  switch (scope.kind) {
    case 'system':
      return sql<SqlBool>`1 = 1`;
    case 'vendor':
      return sql<SqlBool>`${sql.ref('certifications.vendorId')} = ${scope.vendorId} and ${inRegions(scope.regions, 'partners.region')}`;
    case 'partner':
      return sql<SqlBool>`${sql.ref('certifications.partnerId')} = ${scope.partnerId}`;
  }
}

export function certificationRepository(db: Kysely<Database>) {
  const base = (scope: Scope) =>
    db
      .selectFrom('certifications')
      .innerJoin('partners', 'partners.id', 'certifications.partnerId')
      .innerJoin('people', 'people.id', 'certifications.personId')
      .select([
        'certifications.id',
        'certifications.vendorId',
        'certifications.partnerId',
        'certifications.personId',
        'people.name as personName',
        'people.email as personEmail',
        'certifications.code',
        'certifications.kind',
        'certifications.family',
        'certifications.earnedOn',
        'certifications.expiresOn',
      ])
      .where(certificationScope(scope))
      // A sales rep lists its own certifications only: colleagues' names and e-mail addresses are the
      // partner admin's to see. Tier facts (the company's counts) are not limited this way.
      .where(
        scope.kind === 'partner' && scope.ownerPersonId !== null
          ? sql<SqlBool>`${sql.ref('certifications.personId')} = ${scope.ownerPersonId}`
          : sql<SqlBool>`1 = 1`,
      );

  return {
    list(
      scope: Scope,
      filter: CertificationFilter,
      page: PageRequest<CertificationSort>,
    ): Promise<Page<CertificationRow>> {
      let q = base(scope);
      if (filter.vendorId) q = q.where('certifications.vendorId', '=', filter.vendorId);
      if (filter.partnerId) q = q.where('certifications.partnerId', '=', filter.partnerId);
      if (filter.personId) q = q.where('certifications.personId', '=', filter.personId);
      if (filter.kind) q = q.where('certifications.kind', '=', filter.kind);
      if (filter.family) q = q.where('certifications.family', '=', filter.family);
      if (filter.expiringBefore) q = q.where('certifications.expiresOn', '<', filter.expiringBefore);
      if (filter.expiresAfter) q = q.where('certifications.expiresOn', '>', filter.expiresAfter);
      return paginate(
        q,
        page,
        {
          expiresOn: { ref: 'certifications.expiresOn', value: (r) => r.expiresOn },
          earnedOn: { ref: 'certifications.earnedOn', value: (r) => r.earnedOn },
          code: { ref: 'certifications.code', value: (r) => r.code },
        },
        'certifications.id',
      );
    },

    /**
     * The certifications of one vendor active on `asOf` (earnedOn <= asOf < expiresOn), grouped by
     * partner, for the tier engine. Only those inside `scope`; optionally only some partners.
     */
    async forTierFacts(
      scope: Scope,
      vendorId: string,
      asOf: string,
      options: { partnerIds?: readonly string[] | undefined } = {},
    ): Promise<Map<string, TierCertification[]>> {
      const query = (partnerIds?: readonly string[]) => {
        let q = db
          .selectFrom('certifications')
          .innerJoin('partners', 'partners.id', 'certifications.partnerId')
          .select([
            'certifications.partnerId',
            'certifications.personId',
            'certifications.kind',
            'certifications.family',
            'certifications.earnedOn',
            'certifications.expiresOn',
          ])
          .where(certificationScope(scope))
          .where('certifications.vendorId', '=', vendorId)
          .where('certifications.earnedOn', '<=', asOf)
          .where('certifications.expiresOn', '>', asOf);
        if (partnerIds) q = q.where('certifications.partnerId', 'in', partnerIds);
        return q
          .orderBy('certifications.partnerId')
          .orderBy('certifications.personId')
          .orderBy('certifications.code')
          .execute();
      };
      const rows =
        options.partnerIds === undefined
          ? await query()
          : (
              await Promise.all(
                chunks(options.partnerIds, CHUNK).map((ids) => (ids.length > 0 ? query(ids) : [])),
              )
            ).flat();
      const byPartner = new Map<string, TierCertification[]>();
      for (const r of rows) {
        let list = byPartner.get(r.partnerId);
        if (!list) {
          list = [];
          byPartner.set(r.partnerId, list);
        }
        list.push({
          personId: r.personId,
          // Validated on the way in (recordCertifications); the engine ignores a kind it does not know.
          kind: r.kind as CertificationKind,
          family: r.family,
          earnedOn: r.earnedOn,
          expiresOn: r.expiresOn,
        });
      }
      return byPartner;
    },

    /**
     * People, by id or email (lower-case), who work for a partner enrolled (and not terminated) with the
     * vendor, and whom the scope may see. Anyone else is absent, whether or not they exist.
     */
    async certifiablePeople(
      scope: Scope,
      vendorId: string,
      keys: { ids: readonly string[]; emails: readonly string[] },
    ): Promise<CertifiablePerson[]> {
      const query = (column: 'people.id' | 'people.email', values: readonly string[]) =>
        db
          .selectFrom('people')
          .innerJoin('partners', 'partners.id', 'people.partnerId')
          .select(['people.id', 'people.email', 'people.partnerId'])
          .where(column, 'in', values)
          .where(({ exists, selectFrom }) =>
            exists(
              selectFrom('enrolments as e')
                .select('e.id')
                .whereRef('e.partnerId', '=', 'partners.id')
                .where('e.vendorId', '=', vendorId)
                .where('e.status', '!=', 'terminated'),
            ),
          )
          .where(
            scope.kind === 'vendor'
              ? inRegions(scope.regions, 'partners.region')
              : scope.kind === 'partner'
                ? sql<SqlBool>`${sql.ref('partners.id')} = ${scope.partnerId}`
                : sql<SqlBool>`1 = 1`,
          )
          .execute();
      // A vendor grants only its own certifications.
      if (scope.kind === 'vendor' && scope.vendorId !== vendorId) return [];
      const found = new Map<string, CertifiablePerson>();
      const batches = [
        ...chunks([...new Set(keys.ids)], CHUNK).map((ids) => query('people.id', ids)),
        ...chunks([...new Set(keys.emails)], CHUNK).map((emails) => query('people.email', emails)),
      ];
      for (const rows of await Promise.all(batches)) {
        for (const r of rows) {
          if (r.partnerId) found.set(r.id, { id: r.id, email: r.email, partnerId: r.partnerId });
        }
      }
      return [...found.values()];
    },

    /** The (person, code) pairs these people already hold with the vendor. */
    async existingCodes(
      vendorId: string,
      personIds: readonly string[],
    ): Promise<{ personId: string; code: string }[]> {
      const out: { personId: string; code: string }[] = [];
      for (const ids of chunks([...new Set(personIds)], CHUNK)) {
        pushAll(
          out,
          await db
            .selectFrom('certifications')
            .select(['personId', 'code'])
            .where('vendorId', '=', vendorId)
            .where('personId', 'in', ids)
            .execute(),
        );
      }
      return out;
    },

    /**
     * Serialises writers of one vendor's certifications until the transaction ends, so the duplicate
     * check and the insert see the same rows: a no-op update of the vendor row takes its row lock on
     * PostgreSQL and the write lock on SQLite. Call first inside the transaction.
     */
    async lockVendor(vendorId: string): Promise<void> {
      await db
        .updateTable('vendors')
        .set((eb) => ({ slug: eb.ref('slug') }))
        .where('id', '=', vendorId)
        .execute();
    },

    async insertMany(rows: readonly NewCertification[]): Promise<void> {
      for (const batch of chunks(rows, INSERT_CHUNK)) {
        await db.insertInto('certifications').values(batch).execute();
      }
    },
  };
}
export type CertificationRepository = ReturnType<typeof certificationRepository>;
