import { sql, type Insertable, type Kysely, type SqlBool } from 'kysely';
import type { Database, NotificationsTable } from '../schema.js';
import { paginate, type PageRequest } from './page.js';

export type NotificationSort = 'createdAt';
export type NotificationInsert = Insertable<NotificationsTable>;

/**
 * Who reads a feed: one person, its vendor or partner, the resources its roles may read, and whether it
 * sees only the registrations it owns (a partner's sales rep). The same rule decides who is e-mailed.
 */
export interface NotificationReader {
  personId: string;
  vendorId: string | null;
  partnerId: string | null;
  resources: readonly string[];
  ownerOnly: boolean;
}

/** Resources whose records a sales rep sees only when it owns them. */
const OWNED_RESOURCES = ['deal'];

function visible(r: NotificationReader) {
  const resources = r.resources.length > 0 ? r.resources : ['-'];
  const audience =
    r.partnerId !== null
      ? sql<SqlBool>`n.partner_id = ${r.partnerId}`
      : r.vendorId !== null
        ? sql<SqlBool>`n.vendor_id = ${r.vendorId} and n.partner_id is null`
        : sql<SqlBool>`1 = 0`;
  const owner = r.ownerOnly
    ? sql<SqlBool>`(n.owner_person_id = ${r.personId} or n.resource not in (${sql.join(OWNED_RESOURCES)}))`
    : sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`(n.person_id = ${r.personId} or (n.person_id is null and ${audience} and n.resource in (${sql.join(resources)}) and ${owner}))`;
}

/** Read: a row of notification_reads, or created up to the person's "mark all read" instant. */
function isRead(readBefore: string | null) {
  return readBefore === null
    ? sql<SqlBool>`(r.read_at is not null)`
    : sql<SqlBool>`(r.read_at is not null or n.created_at <= ${readBefore})`;
}

/**
 * The notifications outbox and feed. Writers call `insert` inside the transaction of the event; feed
 * queries take the reader, whose visibility condition keeps every query to what the person may see.
 */
