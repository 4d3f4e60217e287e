import { sql, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { Database, StoredFilesTable } from '../schema.js';

export type StoredFileRow = Selectable<StoredFilesTable>;

/** Whose files: a vendor's own uploads (partnerId null) or one partner's for one vendor. */
export interface FileOwner {
  vendorId: string;
  partnerId: string | null;
}

/**
 * Stored files (migration 20261206-0029). Reads are scoped: a partner sees the files its people uploaded;
 * a vendor those of its vendor (its own and its partners'), a channel manager limited to regions those of
 * its own people and of partners in its regions. Outside the scope is not found.
 */
export function storedFileRepository(db: Kysely<Database>) {
  const inScope = (scope: Scope) => {
    switch (scope.kind) {
      case 'system':
        return sql<SqlBool>`1 = 1`;
      case 'vendor':
        return scope.regions.length === 0
          ? sql<SqlBool>`stored_files.vendor_id = ${scope.vendorId}`
          : sql<SqlBool>`stored_files.vendor_id = ${scope.vendorId} and (stored_files.partner_id is null or stored_files.partner_id in (select p.id from partners p where p.region in (${sql.join(scope.regions.map((r) => sql`${r}`))})))`;
      case 'partner':
        return sql<SqlBool>`stored_files.partner_id = ${scope.partnerId}`;
    }
  };

  return {
    async insert(row: StoredFileRow): Promise<void> {
      await db.insertInto('storedFiles').values(row).execute();
    },

    async get(scope: Scope, id: string): Promise<StoredFileRow | undefined> {
      return db
        .selectFrom('storedFiles')
        .selectAll()
        .where('id', '=', id)
        .where(inScope(scope))
        .executeTakeFirst();
    },

    /** The files among `ids` that belong to exactly this owner (others are left out). */
    async ownedBy(owner: FileOwner, ids: readonly string[]): Promise<StoredFileRow[]> {
      if (ids.length === 0) return [];
      return db
        .selectFrom('storedFiles')
        .selectAll()
        .where('id', 'in', [...new Set(ids)])
        .where('vendorId', '=', owner.vendorId)
        .where((eb) =>
          owner.partnerId === null ? eb('partnerId', 'is', null) : eb('partnerId', '=', owner.partnerId),
        )
        .execute();
    },

    /** Whether any row keeps the bytes under this key (before removing an object). */
    async keyInUse(storageKey: string): Promise<boolean> {
      const row = await db
        .selectFrom('storedFiles')
        .select('id')
        .where('storageKey', '=', storageKey)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** The vendors a partner is enrolled with (any of its programs), sorted. */
    async vendorsOfPartner(partnerId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('enrolments')
        .select('vendorId')
        .distinct()
        .where('partnerId', '=', partnerId)
        .orderBy('vendorId')
        .execute();
      return rows.map((r) => r.vendorId);
    },
  };
}
