import { sql, type Insertable, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { Database, WebhookAttemptsTable, WebhookEndpointsTable, WebhookEventsTable } from '../schema.js';
import { isConcurrencyError } from '../concurrency.js';
import { heldStatements } from '../held-prepared.js';
import { pushAll } from '../arrays.js';

export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookEventInsert = Insertable<WebhookEventsTable>;
export type WebhookAttemptInsert = Insertable<WebhookAttemptsTable>;

/** Whose endpoints: a vendor's or a partner's (an API caller's own organisation). */
export type WebhookOwner = { vendorId: string } | { partnerId: string };

/** The endpoint's subscription to an event type, on the JSON array of type names (quoted: exact). */
function takes(type: string) {
  return sql<SqlBool>`event_types like ${`%"${type}"%`}`;
}

/**
 * Webhook endpoints, the outbox of events, deliveries and their attempts (migration 20261206-0027). An
 * endpoint is read and changed only through its owner; a delivery is claimed by a conditional update, so
 * two dispatchers never make the same attempt.
 */
export function webhookRepository(db: Kysely<Database>) {
  const ownedBy = (owner: WebhookOwner) =>
    'vendorId' in owner
      ? sql<SqlBool>`vendor_id = ${owner.vendorId}`
      : sql<SqlBool>`partner_id = ${owner.partnerId}`;

  return {
    // --- the outbox (hot paths) -------------------------------------------------------------------

    /**
     * The audiences of an event that have an active endpoint taking its type: `vendor` (the vendor's own
     * endpoints) and the partners among `partnerIds`. One indexed look-up; none = write nothing.
     */
    async subscribedAudiences(vendorId: string, partnerIds: readonly string[], type: string) {
      const ids = [...new Set(partnerIds)];
      const rows: { vendorId: string | null; partnerId: string | null }[] = [];
      // Inside a group commit (an order's one or two partners): the kept prepared look-up.
      const held = ids.length <= 8 ? heldStatements(db) : undefined;
      if (held)
        rows.push(
          ...held.all<{ vendorId: string | null; partnerId: string | null }>(
            `select vendor_id as "vendorId", partner_id as "partnerId" from webhook_endpoints
             where status = 'active' and ${ids.length > 0 ? `(vendor_id = ? or partner_id in (${ids.map(() => '?').join(', ')}))` : 'vendor_id = ?'}
               and event_types like ?`,
            [vendorId, ...ids, `%"${type}"%`],
          ),
        );
      // An evaluation run may concern a whole program's partners: looked up 500 at a time (bound
      // parameters are limited); an order's one or two partners take one query.
      for (let i = 0; !held && (i === 0 || i < ids.length); i += 500) {
        const chunk = ids.slice(i, i + 500);
        pushAll(
          rows,
          await db
            .selectFrom('webhookEndpoints')
            .select(['vendorId', 'partnerId'])
            .where('status', '=', 'active')
            .where((eb) =>
              chunk.length > 0
                ? eb.or([eb('vendorId', '=', vendorId), eb('partnerId', 'in', chunk)])
                : eb('vendorId', '=', vendorId),
            )
            .where(takes(type))
            .execute(),
        );
      }
      return {
        vendor: rows.some((r) => r.vendorId === vendorId),
        partners: new Set(rows.flatMap((r) => (r.partnerId ? [r.partnerId] : []))),
      };
    },

    /** Writes events, in one multi-row insert per 500. */
    async insertEvents(rows: readonly WebhookEventInsert[]): Promise<void> {
      for (let i = 0; i < rows.length; i += 500)
        await db
          .insertInto('webhookEvents')
          .values(rows.slice(i, i + 500))
          .execute();
    },

    // --- the dispatcher ---------------------------------------------------------------------------

    pendingEvents(limit: number) {
      return db
        .selectFrom('webhookEvents')
        .select(['id', 'vendorId', 'partnerId', 'type', 'createdAt'])
        .where('fanoutState', '=', 'pending')
        .orderBy('createdAt')
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    /** The active endpoints an event goes to: its audience's, taking its type. */
    async endpointsFor(e: { vendorId: string; partnerId: string | null; type: string }) {
      const rows = await db
        .selectFrom('webhookEndpoints')
        .select('id')
        .where('status', '=', 'active')
        .where(
          e.partnerId === null
            ? sql<SqlBool>`vendor_id = ${e.vendorId}`
            : sql<SqlBool>`partner_id = ${e.partnerId}`,
        )
        .where(takes(e.type))
        .execute();
      return rows.map((r) => r.id);
    },

    /** The deliveries of one event (each (endpoint, event) once, also when two dispatchers fan out). */
    async fanOut(
      eventId: string,
      deliveries: readonly { id: string; endpointId: string }[],
      now: string,
    ): Promise<void> {
      if (deliveries.length > 0)
        await db
          .insertInto('webhookDeliveries')
          .values(
            deliveries.map((d) => ({
              id: d.id,
              eventId,
              endpointId: d.endpointId,
              status: 'pending',
              attempts: 0,
              tries: 0,
              nextAttemptAt: now,
              createdAt: now,
            })),
          )
          .onConflict((oc) => oc.columns(['endpointId', 'eventId']).doNothing())
          .execute();
      await db
        .updateTable('webhookEvents')
        .set({ fanoutState: 'done' })
        .where('id', '=', eventId)
        .where('fanoutState', '=', 'pending')
        .execute();
    },

    /**
     * Claims due deliveries for `claimant` until `until`: each by a conditional update (pending, due, not
     * held by a live claim), so of two dispatchers only one wins a delivery. Returns what it holds, with
     * the event and the endpoint's secrets.
     */
    async claimDue(claimant: string, now: string, until: string, limit: number, endpointId?: string) {
      let due = db
        .selectFrom('webhookDeliveries')
        .select('id')
        .where('status', '=', 'pending')
        .where('nextAttemptAt', '<=', now)
        .where((eb) => eb.or([eb('claimedUntil', 'is', null), eb('claimedUntil', '<', now)]))
        .where('endpointId', 'in', (eb) =>
          eb.selectFrom('webhookEndpoints').select('id').where('status', '=', 'active'),
        );
      if (endpointId) due = due.where('endpointId', '=', endpointId);
      const ids = await due.orderBy('nextAttemptAt').orderBy('id').limit(limit).execute();
      for (const d of ids)
        // A claim lost to another dispatcher updates nothing (or, under SERIALIZABLE, fails): skipped.
        await db
          .updateTable('webhookDeliveries')
          .set((eb) => ({
            claimedBy: claimant,
            claimedUntil: until,
            attempts: eb('attempts', '+', 1),
            tries: eb('tries', '+', 1),
          }))
          .where('id', '=', d.id)
          .where('status', '=', 'pending')
          .where('nextAttemptAt', '<=', now)
          .where((eb) => eb.or([eb('claimedUntil', 'is', null), eb('claimedUntil', '<', now)]))
          .execute()
          .catch((e: unknown) => {
            if (!isConcurrencyError(e)) throw e;
          });
      if (ids.length === 0) return [];
      return db
        .selectFrom('webhookDeliveries as d')
        .innerJoin('webhookEvents as e', 'e.id', 'd.eventId')
        .innerJoin('webhookEndpoints as w', 'w.id', 'd.endpointId')
        .select([
          'd.id',
          'd.eventId',
          'd.endpointId',
          'd.attempts',
          'd.tries',
          'e.type',
          'e.payload',
          'w.url',
          'w.status as endpointStatus',
          'w.secretEnc',
          'w.previousSecretEnc',
          'w.previousSecretUntil',
        ])
        .where('d.claimedBy', '=', claimant)
        .where('d.status', '=', 'pending')
        .where(
          'd.id',
          'in',
          ids.map((d) => d.id),
        )
        .execute();
    },

    /**
     * Records an attempt and its outcome: the log row, then the delivery (only while the claim is the
     * caller's: succeeded, retried from `nextAttemptAt`, or failed for good) and the endpoint's count of
     * consecutive failures (disabled at `disableAfter`, with the reason). Returns whether the endpoint was
     * disabled by this attempt.
     */
    async recordAttempt(
      claimant: string,
      attempt: WebhookAttemptInsert & { endpointId: string },
      outcome: { status: 'succeeded' } | { status: 'pending'; nextAttemptAt: string } | { status: 'failed' },
      disable: { after: number; at: string; reason: string },
    ): Promise<{ disabled: boolean }> {
      const { endpointId, ...row } = attempt;
      await db.insertInto('webhookAttempts').values(row).execute();
      await db
        .updateTable('webhookDeliveries')
        .set({
          status: outcome.status,
          claimedBy: null,
          claimedUntil: null,
          lastStatusCode: row.statusCode ?? null,
          lastError: row.error ?? null,
          ...(outcome.status === 'succeeded' ? { deliveredAt: row.startedAt } : {}),
          ...(outcome.status === 'pending' ? { nextAttemptAt: outcome.nextAttemptAt } : {}),
        })
        .where('id', '=', row.deliveryId)
        .where('claimedBy', '=', claimant)
        .where('status', '=', 'pending')
        .execute();
      if (outcome.status === 'succeeded') {
        await db
          .updateTable('webhookEndpoints')
          .set({ consecutiveFailures: 0 })
          .where('id', '=', endpointId)
          .where('consecutiveFailures', '>', 0)
          .execute();
        return { disabled: false };
      }
      await db
        .updateTable('webhookEndpoints')
        .set((eb) => ({ consecutiveFailures: eb('consecutiveFailures', '+', 1) }))
        .where('id', '=', endpointId)
        .execute();
      const r = await db
        .updateTable('webhookEndpoints')
        .set({ status: 'disabled', disabledAt: disable.at, disabledReason: disable.reason })
        .where('id', '=', endpointId)
        .where('status', '=', 'active')
        .where('consecutiveFailures', '>=', disable.after)
        .executeTakeFirst();
      return { disabled: Number(r.numUpdatedRows) === 1 };
    },

    // --- endpoints, as their owner sees them ------------------------------------------------------

    async insertEndpoint(row: Insertable<WebhookEndpointsTable>): Promise<void> {
      await db.insertInto('webhookEndpoints').values(row).execute();
    },

    listEndpoints(owner: WebhookOwner) {
      return db
        .selectFrom('webhookEndpoints')
        .selectAll()
        .where(ownedBy(owner))
        .orderBy('createdAt')
        .orderBy('id')
        .execute();
    },

    getEndpoint(owner: WebhookOwner, id: string) {
      return db
        .selectFrom('webhookEndpoints')
        .selectAll()
        .where('id', '=', id)
        .where(ownedBy(owner))
        .executeTakeFirst();
    },

    /** Every endpoint (the operator's CLI). */
    allEndpoints() {
      return db.selectFrom('webhookEndpoints').selectAll().orderBy('createdAt').orderBy('id').execute();
    },

    async updateEndpoint(
      id: string,
      patch: Partial<Omit<WebhookEndpointRow, 'id' | 'vendorId' | 'partnerId' | 'createdAt' | 'createdBy'>>,
      /** Only while the row still has these values (read before): else nothing is changed (false). */
      expected: { updatedAt?: string; secretEnc?: string } = {},
    ): Promise<boolean> {
      let q = db.updateTable('webhookEndpoints').set(patch).where('id', '=', id);
      if (expected.updatedAt !== undefined) q = q.where('updatedAt', '=', expected.updatedAt);
      if (expected.secretEnc !== undefined) q = q.where('secretEnc', '=', expected.secretEnc);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** Deletes an endpoint with its deliveries and their log. True for the call that deleted it. */
    async deleteEndpoint(id: string): Promise<boolean> {
      const deliveries = db.selectFrom('webhookDeliveries').select('id').where('endpointId', '=', id);
      await db.deleteFrom('webhookAttempts').where('deliveryId', 'in', deliveries).execute();
      await db.deleteFrom('webhookDeliveries').where('endpointId', '=', id).execute();
      const r = await db.deleteFrom('webhookEndpoints').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },

    /**
     * Prunes the log (docs/webhooks.md, "Retention"): up to `limit` finished deliveries (succeeded or
     * failed) last scheduled before `before`, with their attempts, then the events fanned out before
     * `before` that no delivery names any more. Pending deliveries and their events are never pruned.
     * Found through the due index (status, next attempt) and the deliveries' event index.
     */
    async pruneLog(before: string, limit: number): Promise<{ deliveries: number; events: number }> {
      const old = await db
        .selectFrom('webhookDeliveries')
        .select(['id', 'eventId'])
        .where('status', 'in', ['succeeded', 'failed'])
        .where('nextAttemptAt', '<', before)
        .where('createdAt', '<', before)
        .limit(limit)
        .execute();
      const ids = old.map((d) => d.id);
      if (ids.length > 0) {
        await db.deleteFrom('webhookAttempts').where('deliveryId', 'in', ids).execute();
        await db
          .deleteFrom('webhookDeliveries')
          .where('id', 'in', ids)
          .where('status', 'in', ['succeeded', 'failed'])
          .execute();
      }
      const candidates = await db
        .selectFrom('webhookEvents as e')
        .select('e.id')
        .where('e.fanoutState', '=', 'done')
        .where('e.createdAt', '<', before)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb.selectFrom('webhookDeliveries as d').select('d.id').whereRef('d.eventId', '=', 'e.id'),
            ),
          ),
        )
        .limit(limit)
        .execute();
      const events = candidates.map((e) => e.id);
      if (events.length > 0)
        await db
          .deleteFrom('webhookEvents as e')
          .where('e.id', 'in', events)
          .where((eb) =>
            eb.not(
              eb.exists(
                eb.selectFrom('webhookDeliveries as d').select('d.id').whereRef('d.eventId', '=', 'e.id'),
              ),
            ),
          )
          .execute();
      return { deliveries: ids.length, events: events.length };
    },

    // --- deliveries -------------------------------------------------------------------------------

    listDeliveries(endpointId: string, filter: { status?: string | undefined }, limit: number) {
      let q = db
        .selectFrom('webhookDeliveries as d')
        .innerJoin('webhookEvents as e', 'e.id', 'd.eventId')
        .select([
          'd.id',
          'd.eventId',
          'd.endpointId',
          'e.type',
          'd.status',
          'd.attempts',
          'd.nextAttemptAt',
          'd.lastStatusCode',
          'd.lastError',
          'd.deliveredAt',
          'd.createdAt',
        ])
        .where('d.endpointId', '=', endpointId);
      if (filter.status) q = q.where('d.status', '=', filter.status);
      return q.orderBy('d.createdAt', 'desc').orderBy('d.id', 'desc').limit(limit).execute();
    },

    /** The endpoint of a delivery, when the endpoint is the owner's. */
    async deliveryEndpoint(owner: WebhookOwner, id: string): Promise<string | null> {
      const row = await db
        .selectFrom('webhookDeliveries as d')
        .select('d.endpointId')
        .where('d.id', '=', id)
        .where('d.endpointId', 'in', (eb) =>
          eb.selectFrom('webhookEndpoints').select('id').where(ownedBy(owner)),
        )
        .executeTakeFirst();
      return row?.endpointId ?? null;
    },

    getDelivery(endpointId: string, id: string) {
      return db
        .selectFrom('webhookDeliveries as d')
        .innerJoin('webhookEvents as e', 'e.id', 'd.eventId')
        .select([
          'd.id',
          'd.eventId',
          'd.endpointId',
          'e.type',
          'e.payload',
          'd.status',
          'd.attempts',
          'd.nextAttemptAt',
          'd.claimedUntil',
          'd.lastStatusCode',
          'd.lastError',
          'd.deliveredAt',
          'd.createdAt',
        ])
        .where('d.endpointId', '=', endpointId)
        .where('d.id', '=', id)
        .executeTakeFirst();
    },

    attemptsOf(deliveryIds: readonly string[]) {
      if (deliveryIds.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('webhookAttempts')
        .selectAll()
        .where('deliveryId', 'in', [...deliveryIds])
        .orderBy('deliveryId')
        .orderBy('attempt')
        .execute();
    },

    /**
     * A manual redelivery: the delivery is due now, in a new round of tries. Refused (false) while a
     * dispatcher holds it, so it is never sent by two at once.
     */
    async redeliver(endpointId: string, id: string, now: string): Promise<boolean> {
      const r = await db
        .updateTable('webhookDeliveries')
        .set({ status: 'pending', tries: 0, nextAttemptAt: now, claimedBy: null, claimedUntil: null })
        .where('id', '=', id)
        .where('endpointId', '=', endpointId)
        .where((eb) => eb.or([eb('claimedUntil', 'is', null), eb('claimedUntil', '<', now)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** A test event to one endpoint: the event (already fanned out) and its one delivery. */
    async insertTestDelivery(event: WebhookEventInsert, deliveryId: string, endpointId: string) {
      await db
        .insertInto('webhookEvents')
        .values({ ...event, fanoutState: 'done' })
        .execute();
      await db
        .insertInto('webhookDeliveries')
        .values({
          id: deliveryId,
          eventId: event.id,
          endpointId,
          status: 'pending',
          attempts: 0,
          tries: 0,
          nextAttemptAt: event.createdAt,
          createdAt: event.createdAt,
        })
        .execute();
    },
  };
}
