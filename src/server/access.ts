import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../core/access/actor.js';
import { authorize, type Permission } from '../core/access/policy.js';
import type { AppContext } from '../app/context.js';
import { authenticate, csrfMatches, type Authentication } from '../app/access/sessions.js';
import { problem, sendProblem } from './errors.js';
import type { Server } from './types.js';

export const SESSION_COOKIE = 'trellis_session';
export const CSRF_COOKIE = 'trellis_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** What a route declares about who may call it. Every /api route must declare one. */
export type RouteAccess = 'public' | 'signed-in' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** A stricter Content-Security-Policy than the app's, for this route's answers (src/server/security-headers.ts). */
    contentSecurityPolicy?: string;
  }
  interface FastifyRequest {
    auth: Authentication;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The signed-in actor of a request whose route required one. */
export function actorOf(request: FastifyRequest): Actor {
  const actor = request.auth.actor;
  if (!actor) throw new Error('actorOf() called on a route that does not require sign-in');
  return actor;
}

/**
 * Installs the gate every request passes: who is calling (session cookie or bearer token), whether the
 * route's declared access admits them (the policy in core decides), CSRF on cookie-authenticated
 * writes, and the data scope handlers pass to use cases. A route that declares no access is refused
 * (fail closed), and the isolation harness reports it.
 */
export function installAccessGate(app: Server, ctx: AppContext): void {
  app.decorateRequest('auth', {
    getter: () => ({ actor: null, via: 'none', problem: null }) as Authentication,
  });

  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const sessionToken = request.cookies[SESSION_COOKIE];
    const auth = await authenticate(ctx, { bearer, sessionToken });
    Object.defineProperty(request, 'auth', { value: auth, writable: true });
    // The gate runs before the body is parsed or validated: who may call comes before what they sent.
    return gate(request, reply);
  });

  const gate = async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.routeOptions.url ?? '';
    let access = request.routeOptions.config.access;
    if (access === undefined && (!url.startsWith('/api/') || url.startsWith('/api/docs'))) access = 'public';
    if (access === undefined) {
      request.log.error({ route: url }, 'route declares no access policy');
      return sendProblem(
        reply,
        problem(500, 'no_policy', `route ${request.method} ${url} declares no access policy`, request.url),
      );
    }
    if (access === 'public') return;
    const auth = request.auth;
    if (!auth.actor) {
      reply.header('www-authenticate', 'Bearer realm="trellis"');
      return sendProblem(
        reply,
        problem(
          401,
          'unauthenticated',
          auth.problem ?? 'sign in or send an API token (Authorization: Bearer ...)',
          request.url,
        ),
      );
    }
    if (auth.via === 'session' && !SAFE_METHODS.has(request.method)) {
      const header = request.headers[CSRF_HEADER];
      if (!csrfMatches(auth.csrfHash, Array.isArray(header) ? header[0] : header)) {
        return sendProblem(
          reply,
          problem(
            403,
            'csrf',
            `cookie-authenticated writes need the ${CSRF_HEADER} header from sign-in`,
            request.url,
          ),
        );
      }
    }
    if (access === 'signed-in') return;
    const decision = authorize(auth.actor, access);
    if (!decision.allowed) {
      return sendProblem(
        reply,
        problem(
          decision.status === 'unauthenticated' ? 401 : 403,
          decision.status,
          decision.reason,
          request.url,
        ),
      );
    }
    Object.defineProperty(request, 'scope', { value: decision.scope, writable: true });
  };
}
