import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type {
  CertificationsTable,
  Database,
  DealRegistrationLinesTable,
  EnrolmentsTable,
  ProgramTransferPartiesTable,
  ProgramTransferPartnersTable,
  ProgramTransfersTable,
} from '../schema.js';
import { paginate, type Page, type PageRequest } from './page.js';
import { pushAll } from '../arrays.js';

export type TransferRow = ProgramTransfersTable;
export type TransferPartnerRow = ProgramTransferPartnersTable;
export type TransferSort = 'createdAt' | 'onDay';

/** Deal registrations still open: protected, or waiting for the vendor's decision. */
const OPEN_DEAL_STATUSES = ['submitted', 'under-review', 'info-requested', 'approved', 'extended'];

/**
 * Program transfers (splits and merges) and the facts a split is planned from. A transfer is seen by the
 * readers of every vendor it concerns (`program_transfer_parties`): the source and the target of a split,
 * the target and the legacy vendors of a merge; partners see none (they see their own standing).
 */
export function transferRepository(db: Kysely<Database>) {
  const visible = (scope: Scope) => {
    let q = db.selectFrom('programTransfers as t').selectAll('t');
    if (scope.kind === 'vendor')
      q = q.where('t.id', 'in', (eb) =>
        eb
          .selectFrom('programTransferParties as p')
          .select('p.transferId')
          .where('p.vendorId', '=', scope.vendorId),
      );
    else if (scope.kind === 'partner') q = q.where(({ lit }) => lit(false));
    return q;
  };
  return {
    async insert(
      transfer: TransferRow,
      parties: ProgramTransferPartiesTable[],
      partners: TransferPartnerRow[],
    ): Promise<void> {
      await db.insertInto('programTransfers').values(transfer).execute();
      await db.insertInto('programTransferParties').values(parties).execute();
      for (let i = 0; i < partners.length; i += 200)
        await db
          .insertInto('programTransferPartners')
          .values(partners.slice(i, i + 200))
          .execute();
    },
    byKey(transferKey: string) {
      return db
        .selectFrom('programTransfers')
        .select(['id', 'createdAt'])
        .where('transferKey', '=', transferKey)
        .executeTakeFirst();
    },
    /** Carry keys already taken among these (a partner carried by an earlier transfer of the same pair). */
    async carriedKeys(keys: readonly string[]): Promise<Set<string>> {
      const out = new Set<string>();
      for (let i = 0; i < keys.length; i += 500) {
        const rows = await db
          .selectFrom('programTransferPartners')
          .select('carryKey')
          .where('carryKey', 'in', keys.slice(i, i + 500))
          .execute();
        for (const r of rows) out.add(r.carryKey);
      }
      return out;
    },
    list(
      scope: Scope,
      filter: { kind?: string | undefined; program?: string | undefined },
      request: PageRequest<TransferSort>,
    ): Promise<Page<TransferRow>> {
      let q = visible(scope);
      if (filter.kind) q = q.where('t.kind', '=', filter.kind);
      if (filter.program)
        q = q.where((eb) =>
          eb.or([
            eb('t.targetProgramId', '=', filter.program!),
            eb('t.sourceProgramId', '=', filter.program!),
          ]),
        );
      return paginate(
        q,
        request,
        {
          createdAt: { ref: 't.createdAt', value: (r) => r.createdAt },
          onDay: { ref: 't.onDay', value: (r) => r.onDay },
        },
        't.id',
      );
    },
    get(scope: Scope, id: string) {
      return visible(scope).where('t.id', '=', id).executeTakeFirst();
    },
    parties(transferId: string) {
      return db
        .selectFrom('programTransferParties')
        .selectAll()
        .where('transferId', '=', transferId)
        .orderBy('role')
        .orderBy('vendorId')
        .execute();
    },
    /**
     * A transfer's partners (call after `get` found the transfer in scope); a vendor sees those enrolled
     * with it (a legacy vendor of a merge, its own legacy partners; both vendors of a split, every one).
     */
    partners(scope: Scope, transferId: string, filter: { ok?: boolean | undefined } = {}) {
      let q = db
        .selectFrom('programTransferPartners as x')
        .innerJoin('partners', 'partners.id', 'x.partnerId')
        .selectAll('x')
        .select('partners.name as partnerName')
        .where('x.transferId', '=', transferId);
      if (filter.ok !== undefined) q = q.where('x.ok', '=', filter.ok ? 1 : 0);
      if (scope.kind === 'vendor')
        q = q.where('x.partnerId', 'in', (eb) =>
          eb
            .selectFrom('enrolments')
            .select('enrolments.partnerId')
            .where('enrolments.vendorId', '=', scope.vendorId),
        );
      else if (scope.kind === 'partner') q = q.where(({ lit }) => lit(false));
      return q.orderBy('x.partnerId').execute();
    },

    // --- the facts a split is planned from (system reads: the use case checks access first) ---

    /** The partners enrolled in a program, with what the benefit rates read of them. */
    enrolled(programId: string) {
      return db
        .selectFrom('enrolments as e')
        .innerJoin('partners as p', 'p.id', 'e.partnerId')
        .select([
          'e.partnerId',
          'e.partnerNumber',
          'e.status',
          'e.exclusive',
          'p.kind',
          'p.country',
          'p.region',
        ])
        .where('e.programId', '=', programId)
        .orderBy('e.partnerId')
        .execute();
    },
    /** Records (tiers and statuses) of a program in force on a day. */
    inForce(programId: string, day: string) {
      return db
        .selectFrom('memberships')
        .select(['id', 'partnerId', 'tierCode', 'validFrom', 'grandfatheredUntil'])
        .where('programId', '=', programId)
        .where('validFrom', '<=', day)
        .where((eb) => eb.or([eb('validTo', 'is', null), eb('validTo', '>', day)]))
        .orderBy('partnerId')
        .execute();
    },
    /** Certifications of a vendor active on a day (earned <= day < expires). */
    activeCertifications(vendorId: string, day: string) {
      return db
        .selectFrom('certifications')
        .select(['id', 'partnerId', 'personId', 'code', 'kind', 'family', 'earnedOn', 'expiresOn'])
        .where('vendorId', '=', vendorId)
        .where('earnedOn', '<=', day)
        .where('expiresOn', '>', day)
        .orderBy('partnerId')
        .orderBy('id')
        .execute();
    },
    certificationKeys(vendorId: string) {
      return db
        .selectFrom('certifications')
        .select(['partnerId', 'personId', 'code', 'kind', 'family'])
        .where('vendorId', '=', vendorId)
        .execute();
    },
    openDeals(vendorId: string, programId: string) {
      return db
        .selectFrom('dealRegistrations')
        .selectAll()
        .where('vendorId', '=', vendorId)
        .where('programId', '=', programId)
        .where('status', 'in', OPEN_DEAL_STATUSES)
        .orderBy('partnerId')
        .orderBy('id')
        .execute();
    },
    async dealLines(registrationIds: readonly string[]) {
      const out: Selectable<DealRegistrationLinesTable>[] = [];
      for (let i = 0; i < registrationIds.length; i += 500)
        pushAll(
          out,
          await db
            .selectFrom('dealRegistrationLines')
            .selectAll()
            .where('registrationId', 'in', registrationIds.slice(i, i + 500))
            .orderBy('registrationId')
            .orderBy('lineNo')
            .execute(),
        );
      return out;
    },
    /** A vendor's customers whose domain (lower case) or name (lower case) is among these. */
    async customersLike(vendorId: string, domains: readonly string[], names: readonly string[]) {
      const out: { id: string; name: string; domain: string | null; country: string }[] = [];
      const chunks = <T>(xs: readonly T[]) =>
        Array.from({ length: Math.ceil(xs.length / 500) }, (_, i) => xs.slice(i * 500, i * 500 + 500));
      for (const part of chunks(domains))
        pushAll(
          out,
          await db
            .selectFrom('customers')
            .select(['id', 'name', 'domain', 'country'])
            .where('vendorId', '=', vendorId)
            .where(sql<string>`lower(domain)`, 'in', part)
            .orderBy('id')
            .execute(),
        );
      for (const part of chunks(names))
        pushAll(
          out,
          await db
            .selectFrom('customers')
            .select(['id', 'name', 'domain', 'country'])
            .where('vendorId', '=', vendorId)
            .where(sql<string>`lower(name)`, 'in', part)
            .orderBy('id')
            .execute(),
        );
      return out;
    },
    /** Active claims of a vendor on these customer keys. */
    async activeClaims(vendorId: string, keys: readonly string[]) {
      const out: { claimKey: string; family: string; region: string }[] = [];
      for (let i = 0; i < keys.length; i += 500)
        pushAll(
          out,
          await db
            .selectFrom('dealClaims')
            .select(['claimKey', 'family', 'region'])
            .where('vendorId', '=', vendorId)
            .where('active', '=', 1)
            .where('claimKey', 'in', keys.slice(i, i + 500))
            .execute(),
        );
      return out;
    },
    openOffers(vendorId: string) {
      return db
        .selectFrom('routingOffers')
        .select(['id', 'partnerId', 'deadline', 'routedOrderId'])
        .where('vendorId', '=', vendorId)
        .where('status', '=', 'open')
        .orderBy('partnerId')
        .orderBy('id')
        .execute();
    },
    async productFamilies(vendorId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('products')
        .select('family')
        .distinct()
        .where('vendorId', '=', vendorId)
        .execute();
      return rows.map((r) => r.family);
    },
    async insertEnrolments(rows: Insertable<EnrolmentsTable>[]): Promise<void> {
      for (let i = 0; i < rows.length; i += 500)
        await db
          .insertInto('enrolments')
          .values(rows.slice(i, i + 500))
          .execute();
    },
    async insertCertifications(rows: Insertable<CertificationsTable>[]): Promise<void> {
      for (let i = 0; i < rows.length; i += 500)
        await db
          .insertInto('certifications')
          .values(rows.slice(i, i + 500))
          .execute();
    },
  };
}
export type TransferRepository = ReturnType<typeof transferRepository>;
