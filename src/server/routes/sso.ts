import { z } from 'zod';
import { ROLES } from '../../core/model/people.js';
import { TrellisError } from '../../core/shared/errors.js';
import { deleteSsoConfig, finishSso, getSsoConfig, putSsoConfig, startSso } from '../../app/access/sso.js';
import { actorOf, CSRF_COOKIE, SESSION_COOKIE } from '../access.js';
import { ProblemSchema } from '../schemas.js';
import type { RouteModule } from '../types.js';

const SsoConfigSchema = z
  .object({
    id: z.string(),
    vendorId: z.string().nullable(),
    partnerId: z.string().nullable(),
    issuer: z
      .string()
      .describe("The provider's issuer URL; discovery reads <issuer>/.well-known/openid-configuration"),
    clientId: z.string(),
    clientSecretSet: z.literal(true).describe('The client secret is saved (encrypted); it is never returned'),
    scopes: z.array(z.string()),
    groupsClaim: z.string().describe("The ID token claim that lists the person's groups"),
    roleMapping: z.array(z.object({ group: z.string(), role: z.enum(ROLES) })),
    emailDomains: z.array(z.string()).describe('People whose e-mail is in these domains start here'),
    jitProvisioning: z.boolean().describe('Create unknown people on their first sign-in'),
    requireSso: z.boolean().describe('Its people may not sign in with a password'),
    updatedBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'SsoConfig' });

const SsoConfigInputSchema = z.object({
  issuer: z.string().min(1).max(500),
  clientId: z.string().min(1).max(300),
  clientSecret: z
    .string()
    .min(1)
    .max(1000)
    .optional()
    .describe('Required the first time; omit to keep the saved one'),
  scopes: z
    .array(
      z
        .string()
        .regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/)
        .max(100),
    )
    .max(20)
    .optional(),
  groupsClaim: z.string().min(1).max(100).optional(),
  roleMapping: z
    .array(z.object({ group: z.string().min(1).max(300), role: z.string().min(1).max(50) }))
    .max(100),
  emailDomains: z.array(z.string().min(3).max(253)).max(50).optional(),
  jitProvisioning: z.boolean(),
  requireSso: z.boolean(),
});

/** Whether a request is a browser's navigation (it accepts an HTML page). */
function acceptsHtml(accept: string | undefined): boolean {
  return typeof accept === 'string' && accept.includes('text/html');
}

const errors = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

export const ssoRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/sso',
    {
      config: { access: { resource: 'sso', action: 'read' } },
      schema: {
        tags: ['access'],
        summary:
          "My organisation's single sign-on configuration (null: none); the client secret is never shown",
        response: { 200: z.object({ config: SsoConfigSchema.nullable() }), ...errors },
      },
    },
    async (request) => ({ config: await getSsoConfig(ctx, actorOf(request)) }),
  );
  app.put(
    '/api/sso',
    {
      config: { access: { resource: 'sso', action: 'manage' } },
      schema: {
        tags: ['access'],
        summary:
          "Configure my organisation's OpenID Connect provider; refused with the reason when discovery fails (nothing saved)",
        body: SsoConfigInputSchema,
        response: { 200: SsoConfigSchema, 201: SsoConfigSchema, 409: ProblemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { config, created } = await putSsoConfig(ctx, actorOf(request), {
        ...request.body,
        requestId: request.id,
      });
      return reply.status(created ? 201 : 200).send(config);
    },
  );
  app.delete(
    '/api/sso',
    {
      config: { access: { resource: 'sso', action: 'manage' } },
      schema: {
        tags: ['access'],
        summary: "Remove my organisation's single sign-on; its people sign in with passwords again",
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteSsoConfig(ctx, actorOf(request), request.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/sso/start',
    {
      config: { access: 'public' },
      schema: {
        tags: ['access'],
        summary:
          "Start signing in through an organisation's identity provider (by vendor slug or partner id, or by e-mail domain): redirects to the provider",
        querystring: z.object({
          org: z.string().min(1).max(100).optional(),
          email: z.string().min(3).max(254).optional(),
          returnTo: z.string().max(500).optional().describe('A path of this site to land on after sign-in'),
        }),
        response: { 302: z.null(), 400: ProblemSchema, 404: ProblemSchema, 502: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { authorizationUrl } = await startSso(ctx, {
        org: request.query.org,
        email: request.query.email,
        returnTo: request.query.returnTo,
        redirectUri: `${request.protocol}://${request.host}/api/auth/sso/callback`,
      });
      return reply.redirect(authorizationUrl, 302);
    },
  );
  app.get(
    '/api/auth/sso/callback',
    {
      config: { access: 'public' },
      schema: {
        tags: ['access'],
        summary:
          'Where the identity provider sends the person back: checks the ID token, opens the session (same cookies as password sign-in) and redirects into the app',
        querystring: z.object({
          state: z
            .string()
            .min(1)
            .max(500)
            .describe('The state Trellis sent; a callback without one is refused'),
          code: z.string().max(4000).optional(),
          iss: z.string().max(500).optional(),
          error: z.string().max(200).optional(),
          error_description: z.string().max(2000).optional(),
          session_state: z.string().max(500).optional(),
        }),
        response: { 302: z.null(), 400: ProblemSchema, 401: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      let finished: Awaited<ReturnType<typeof finishSso>>;
      try {
        finished = await finishSso(ctx, {
          query: Object.fromEntries(
            Object.entries(request.query).filter((e): e is [string, string] => e[1] !== undefined),
          ),
          userAgent: request.headers['user-agent'] ?? null,
          requestId: request.id,
        });
      } catch (e) {
        // A browser coming back from the provider lands on the sign-in page with the refusal's code, which
        // it translates (never the sentence: the page shows no words a crafted link could bring); scripts
        // (no text/html in Accept) get the problem+json with the sentence.
        if (e instanceof TrellisError && e.code === 'unauthenticated' && acceptsHtml(request.headers.accept))
          return reply.redirect(
            `/sign-in?ssoError=${encodeURIComponent(e.options.messageKey ?? 'ssoRefused')}`,
            302,
          );
        throw e;
      }
      const { session, returnTo } = finished;
      const cookie = {
        path: '/',
        sameSite: 'lax' as const,
        secure: request.protocol === 'https',
        expires: new Date(session.expiresAt),
      };
      reply.setCookie(SESSION_COOKIE, session.sessionToken, { ...cookie, httpOnly: true });
      reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...cookie, httpOnly: false });
      return reply.redirect(returnTo, 302);
    },
  );
};
