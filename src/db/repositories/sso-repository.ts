import type { Kysely, Selectable } from 'kysely';
import type { Database, SsoConfigsTable, SsoLoginsTable } from '../schema.js';

export type SsoConfigRow = Selectable<SsoConfigsTable>;
export type SsoLoginRow = Selectable<SsoLoginsTable>;

/** An organisation: a vendor or a partner company. */
export type SsoOwner = { vendorId: string } | { partnerId: string };

/**
 * OpenID Connect configurations, started sign-ins and bound identities. Like the other access tables
 * (auth-repository.ts) these belong to the access layer: methods take the owning organisation, never a
 * data scope, and the use cases decide who may call them.
 */
export function ssoRepository(db: Kysely<Database>) {
  const byOwner = (owner: SsoOwner) => {
    const q = db.selectFrom('ssoConfigs').selectAll();
    return 'vendorId' in owner
      ? q.where('vendorId', '=', owner.vendorId)
      : q.where('partnerId', '=', owner.partnerId);
  };
  return {
    configOf: (owner: SsoOwner): Promise<SsoConfigRow | undefined> => byOwner(owner).executeTakeFirst(),
    configById: (id: string): Promise<SsoConfigRow | undefined> =>
      db.selectFrom('ssoConfigs').selectAll().where('id', '=', id).executeTakeFirst(),
    /** Every configuration (few: one per organisation), to find one by e-mail domain. */
    allConfigs: (): Promise<SsoConfigRow[]> =>
      db.selectFrom('ssoConfigs').selectAll().orderBy('id').execute(),
    async insertConfig(row: SsoConfigRow): Promise<void> {
      await db.insertInto('ssoConfigs').values(row).execute();
    },
    async updateConfig(id: string, row: Omit<SsoConfigRow, 'id' | 'vendorId' | 'partnerId' | 'createdAt'>) {
      await db.updateTable('ssoConfigs').set(row).where('id', '=', id).execute();
    },
    /** Deletes a configuration and its pending sign-ins; true only for the call that deleted it. */
    async deleteConfig(id: string): Promise<boolean> {
      await db.deleteFrom('ssoLogins').where('configId', '=', id).execute();
      const r = await db.deleteFrom('ssoConfigs').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },

    async insertLogin(row: SsoLoginRow): Promise<void> {
      await db.insertInto('ssoLogins').values(row).execute();
    },
    loginByStateHash: (stateHash: string): Promise<SsoLoginRow | undefined> =>
      db.selectFrom('ssoLogins').selectAll().where('stateHash', '=', stateHash).executeTakeFirst(),
    /** Uses a started sign-in once; true only for the call that used it (a conditional update). */
    async useLogin(stateHash: string, now: string): Promise<boolean> {
      const r = await db
        .updateTable('ssoLogins')
        .set({ usedAt: now })
        .where('stateHash', '=', stateHash)
        .where('usedAt', 'is', null)
        .where('expiresAt', '>', now)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    /** Forgets started sign-ins that expired before `before` (used ones are kept until then, to refuse replays). */
    async pruneLogins(before: string): Promise<void> {
      await db.deleteFrom('ssoLogins').where('expiresAt', '<', before).execute();
    },

    async personIdOfIdentity(issuer: string, subject: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('ssoIdentities')
        .select('personId')
        .where('issuer', '=', issuer)
        .where('subject', '=', subject)
        .executeTakeFirst();
      return row?.personId;
    },
    async bindIdentity(row: { issuer: string; subject: string; personId: string; createdAt: string }) {
      await db
        .insertInto('ssoIdentities')
        .values(row)
        .onConflict((oc) => oc.columns(['issuer', 'subject']).doNothing())
        .execute();
    },
    /** Replaces a person's role grants with `roles` (the provider is the source of truth for SSO people). */
    async setRoles(
      personId: string,
      owner: { vendorId: string | null; partnerId: string | null },
      grants: { id: string; role: string }[],
    ): Promise<void> {
      await db.deleteFrom('roleGrants').where('personId', '=', personId).execute();
      if (grants.length === 0) return;
      await db
        .insertInto('roleGrants')
        .values(
          grants.map((g) => ({
            id: g.id,
            personId,
            role: g.role,
            vendorId: owner.vendorId,
            partnerId: owner.partnerId,
            regions: '[]',
          })),
        )
        .execute();
    },
  };
}
