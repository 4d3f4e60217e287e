import type { Kysely, Updateable } from 'kysely';
import type { Database, RoutedOrdersTable } from '../schema.js';

/**
 * Routed direct orders and their offers as they are answered. Every step is a conditional update (an
 * offer open -> answered, a routed order offered -> booked), so an offer is answered once and an order
 * booked once, whatever runs at the same time.
 */
export function routingOfferRepository(db: Kysely<Database>) {
  return {
    routedOrder(id: string) {
      return db.selectFrom('routedOrders').selectAll().where('id', '=', id).executeTakeFirst();
    },
    /** The routed order, which must exist (a missing one throws Kysely's NoResultError). */
    routedOrderOrThrow(id: string) {
      return db.selectFrom('routedOrders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    },
    /** Updates a routed order only while it is still offered; true when this caller did. */
    async takeOffered(id: string, patch: Updateable<RoutedOrdersTable>): Promise<boolean> {
      const taken = await db
        .updateTable('routedOrders')
        .set(patch)
        .where('id', '=', id)
        .where('status', '=', 'offered')
        .executeTakeFirst();
      return Number(taken.numUpdatedRows) !== 0;
    },
    /** Records the order a routed order was booked as. */
    async recordBooking(
      id: string,
      booking: { orderId: string; bookedAt: string; bookedPartnerId?: string },
    ): Promise<void> {
      await db.updateTable('routedOrders').set(booking).where('id', '=', id).execute();
    },
    /** Open offers past their deadline, earliest deadline first (of one vendor, or of every vendor). */
    dueOffers(now: string, vendorId: string | null, limit: number) {
      return db
        .selectFrom('routingOffers')
        .select(['id'])
        .where('status', '=', 'open')
        .where('deadline', '<=', now)
        .$if(vendorId !== null, (q) => q.where('vendorId', '=', vendorId as string))
        .orderBy('deadline')
        .limit(limit)
        .execute();
    },
    offer(id: string) {
      return db.selectFrom('routingOffers').selectAll().where('id', '=', id).executeTakeFirst();
    },
    /** An offer's routing facts, by id (the caller checks its partner). */
    offerSummary(id: string) {
      return db
        .selectFrom('routingOffers')
        .select(['id', 'vendorId', 'routedOrderId', 'partnerId', 'rank', 'status', 'deadline'])
        .where('id', '=', id)
        .executeTakeFirst();
    },
    /** open -> lapsed; true when this caller did. */
    async lapse(id: string, now: string): Promise<boolean> {
      const done = await db
        .updateTable('routingOffers')
        .set({ status: 'lapsed', answeredAt: now })
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return Number(done.numUpdatedRows) !== 0;
    },
    /** open -> accepted | declined, before the deadline; true when this caller did. */
    async answer(
      id: string,
      now: string,
      status: 'accepted' | 'declined',
      by: string,
      reason: string | null,
    ): Promise<boolean> {
      const done = await db
        .updateTable('routingOffers')
        .set({ status, answeredAt: now, answeredBy: by, declineReason: reason })
        .where('id', '=', id)
        .where('status', '=', 'open')
        .where('deadline', '>', now)
        .executeTakeFirst();
      return Number(done.numUpdatedRows) > 0;
    },
    /** One open offer of the partner fewer, one more answered with `outcome`. */
    async countAnswer(
      vendorId: string,
      partnerId: string,
      outcome: 'accepted' | 'declined' | 'lapsed',
    ): Promise<void> {
      await db
        .updateTable('routingPartnerStats')
        .set((eb) => ({
          openOffers: eb('openOffers', '-', 1),
          [outcome]: eb(outcome, '+', 1),
        }))
        .where('vendorId', '=', vendorId)
        .where('partnerId', '=', partnerId)
        .execute();
    },
  };
}