export function notificationRepository(db: Kysely<Database>) {
  const readBeforeOf = async (personId: string) =>
    (
      await db
        .selectFrom('people')
        .select('notificationsReadBefore')
        .where('id', '=', personId)
        .executeTakeFirst()
    )?.notificationsReadBefore ?? null;

  return {
    /** Inserts notifications; one whose dedupe key exists is skipped. Returns how many were written. */
    async insert(rows: readonly NotificationInsert[]): Promise<number> {
      let written = 0;
      for (let i = 0; i < rows.length; i += 500) {
        const r = await db
          .insertInto('notifications')
          .values(rows.slice(i, i + 500))
          .onConflict((oc) => oc.column('dedupeKey').doNothing())
          .executeTakeFirst();
        written += Number(r.numInsertedOrUpdatedRows ?? 0);
      }
      return written;
    },

    async list(
      reader: NotificationReader,
      filter: { unread?: boolean },
      request: PageRequest<NotificationSort>,
    ) {
      const readBefore = await readBeforeOf(reader.personId);
      let q = db
        .selectFrom('notifications as n')
        .leftJoin('notificationReads as r', (j) =>
          j.onRef('r.notificationId', '=', 'n.id').on('r.personId', '=', reader.personId),
        )
        .innerJoin('vendors as v', 'v.id', 'n.vendorId')
        .select([
          'n.id',
          'n.vendorId',
          'v.name as vendorName',
          'n.partnerId',
          'n.kind',
          'n.params',
          'n.subjectType',
          'n.subjectId',
          'n.createdAt',
          'r.readAt',
        ])
        .select(isRead(readBefore).as('read'))
        .where(visible(reader));
      if (filter.unread) q = q.where(sql<SqlBool>`not ${isRead(readBefore)}`);
      return paginate(
        q,
        request,
        { createdAt: { ref: 'n.created_at', value: (row) => row.createdAt } },
        'n.id',
      );
    },

    async unreadCount(reader: NotificationReader): Promise<number> {
      const readBefore = await readBeforeOf(reader.personId);
      const row = await db
        .selectFrom('notifications as n')
        .leftJoin('notificationReads as r', (j) =>
          j.onRef('r.notificationId', '=', 'n.id').on('r.personId', '=', reader.personId),
        )
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(visible(reader))
        .where(sql<SqlBool>`not ${isRead(readBefore)}`)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** Whether the reader sees this notification. */
    async isVisible(reader: NotificationReader, id: string): Promise<boolean> {
      const row = await db
        .selectFrom('notifications as n')
        .select('n.id')
        .where('n.id', '=', id)
        .where(visible(reader))
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Marks one read; true only for the call that marked it. */
    async markRead(personId: string, notificationId: string, now: string): Promise<boolean> {
      const r = await db
        .insertInto('notificationReads')
        .values({ notificationId, personId, readAt: now })
        .onConflict((oc) => oc.columns(['personId', 'notificationId']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    /**
     * "Mark all read": moves the person's read-before instant forward to the newest notification it sees
     * (never back: a conditional update). Returns the instant, or null when it sees none.
     */
    async markAllRead(reader: NotificationReader): Promise<string | null> {
      const newest = await db
        .selectFrom('notifications as n')
        .select((eb) => eb.fn.max('n.createdAt').as('at'))
        .where(visible(reader))
        .executeTakeFirst();
      const at = newest?.at ?? null;
      if (at === null) return null;
      await db
        .updateTable('people')
        .set({ notificationsReadBefore: at })
        .where('id', '=', reader.personId)
        .where((eb) =>
          eb.or([eb('notificationsReadBefore', 'is', null), eb('notificationsReadBefore', '<', at)]),
        )
        .execute();
      return at;
    },

    async preferences(personId: string) {
      return db
        .selectFrom('people')
        .select(['id', 'vendorId', 'partnerId', 'locale', 'emailNotifications'])
        .where('id', '=', personId)
        .executeTakeFirst();
    },

    async setPreferences(
      personId: string,
      patch: { locale?: string | null; emailNotifications?: number },
    ): Promise<void> {
      if (Object.keys(patch).length === 0) return;
      await db.updateTable('people').set(patch).where('id', '=', personId).execute();
    },

    // --- the e-mail dispatcher -------------------------------------------------------------------

    /** Notifications not yet expanded into e-mails, oldest first. */
    pendingMail(limit: number) {
      return db
        .selectFrom('notifications')
        .selectAll()
        .where('mailState', '=', 'pending')
        .orderBy('createdAt')
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    /** The people of a notification's audience who take e-mail, with their roles. */
    async mailCandidates(n: { vendorId: string; partnerId: string | null; personId: string | null }) {
      let q = db
        .selectFrom('people')
        .select(['id', 'email', 'name', 'vendorId', 'partnerId', 'locale'])
        .where('emailNotifications', '=', 1);
      if (n.personId !== null) q = q.where('id', '=', n.personId);
      else if (n.partnerId !== null) q = q.where('partnerId', '=', n.partnerId);
      else q = q.where('vendorId', '=', n.vendorId).where('partnerId', 'is', null);
      const people = await q.execute();
      if (people.length === 0) return [];
      const grants = await db
        .selectFrom('roleGrants')
        .select(['personId', 'role'])
        .where(
          'personId',
          'in',
          people.map((p) => p.id),
        )
        .execute();
      return people.map((p) => ({
        ...p,
        roles: grants.filter((g) => g.personId === p.id).map((g) => g.role),
      }));
    },

    /**
     * Queues a notification's e-mails (each (notification, person) once) and moves it out of pending;
     * `state` skipped when it is too old to mail. Two dispatchers expanding one notification queue each
     * e-mail once (the primary key).
     */
    async queueMails(
      notificationId: string,
      mails: readonly { personId: string; email: string; locale: string }[],
      now: string,
      state: 'queued' | 'skipped',
    ): Promise<void> {
      if (mails.length > 0)
        await db
          .insertInto('notificationMails')
          .values(
            mails.map((m) => ({
              notificationId,
              personId: m.personId,
              email: m.email,
              locale: m.locale,
              status: 'pending',
              attempts: 0,
              nextAttemptAt: now,
              claimedBy: null,
              claimedUntil: null,
              sentAt: null,
              lastError: null,
              createdAt: now,
            })),
          )
          .onConflict((oc) => oc.columns(['notificationId', 'personId']).doNothing())
          .execute();
      await db
        .updateTable('notifications')
        .set({ mailState: state })
        .where('id', '=', notificationId)
        .where('mailState', '=', 'pending')
        .execute();
    },

    /**
     * Claims up to `limit` e-mails due now for `claimant` until `until`: a conditional update that
     * re-checks, row by row, that no other claim holds it, so two dispatchers never hold one e-mail.
     * Returns the claimed e-mails with their notification.
     */
    async claimMails(claimant: string, now: string, until: string, limit: number) {
      const due = await db
        .selectFrom('notificationMails')
        .select(['notificationId', 'personId'])
        .where('status', '=', 'pending')
        .where('nextAttemptAt', '<=', now)
        .where((eb) => eb.or([eb('claimedUntil', 'is', null), eb('claimedUntil', '<', now)]))
        .orderBy('nextAttemptAt')
        .limit(limit)
        .execute();
      for (const d of due) {
        await db
          .updateTable('notificationMails')
          .set((eb) => ({ claimedBy: claimant, claimedUntil: until, attempts: eb('attempts', '+', 1) }))
          .where('notificationId', '=', d.notificationId)
          .where('personId', '=', d.personId)
          .where('status', '=', 'pending')
          .where((eb) => eb.or([eb('claimedUntil', 'is', null), eb('claimedUntil', '<', now)]))
          .execute();
      }
      return db
        .selectFrom('notificationMails as m')
        .innerJoin('notifications as n', 'n.id', 'm.notificationId')
        .innerJoin('vendors as v', 'v.id', 'n.vendorId')
        .innerJoin('people as p', 'p.id', 'm.personId')
        .select([
          'm.notificationId',
          'm.personId',
          'm.email',
          'm.locale',
          'm.attempts',
          'p.name as personName',
          'n.kind',
          'n.params',
          'n.subjectType',
          'n.subjectId',
          'n.createdAt',
          'v.name as vendorName',
        ])
        .where('m.claimedBy', '=', claimant)
        .where('m.status', '=', 'pending')
        .execute();
    },

    /** Marks a claimed e-mail sent (only while the claim is the caller's). */
    async markMailSent(claimant: string, notificationId: string, personId: string, now: string) {
      const r = await db
        .updateTable('notificationMails')
        .set({ status: 'sent', sentAt: now, claimedUntil: null, lastError: null })
        .where('notificationId', '=', notificationId)
        .where('personId', '=', personId)
        .where('claimedBy', '=', claimant)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** A failed attempt: retried from `nextAttemptAt`, or failed for good. */
    async markMailFailed(
      claimant: string,
      notificationId: string,
      personId: string,
      error: string,
      next: { nextAttemptAt: string } | 'give-up',
    ) {
      await db
        .updateTable('notificationMails')
        .set({
          lastError: error.slice(0, 500),
          claimedUntil: null,
          ...(next === 'give-up' ? { status: 'failed' } : { nextAttemptAt: next.nextAttemptAt }),
        })
        .where('notificationId', '=', notificationId)
        .where('personId', '=', personId)
        .where('claimedBy', '=', claimant)
        .where('status', '=', 'pending')
        .execute();
    },

    // --- the periodic expiry check ---------------------------------------------------------------

    /** Protected registrations whose last protected day is within [from, to]. */
    expiringDeals(from: string, to: string) {
      return db
        .selectFrom('dealRegistrations')
        .select(['id', 'vendorId', 'partnerId', 'ownerPersonId', 'customerName', 'protectedUntil'])
        .where('status', 'in', ['approved', 'extended'])
        .where('protectedUntil', '>=', from)
        .where('protectedUntil', '<=', to)
        .orderBy('protectedUntil')
        .orderBy('id')
        .execute();
    },

    /** Certifications expiring within (from, to] that no later certification of the same code renews. */
    expiringCertifications(from: string, to: string) {
      return db
        .selectFrom('certifications as c')
        .innerJoin('people as p', 'p.id', 'c.personId')
        .select([
          'c.id',
          'c.vendorId',
          'c.partnerId',
          'c.personId',
          'c.code',
          'c.kind',
          'c.family',
          'c.expiresOn',
          'p.name as personName',
        ])
        .where('c.expiresOn', '>', from)
        .where('c.expiresOn', '<=', to)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('certifications as r')
                .select('r.id')
                .whereRef('r.personId', '=', 'c.personId')
                .whereRef('r.vendorId', '=', 'c.vendorId')
                .whereRef('r.code', '=', 'c.code')
                .whereRef('r.expiresOn', '>', 'c.expiresOn'),
            ),
          ),
        )
        .orderBy('c.expiresOn')
        .orderBy('c.id')
        .execute();
    },

    /** E-mails of a notification (tests, the CLI's summary). */
    mailsOf(notificationId: string) {
      return db
        .selectFrom('notificationMails')
        .selectAll()
        .where('notificationId', '=', notificationId)
        .execute();
    },
  };
}
