import { z } from 'zod';
import {
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  personOf,
  preferencesOf,
  setPreferences,
  unreadNotifications,
} from '../../app/notifications/feed.js';
import { NOTIFICATION_KINDS } from '../../core/notifications/kinds.js';
import { actorOf } from '../access.js';
import { ID, pageOf, pageQuery, ProblemSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

const NotificationSchema = z
  .object({
    id: z.string(),
    kind: z.enum(NOTIFICATION_KINDS),
    params: z
      .record(z.string(), z.unknown())
      .describe("The message's parameters (the app translates the kind)"),
    vendorId: z.string(),
    vendorName: z.string(),
    partnerId: z.string().nullable(),
    subject: z.object({ type: z.string(), id: z.string() }),
    createdAt: z.string(),
    read: z.boolean(),
  })
  .meta({ id: 'Notification' });

const PreferencesSchema = z
  .object({
    locale: z.enum(['en', 'fr']).nullable().describe('The language chosen; null = not chosen'),
    emailNotifications: z.boolean(),
  })
  .meta({ id: 'Preferences' });

const Flag = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const notificationRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/notifications',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['notifications'],
        summary: 'My notifications, newest first by default (unread=true: only unread)',
        querystring: pageQuery(['createdAt'] as const, 'createdAt').extend({
          direction: z.enum(['asc', 'desc']).default('desc'),
          unread: Flag,
        }),
        response: { 200: pageOf(NotificationSchema), ...errors },
      },
    },
    async (request) => {
      const { unread, ...page } = request.query;
      return listNotifications(ctx, actorOf(request), { unread }, page);
    },
  );

  app.get(
    '/api/notifications/unread-count',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['notifications'],
        summary: 'How many of my notifications are unread',
        response: { 200: z.object({ unread: z.number().int() }), ...errors },
      },
    },
    async (request) => unreadNotifications(ctx, actorOf(request)),
  );

  app.post(
    '/api/notifications/:notificationId/read',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['notifications'],
        summary: 'Mark one notification read (again: no change)',
        params: z.object({ notificationId: ID }),
        response: { 200: z.object({ id: z.string(), read: z.boolean(), marked: z.boolean() }), ...errors },
      },
    },
    async (request) => markNotificationRead(ctx, actorOf(request), request.params.notificationId),
  );

  app.post(
    '/api/notifications/read-all',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['notifications'],
        summary: 'Mark every notification I see read, up to the newest',
        response: {
          200: z.object({ readBefore: z.string().nullable(), unread: z.number().int() }),
          ...errors,
        },
      },
    },
    async (request) => markAllNotificationsRead(ctx, actorOf(request)),
  );

  app.get(
    '/api/me/preferences',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['access'],
        summary: 'My language and e-mail notification preference',
        response: { 200: PreferencesSchema, ...errors },
      },
    },
    async (request) => preferencesOf(ctx, personOf(actorOf(request)).personId),
  );

  app.put(
    '/api/me/preferences',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['access'],
        summary:
          'Set my language (en, fr; null = not chosen) and whether notifications are e-mailed (audited)',
        body: z
          .object({
            locale: z.enum(['en', 'fr']).nullable().optional(),
            emailNotifications: z.boolean().optional(),
          })
          .strict(),
        response: { 200: PreferencesSchema, ...errors },
      },
    },
    async (request) => setPreferences(ctx, actorOf(request), { ...request.body, requestId: request.id }),
  );
};
