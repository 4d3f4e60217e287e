import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { ApiTokensTable, Database, PeopleTable, RoleGrantsTable } from '../schema.js';
import type { SqliteHandle } from '../sqlite/open.js';

export interface PersonWithRoles {
  id: string;
  email: string;
  name: string;
  vendorId: string | null;
  partnerId: string | null;
  roles: { role: string; regions: string }[];
}

export interface SessionRow {
  id: string;
  personId: string;
  csrfHash: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  endedAt: string | null;
}

export type TokenRow = Omit<Selectable<ApiTokensTable>, 'tokenHash'>;

const TOKEN_COLUMNS = [
  'id',
  'prefix',
  'name',
  'vendorId',
  'partnerId',
  'role',
  'scopes',
  'createdBy',
  'createdAt',
  'expiresAt',
  'lastUsedAt',
  'revokedAt',
] as const;

/**
 * Credentials, sessions, API tokens, password resets and sign-in throttling. Lookups are by hashes of
 * secrets; no secret is ever stored. These tables belong to the access layer itself, so their methods
 * take ids rather than a data scope: the use cases check the policy before calling them.
 */
export function authRepository(db: Kysely<Database>) {
  const personWithRoles = async (
    where: { email: string } | { id: string },
  ): Promise<PersonWithRoles | undefined> => {
    let q = db.selectFrom('people').select(['id', 'email', 'name', 'vendorId', 'partnerId']);
    q = 'email' in where ? q.where('email', '=', where.email.toLowerCase()) : q.where('id', '=', where.id);
    const person = await q.executeTakeFirst();
    if (!person) return undefined;
    const roles = await db
      .selectFrom('roleGrants')
      .select(['role', 'regions'])
      .where('personId', '=', person.id)
      .execute();
    return { ...person, roles };
  };

  return {
    personByEmail: (email: string) => personWithRoles({ email }),
    personById: (id: string) => personWithRoles({ id }),

    async passwordHash(personId: string): Promise<string | undefined> {
      const row = await db
        .selectFrom('credentials')
        .select('passwordHash')
        .where('personId', '=', personId)
        .executeTakeFirst();
      return row?.passwordHash;
    },
    async setPassword(personId: string, passwordHash: string, now: string): Promise<void> {
      const updated = await db
        .updateTable('credentials')
        .set({ passwordHash, updatedAt: now })
        .where('personId', '=', personId)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0)
        await db.insertInto('credentials').values({ personId, passwordHash, updatedAt: now }).execute();
    },

    async insertSession(row: SessionRow & { tokenHash: string; userAgent: string | null }): Promise<void> {
      await db.insertInto('sessions').values(row).execute();
    },
    sessionByTokenHash(tokenHash: string): Promise<SessionRow | undefined> {
      return db
        .selectFrom('sessions')
        .select(['id', 'personId', 'csrfHash', 'createdAt', 'lastSeenAt', 'expiresAt', 'endedAt'])
        .where('tokenHash', '=', tokenHash)
        .executeTakeFirst();
    },
    async touchSession(id: string, now: string): Promise<void> {
      await db.updateTable('sessions').set({ lastSeenAt: now }).where('id', '=', id).execute();
    },
    /** Ends a session; true only for the call that ended it (a conditional update). */
    async endSession(id: string, now: string): Promise<boolean> {
      const r = await db
        .updateTable('sessions')
        .set({ endedAt: now })
        .where('id', '=', id)
        .where('endedAt', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async endSessionsOf(personId: string, now: string): Promise<void> {
      await db
        .updateTable('sessions')
        .set({ endedAt: now })
        .where('personId', '=', personId)
        .where('endedAt', 'is', null)
        .execute();
    },

    async insertToken(row: TokenRow & { tokenHash: string }): Promise<void> {
      await db.insertInto('apiTokens').values(row).execute();
    },
    tokenByHash(tokenHash: string): Promise<TokenRow | undefined> {
      return db
        .selectFrom('apiTokens')
        .select(TOKEN_COLUMNS)
        .where('tokenHash', '=', tokenHash)
        .executeTakeFirst();
    },
    tokensOf(owner: { vendorId: string } | { partnerId: string }): Promise<TokenRow[]> {
      const q = db.selectFrom('apiTokens').select(TOKEN_COLUMNS);
      return (
        'vendorId' in owner
          ? q.where('vendorId', '=', owner.vendorId)
          : q.where('partnerId', '=', owner.partnerId)
      )
        .orderBy('createdAt', 'desc')
        .orderBy('id')
        .execute();
    },
    async tokenUsed(id: string, now: string): Promise<void> {
      tokenGeneration++;
      await db.updateTable('apiTokens').set({ lastUsedAt: now }).where('id', '=', id).execute();
    },
    /** Revokes a token; true only for the call that revoked it (a conditional update). */
    async revokeToken(id: string, now: string): Promise<boolean> {
      // Before the write: a look-up from now on reads the store (it waits for this transaction on SQLite).
      tokenGeneration++;
      const r = await db
        .updateTable('apiTokens')
        .set({ revokedAt: now })
        .where('id', '=', id)
        .where('revokedAt', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async insertReset(row: {
      tokenHash: string;
      personId: string;
      createdAt: string;
      expiresAt: string;
    }): Promise<void> {
      await db
        .insertInto('passwordResets')
        .values({ ...row, usedAt: null })
        .execute();
    },
    resetByHash(tokenHash: string) {
      return db
        .selectFrom('passwordResets')
        .select(['tokenHash', 'personId', 'expiresAt', 'usedAt'])
        .where('tokenHash', '=', tokenHash)
        .executeTakeFirst();
    },
    async useReset(tokenHash: string, now: string): Promise<boolean> {
      const r = await db
        .updateTable('passwordResets')
        .set({ usedAt: now })
        .where('tokenHash', '=', tokenHash)
        .where('usedAt', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /**
     * Counts one sign-in attempt under `key`, atomically (an upsert), and returns the count with the
     * block in force. A count whose last attempt is older than `staleBefore` starts again at 1.
     */
    async countAttempt(
      key: string,
      now: string,
      staleBefore: string,
    ): Promise<{ failures: number; blockedUntil: string }> {
      const row = await db
        .insertInto('signInThrottle')
        .values({ key, failures: 1, lastFailureAt: now, blockedUntil: now })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            failures: sql<number>`case when sign_in_throttle.last_failure_at < ${staleBefore} then 1 else sign_in_throttle.failures + 1 end`,
            lastFailureAt: now,
          }),
        )
        .returning(['failures', 'blockedUntil'])
        .executeTakeFirstOrThrow();
      return { failures: Number(row.failures), blockedUntil: row.blockedUntil };
    },
    /**
     * Takes the one attempt a back-off lets through: sets the next block only if no block is in force,
     * so of concurrent attempts exactly one wins. Returns whether this caller won.
     */
    async claimAttempt(key: string, now: string, blockedUntil: string): Promise<boolean> {
      const r = await db
        .updateTable('signInThrottle')
        .set({ blockedUntil })
        .where('key', '=', key)
        .where('blockedUntil', '<=', now)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    /** Takes back one counted attempt (a successful sign-in is not a failure of its address). */
    async forgiveAttempt(key: string): Promise<void> {
      await db
        .updateTable('signInThrottle')
        .set({ failures: sql<number>`failures - 1` })
        .where('key', '=', key)
        .where('failures', '>', 0)
        .execute();
    },
    async clearThrottle(key: string): Promise<void> {
      await db.deleteFrom('signInThrottle').where('key', '=', key).execute();
    },
    /** The id of the person with exactly this email (emails are stored lower-case). */
    async personIdByEmail(email: string): Promise<string | undefined> {
      return (await db.selectFrom('people').select('id').where('email', '=', email).executeTakeFirst())?.id;
    },
    /** A new person and its role grant (call it in a transaction, with the audit event). */
    async insertPerson(person: Insertable<PeopleTable>, grant: RoleGrantsTable): Promise<void> {
      await db.insertInto('people').values(person).execute();
      await db.insertInto('roleGrants').values(grant).execute();
    },
  };
}
export type AuthRepository = ReturnType<typeof authRepository>;

const dataVersionStatements = new WeakMap<SqliteHandle, { get(): unknown }>();

/** `pragma data_version` through a statement kept per connection (`handle.pragma` prepares it each time). */
function dataVersionOf(handle: SqliteHandle): number {
  let st = dataVersionStatements.get(handle);
  if (!st) {
    st = handle.prepare('pragma data_version').pluck();
    dataVersionStatements.set(handle, st);
  }
  return Number(st.get());
}

/** Bumped by every write of this process to api_tokens: token rows read before it are not reused. */
let tokenGeneration = 0;

interface CachedToken {
  row: TokenRow;
  dataVersion: number;
  generation: number;
}

/** Most tokens kept per store. */
const MAX_CACHED_TOKENS = 10_000;
const tokenCaches = new WeakMap<object, Map<string, CachedToken>>();

/**
 * `tokenByHash` for every request, without a query while nothing can have changed the token: on a SQLite
 * connection of this thread, a row read is reused while (1) no write of this process touched api_tokens
 * since (revocation bumps the generation before it writes), and (2) SQLite's `data_version` of the
 * connection is unchanged, i.e. no other connection (another process, a job thread) committed anything
 * since. Revocation therefore counts at once, wherever it comes from; expiry is checked by the caller on
 * every request. The check is two integer comparisons and a pragma on the connection, which, unlike a query,
 * does not wait for a transaction another request holds open. Revoked tokens are not kept; unknown hashes
 * are not remembered. On PostgreSQL and a worker-thread SQLite store every look-up reads the store.
 */
export async function tokenByHashCached(
  store: { db: Kysely<Database>; sqlite?: SqliteHandle | undefined },
  tokenHash: string,
): Promise<TokenRow | undefined> {
  const handle = store.sqlite;
  if (!handle) return authRepository(store.db).tokenByHash(tokenHash);
  let cache = tokenCaches.get(handle);
  if (!cache) {
    cache = new Map();
    tokenCaches.set(handle, cache);
  }
  const dataVersion = dataVersionOf(handle);
  const hit = cache.get(tokenHash);
  if (hit && hit.dataVersion === dataVersion && hit.generation === tokenGeneration) return hit.row;
  const generation = tokenGeneration;
  const row = await authRepository(store.db).tokenByHash(tokenHash);
  if (row && !row.revokedAt && generation === tokenGeneration) {
    if (cache.size >= MAX_CACHED_TOKENS) cache.clear();
    cache.set(tokenHash, { row, dataVersion, generation });
  } else cache.delete(tokenHash);
  return row;
}
