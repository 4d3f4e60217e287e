import { type Kysely, type Selectable, sql } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { Database, EnrolmentsTable, PartnersTable } from '../schema.js';
import { paginate, type Page, type PageRequest } from './page.js';
import { inRegions } from './scoping.js';
import { nameContains } from './text-search.js';

export type PartnerSort = 'name' | 'country' | 'createdAt';

export interface PartnerFilter {
  vendorId?: string | undefined;
  programId?: string | undefined;
  kind?: string | undefined;
  country?: string | undefined;
  region?: string | undefined;
  q?: string | undefined;
}

export type PartnerRow = Selectable<PartnersTable>;

export type EnrolmentRow = Selectable<EnrolmentsTable>;

export function partnerRepository(db: Kysely<Database>) {
  const base = (scope: Scope) => {
    const q = db
      .selectFrom('partners')
      .select([
        'partners.id',
        'partners.name',
        'partners.kind',
        'partners.country',
        'partners.region',
        'partners.domain',
        'partners.createdAt',
        'partners.representsVendorId',
      ]);
    switch (scope.kind) {
      case 'system':
        return q;
      case 'vendor':
        // A vendor sees the partners enrolled in its programs, never another vendor's roster.
        return q
          .where(
            sql<boolean>`exists (select 1 from enrolments e where e.partner_id = partners.id and e.vendor_id = ${scope.vendorId})`,
          )
          .where(inRegions(scope.regions, 'partners.region'));
      case 'partner':
        // A partner sees itself and, if it is a distributor, the resellers it supplies.
        return q.where((eb) =>
          eb.or([
            eb('partners.id', '=', scope.partnerId),
            eb(
              'partners.id',
              'in',
              eb
                .selectFrom('supplyRelationships')
                .select('supplyRelationships.resellerId')
                .where('supplyRelationships.distributorId', '=', scope.partnerId),
            ),
          ]),
        );
    }
  };

  return {
    async list(
      scope: Scope,
      filter: PartnerFilter,
      page: PageRequest<PartnerSort>,
    ): Promise<Page<PartnerRow>> {
      let q = base(scope);
      if (filter.vendorId)
        q = q.where(
          sql<boolean>`exists (select 1 from enrolments e where e.partner_id = partners.id and e.vendor_id = ${filter.vendorId})`,
        );
      if (filter.programId)
        q = q.where(
          sql<boolean>`exists (select 1 from enrolments e where e.partner_id = partners.id and e.program_id = ${filter.programId})`,
        );
      if (filter.kind) q = q.where('partners.kind', '=', filter.kind);
      if (filter.country) q = q.where('partners.country', '=', filter.country);
      if (filter.region) q = q.where('partners.region', '=', filter.region);
      if (filter.q) q = q.where(await nameContains(db, 'partners', filter.q));
      return paginate(
        q,
        page,
        {
          name: { ref: 'partners.name', value: (r) => r.name },
          country: { ref: 'partners.country', value: (r) => r.country },
          createdAt: { ref: 'partners.createdAt', value: (r) => r.createdAt },
        },
        'partners.id',
      );
    },

    get(scope: Scope, id: string): Promise<PartnerRow | undefined> {
      return base(scope).where('partners.id', '=', id).executeTakeFirst();
    },

    /** The names of those of these partners the caller may see (the others are left out). */
    async names(scope: Scope, ids: readonly string[]): Promise<Map<string, string>> {
      const wanted = [...new Set(ids)];
      if (wanted.length === 0) return new Map();
      const rows = await base(scope).where('partners.id', 'in', wanted).execute();
      return new Map(rows.map((r) => [r.id, r.name]));
    },

    /** A partner by id, regardless of scope: for the operator's commands (no row: undefined). */
    findById(
      id: string,
    ): Promise<{ id: string; name: string; kind: string; representsVendorId: string | null } | undefined> {
      return db
        .selectFrom('partners')
        .select(['id', 'name', 'kind', 'representsVendorId'])
        .where('id', '=', id)
        .executeTakeFirst();
    },

    /**
     * Sets the vendor a distributor record stands for, conditional on the value read (`from`): false when
     * a concurrent change got there first (no row updated).
     */
    async setRepresents(id: string, from: string | null, to: string | null): Promise<boolean> {
      const updated = await db
        .updateTable('partners')
        .set({ representsVendorId: to })
        .where('id', '=', id)
        .where((eb) =>
          from === null ? eb('representsVendorId', 'is', null) : eb('representsVendorId', '=', from),
        )
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) === 1;
    },

    /** The vendors a partner is enrolled with (one row per enrolment). */
    async enrolledVendorIds(partnerId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('enrolments')
        .select('vendorId')
        .where('partnerId', '=', partnerId)
        .execute();
      return rows.map((r) => r.vendorId);
    },

    /** The partner's enrolments that the caller may see: a vendor sees only its own. */
    enrolments(scope: Scope, partnerId: string): Promise<EnrolmentRow[]> {
      let q = db
        .selectFrom('enrolments')
        .select([
          'id',
          'vendorId',
          'programId',
          'partnerId',
          'partnerNumber',
          'status',
          'exclusive',
          'enrolledAt',
          'payoutCurrency',
        ])
        .where('partnerId', '=', partnerId);
      if (scope.kind === 'vendor') q = q.where('vendorId', '=', scope.vendorId);
      if (scope.kind === 'partner' && scope.partnerId !== partnerId) return Promise.resolve([]);
      return q.orderBy('enrolledAt').execute();
    },
  };
}
export type PartnerRepository = ReturnType<typeof partnerRepository>;
