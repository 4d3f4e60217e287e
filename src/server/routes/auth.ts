import { z } from 'zod';
import {
  CAPABILITY_DESCRIPTIONS,
  CAPABILITY_NAMES,
  type Capability,
} from '../../core/access/capabilities.js';
import { describeActor, resetPassword, signIn, signOut } from '../../app/access/sessions.js';
import { preferencesOf } from '../../app/notifications/feed.js';
import { actorOf, CSRF_COOKIE, SESSION_COOKIE } from '../access.js';
import { ProblemSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';

/** What the caller may do: each capability decided by the policy the routes use (src/core/access/capabilities.ts). */
const CapabilitiesSchema = z
  .object(
    Object.fromEntries(
      CAPABILITY_NAMES.map((name) => [name, z.boolean().describe(CAPABILITY_DESCRIPTIONS[name])]),
    ) as Record<Capability, z.ZodBoolean>,
  )
  .meta({ id: 'Capabilities' });

const MeSchema = z
  .object({
    kind: z.enum(['person', 'token']),
    id: z.string(),
    email: z.string().optional(),
    name: z.string().optional(),
    vendorId: z.string().nullable(),
    partnerId: z.string().nullable(),
    roles: z.array(z.string()),
    regions: z.array(z.string()).optional(),
    scopes: z.array(z.string()).optional(),
    can: CapabilitiesSchema,
    locale: z
      .enum(['en', 'fr'])
      .nullable()
      .optional()
      .describe("A person's chosen language (PUT /api/me/preferences); null = not chosen"),
  })
  .meta({ id: 'Me' });

export const authRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/auth/sign-in',
    {
      config: { access: 'public' },
      schema: {
        tags: ['access'],
        summary:
          'Sign in with email and password; sets an HttpOnly session cookie and returns the CSRF token',
        body: z.object({ email: z.email().max(254), password: z.string().min(1).max(1024) }),
        response: {
          200: z.object({ csrfToken: z.string(), expiresAt: z.string(), me: MeSchema }),
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema.describe("The person's organisation requires single sign-on"),
          429: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const result = await signIn(ctx, {
        email: request.body.email,
        password: request.body.password,
        clientAddress: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        requestId: request.id,
      });
      const cookie = {
        path: '/',
        sameSite: 'lax' as const,
        secure: request.protocol === 'https',
        expires: new Date(result.expiresAt),
      };
      reply.setCookie(SESSION_COOKIE, result.sessionToken, { ...cookie, httpOnly: true });
      reply.setCookie(CSRF_COOKIE, result.csrfToken, { ...cookie, httpOnly: false });
      return { csrfToken: result.csrfToken, expiresAt: result.expiresAt, me: describeActor(result.person) };
    },
  );

  app.post(
    '/api/auth/sign-out',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['access'],
        summary: 'End the current session',
        response: { 204: z.null(), 401: ProblemSchema, 403: ProblemSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (actor.kind === 'person') await signOut(ctx, actor, request.id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/auth/reset-password',
    {
      config: { access: 'public' },
      schema: {
        tags: ['access'],
        summary: 'Set a new password with a reset token (from `trellis users reset-password <email>`)',
        body: z.object({ token: z.string().min(10).max(200), password: z.string().min(1).max(1024) }),
        response: { 204: z.null(), 400: ProblemSchema },
      },
    },
    async (request, reply) => {
      await resetPassword(ctx, {
        token: request.body.token,
        password: request.body.password,
        requestId: request.id,
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['access'],
        summary: 'Who I am: my roles and my vendor or partner',
        response: { 200: MeSchema, 401: ProblemSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      if (actor.kind !== 'person') return describeActor(actor);
      return { ...describeActor(actor), locale: (await preferencesOf(ctx, actor.personId)).locale };
    },
  );
};
