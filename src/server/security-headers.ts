import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Server } from './types.js';

/**
 * The Content-Security-Policy of every response: the web app loads only its own scripts, styles and
 * fonts, talks only to its own origin, and no other site may frame it (clickjacking).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Swagger UI (/api/docs) sets styles inline; everything else is as strict as the app's. */
const DOCS_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * Adds the security headers to every response (API, web app, errors, 404s), and HSTS when the request
 * came over TLS (directly, or through a trusted proxy: see TRELLIS_TRUST_PROXY).
 */
export function installSecurityHeaders(app: Server): void {
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    applySecurityHeaders(request, reply);
    return payload;
  });
}

/** The headers themselves; also called for the router's own errors (bad URL encoding, long parameters). */
export function applySecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  const url = request.url ?? '';
  const docs = url === '/api/docs' || url.startsWith('/api/docs/');
  // A route may declare a stricter policy of its own (a stored file's bytes: `sandbox`).
  const own = request.routeOptions?.config?.contentSecurityPolicy;
  reply.header('content-security-policy', own ?? (docs ? DOCS_POLICY : CONTENT_SECURITY_POLICY));
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
  if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000');
}
