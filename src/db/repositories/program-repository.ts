import type { Kysely, Selectable } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { Database, ProgramsTable, ProgramVersionsTable } from '../schema.js';
import { paginate, type Page, type PageRequest } from './page.js';
import { vendorOwned } from './scoping.js';

export type ProgramSort = 'name' | 'code' | 'createdAt';

export type ProgramRow = Selectable<ProgramsTable>;

export type ProgramVersionRow = Omit<Selectable<ProgramVersionsTable>, 'source'>;

export interface TierRow {
  programVersionId: string;
  code: string;
  name: string;
  rank: number;
  invitationOnly: number;
}

export interface NewProgramVersion {
  id: string;
  vendorId: string;
  programId: string;
  version: string;
  status: 'draft' | 'published';
  effectiveFrom: string;
  effectiveTo: string;
  definition: unknown;
  source: string;
  sourceHash: string;
  publishedAt: string | null;
  createdAt: string;
  tiers: { code: string; name: string; rank: number; invitationOnly: boolean }[];
}

const VERSION_COLUMNS = [
  'id',
  'vendorId',
  'programId',
  'version',
  'status',
  'effectiveFrom',
  'effectiveTo',
  'definition',
  'sourceHash',
  'publishedAt',
  'createdAt',
] as const;

export function programRepository(db: Kysely<Database>) {
  const base = (scope: Scope) =>
    db
      .selectFrom('programs')
      .select(['programs.id', 'programs.vendorId', 'programs.code', 'programs.name', 'programs.createdAt'])
      .where(vendorOwned(scope, 'programs.vendorId'))
      .where((eb) =>
        scope.kind === 'partner'
          ? eb(
              eb.refTuple('programs.vendorId', 'programs.id'),
              'in',
              eb
                .selectFrom('enrolments')
                .select(['enrolments.vendorId', 'enrolments.programId'])
                .where('enrolments.partnerId', '=', scope.partnerId)
                .$asTuple('vendorId', 'programId'),
            )
          : eb.lit(true),
      );

  return {
    list(
      scope: Scope,
      filter: { vendorId?: string | undefined },
      page: PageRequest<ProgramSort>,
    ): Promise<Page<ProgramRow>> {
      let q = base(scope);
      if (filter.vendorId) q = q.where('programs.vendorId', '=', filter.vendorId);
      return paginate(
        q,
        page,
        {
          name: { ref: 'programs.name', value: (r) => r.name },
          code: { ref: 'programs.code', value: (r) => r.code },
          createdAt: { ref: 'programs.createdAt', value: (r) => r.createdAt },
        },
        'programs.id',
      );
    },

    get(scope: Scope, idOrCode: string): Promise<ProgramRow | undefined> {
      return base(scope)
        .where((eb) => eb.or([eb('programs.id', '=', idOrCode), eb('programs.code', '=', idOrCode)]))
        .orderBy('programs.id')
        .executeTakeFirst();
    },

    /** Versions newest first. */
    versions(scope: Scope, programId: string): Promise<ProgramVersionRow[]> {
      return db
        .selectFrom('programVersions')
        .select(VERSION_COLUMNS)
        .where('programId', '=', programId)
        .where(vendorOwned(scope, 'programVersions.vendorId'))
        .orderBy('effectiveFrom', 'desc')
        .execute();
    },

    tiers(scope: Scope, programVersionIds: readonly string[]): Promise<TierRow[]> {
      if (programVersionIds.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('programTiers')
        .select(['programVersionId', 'code', 'name', 'rank', 'invitationOnly'])
        .where('programVersionId', 'in', programVersionIds)
        .where(vendorOwned(scope, 'programTiers.vendorId'))
        .orderBy('rank')
        .execute();
    },

    async findByVendorAndCode(vendorId: string, code: string): Promise<ProgramRow | undefined> {
      return db
        .selectFrom('programs')
        .select(['id', 'vendorId', 'code', 'name', 'createdAt'])
        .where('vendorId', '=', vendorId)
        .where('code', '=', code)
        .executeTakeFirst();
    },

    async findVersion(programId: string, version: string): Promise<ProgramVersionRow | undefined> {
      return db
        .selectFrom('programVersions')
        .select(VERSION_COLUMNS)
        .where('programId', '=', programId)
        .where('version', '=', version)
        .executeTakeFirst();
    },

    /** Every program with this code, whichever vendor's (codes are unique per vendor only). */
    withCode(code: string): Promise<{ id: string; vendorId: string }[]> {
      return db.selectFrom('programs').select(['id', 'vendorId']).where('code', '=', code).execute();
    },

    /** The programs (id, code) with a published version in force on a day, each once. */
    inForceOn(day: string): Promise<{ id: string; code: string }[]> {
      return db
        .selectFrom('programVersions')
        .innerJoin('programs', 'programs.id', 'programVersions.programId')
        .select(['programs.id', 'programs.code'])
        .where('programVersions.status', '=', 'published')
        .where('programVersions.effectiveFrom', '<=', day)
        .where('programVersions.effectiveTo', '>=', day)
        .distinct()
        .execute();
    },

    /** The definitions (JSON text) of every published version that starts on or before a day, oldest first. */
    publishedDefinitionsFrom(day: string): Promise<{ definition: string }[]> {
      return db
        .selectFrom('programVersions')
        .select(['definition'])
        .where('status', '=', 'published')
        .where('effectiveFrom', '<=', day)
        .orderBy('effectiveFrom')
        .execute();
    },

    async insertProgram(row: ProgramRow): Promise<void> {
      await db.insertInto('programs').values(row).execute();
    },

    async insertVersion(v: NewProgramVersion): Promise<void> {
      const { tiers, definition, ...rest } = v;
      await db
        .insertInto('programVersions')
        .values({ ...rest, definition: JSON.stringify(definition) })
        .execute();
      if (tiers.length > 0) {
        await db
          .insertInto('programTiers')
          .values(
            tiers.map((t) => ({
              programVersionId: v.id,
              vendorId: v.vendorId,
              code: t.code,
              name: t.name,
              rank: t.rank,
              invitationOnly: t.invitationOnly ? 1 : 0,
            })),
          )
          .execute();
      }
    },
  };
}
export type ProgramRepository = ReturnType<typeof programRepository>;
