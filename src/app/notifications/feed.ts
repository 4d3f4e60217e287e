import type { Actor, PersonActor } from '../../core/access/actor.js';
import { authorize, scopeOf } from '../../core/access/policy.js';
import type { Resource } from '../../core/access/policy.js';
import { RESOURCE_OF, type NotificationKind } from '../../core/notifications/kinds.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import {
  notificationRepository,
  type NotificationReader,
  type NotificationSort,
} from '../../db/repositories/notification-repository.js';
import { recordAudit } from '../access/audit.js';
import type { AppContext } from '../context.js';
import { paged, type PageParams } from '../pagination.js';

const NOTIFIED_RESOURCES = [...new Set(Object.values(RESOURCE_OF))] as Resource[];

/** Who reads: the resources the person's roles may read and its scope (the policy decides both). */
export function readerOf(
  actor: Pick<PersonActor, 'kind' | 'personId' | 'vendorId' | 'partnerId' | 'roles'> & Partial<PersonActor>,
): NotificationReader {
  const full: PersonActor = {
    sessionId: '',
    email: '',
    name: '',
    regions: [],
    ...actor,
    kind: 'person',
  };
  const scope = scopeOf(full);
  return {
    personId: actor.personId,
    vendorId: actor.vendorId,
    partnerId: actor.partnerId,
    resources: NOTIFIED_RESOURCES.filter((r) => authorize(full, { resource: r, action: 'read' }).allowed),
    ownerOnly: scope?.kind === 'partner' && scope.ownerPersonId !== null,
  };
}

/** Notifications belong to a signed-in person; an API token has none. */
export function personOf(actor: Actor): PersonActor {
  if (actor.kind !== 'person')
    throw new TrellisError('forbidden', 'notifications are a signed-in person’s; API tokens have none');
  return actor;
}

export function notificationView(n: {
  id: string;
  vendorId: string;
  vendorName: string;
  partnerId: string | null;
  kind: string;
  params: string;
  subjectType: string;
  subjectId: string;
  createdAt: string;
  read: unknown;
}) {
  return {
    id: n.id,
    kind: n.kind as NotificationKind,
    params: JSON.parse(n.params) as Record<string, unknown>,
    vendorId: n.vendorId,
    vendorName: n.vendorName,
    partnerId: n.partnerId,
    subject: { type: n.subjectType, id: n.subjectId },
    createdAt: n.createdAt,
    read: n.read === true || Number(n.read) === 1,
  };
}

export async function listNotifications(
  ctx: AppContext,
  actor: Actor,
  filter: { unread?: boolean | undefined },
  page: PageParams<NotificationSort>,
) {
  const reader = readerOf(personOf(actor));
  const result = await paged(page, (req) =>
    notificationRepository(ctx.store.db).list(reader, { unread: filter.unread ?? false }, req),
  );
  return { items: result.items.map(notificationView), nextCursor: result.nextCursor };
}

export async function unreadNotifications(ctx: AppContext, actor: Actor) {
  const reader = readerOf(personOf(actor));
  return { unread: await notificationRepository(ctx.store.db).unreadCount(reader) };
}

/** Marks one notification read (idempotent: marking it again changes nothing). Not seen: not found. */
export async function markNotificationRead(ctx: AppContext, actor: Actor, id: string) {
  const reader = readerOf(personOf(actor));
  return ctx.store.db.transaction().execute(async (trx) => {
    const repo = notificationRepository(trx);
    if (!(await repo.isVisible(reader, id))) throw notFound('notification', id);
    const marked = await repo.markRead(reader.personId, id, ctx.clock.now().toISOString());
    return { id, read: true, marked };
  });
}

/** Marks every notification the person sees read, up to the newest one. */
export async function markAllNotificationsRead(ctx: AppContext, actor: Actor) {
  const reader = readerOf(personOf(actor));
  const upTo = await notificationRepository(ctx.store.db).markAllRead(reader);
  return { readBefore: upTo, unread: await notificationRepository(ctx.store.db).unreadCount(reader) };
}

export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

export async function preferencesOf(ctx: AppContext, personId: string) {
  const p = await notificationRepository(ctx.store.db).preferences(personId);
  if (!p) throw notFound('person', personId);
  return {
    locale: (p.locale === 'en' || p.locale === 'fr' ? p.locale : null) as Locale | null,
    emailNotifications: Number(p.emailNotifications) === 1,
  };
}

/** `PUT /api/me/preferences`: the person's language and whether notifications are e-mailed; audited. */
export async function setPreferences(
  ctx: AppContext,
  actor: Actor,
  input: {
    locale?: Locale | null | undefined;
    emailNotifications?: boolean | undefined;
    requestId?: string | null;
  },
) {
  const person = personOf(actor);
  return ctx.store.db.transaction().execute(async (trx) => {
    const repo = notificationRepository(trx);
    const before = await repo.preferences(person.personId);
    if (!before) throw notFound('person', person.personId);
    const patch: { locale?: string | null; emailNotifications?: number } = {};
    if (input.locale !== undefined) patch.locale = input.locale;
    if (input.emailNotifications !== undefined) patch.emailNotifications = input.emailNotifications ? 1 : 0;
    await repo.setPreferences(person.personId, patch);
    const after = { locale: before.locale, emailNotifications: Number(before.emailNotifications), ...patch };
    await recordAudit(trx, ctx, {
      actor,
      action: 'person.preferences',
      target: { type: 'person', id: person.personId, vendorId: person.vendorId, partnerId: person.partnerId },
      before: { locale: before.locale, emailNotifications: Number(before.emailNotifications) },
      after,
      requestId: input.requestId ?? null,
      detail: { locale: after.locale, emailNotifications: after.emailNotifications === 1 },
    });
    return {
      locale: (after.locale === 'en' || after.locale === 'fr' ? after.locale : null) as Locale | null,
      emailNotifications: after.emailNotifications === 1,
    };
  });
}
