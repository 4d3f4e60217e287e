import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import Provider from 'oidc-provider';

/** The redirect URI Trellis sends when called through `app.inject()` (host localhost:80). */
export const INJECT_CALLBACK = 'http://localhost/api/auth/sso/callback';

export interface AccountClaims {
  email: string;
  name: string;
  groups: string[];
  /** Sent as true unless set. */
  email_verified?: boolean;
}

async function listen(server: HttpServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: HttpServer): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * A real OpenID Connect provider (panva's oidc-provider) on a random local port, with one confidential
 * client (PKCE required, client_secret_basic), the groups claim in the ID token, and an interaction that
 * signs in whichever account the test names (`loginAs`) and grants what the client asks (no consent page).
 */
export async function startOidcProvider(options: {
  clientId: string;
  clientSecret: string;
  /** Where the provider may send people back; read at its first request (default: Trellis under inject). */
  redirectUris?: () => string[];
}) {
  const accounts = new Map<string, AccountClaims>();
  const state = { loginAs: '' };
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const held: { provider?: Provider } = {};
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const p = (held.provider ??= createProvider());
    if (req.url?.startsWith('/interaction/')) {
      void (async () => {
        try {
          await p.interactionDetails(req, res);
          await p.interactionFinished(
            req,
            res,
            { login: { accountId: state.loginAs } },
            {
              mergeWithLastSubmission: false,
            },
          );
        } catch (e) {
          res.statusCode = 500;
          res.end(String(e));
        }
      })();
      return;
    }
    return p.callback()(req, res);
  });
  const issuer = await listen(server);
  const createProvider = () =>
    new Provider(issuer, {
      clients: [
        {
          client_id: options.clientId,
          client_secret: options.clientSecret,
          redirect_uris: options.redirectUris?.() ?? [INJECT_CALLBACK],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      jwks: { keys: [jwk] },
      cookies: { keys: ['a cookie signing key for the test provider'] },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
      conformIdTokenClaims: false,
      pkce: { required: () => true, methods: ['S256'] },
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      // No consent page: the grant the client asks for is given (the test drives the flow programmatically).
      async loadExistingGrant(ctx) {
        const o = ctx.oidc;
        if (!o.client || !o.session?.accountId) return undefined;
        const grant = new o.provider.Grant({ clientId: o.client.clientId, accountId: o.session.accountId });
        grant.addOIDCScope('openid email profile groups');
        grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups']);
        await grant.save();
        return grant;
      },
      async findAccount(_ctx, id) {
        const account = accounts.get(id);
        if (!account) return undefined;
        return {
          accountId: id,
          claims: async () => ({ sub: id, email_verified: true, ...account }),
        };
      },
    });
  return {
    issuer,
    accounts,
    /** The account the next sign-in at the provider is made as. */
    loginAs(id: string) {
      state.loginAs = id;
    },
    close: () => close(server),
  };
}

/**
 * Follows an authorization URL through the provider (its cookies kept as a browser would) until it
 * redirects to Trellis's callback; returns that callback URL's query string.
 */
export async function authorizeAtProvider(authorizationUrl: string): Promise<string> {
  const jar = new Map<string, string>();
  let next = authorizationUrl;
  for (let hop = 0; hop < 12; hop++) {
    const at = new URL(next);
    if (at.hostname === 'localhost' && at.pathname === '/api/auth/sso/callback') return at.search;
    const res = await fetch(next, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`the provider stopped at ${next}: ${res.status} ${await res.text()}`);
    next = new URL(location, next).href;
  }
  throw new Error('too many redirects at the provider');
}

export type RogueMode = 'good' | 'forged' | 'expired' | 'wrong-audience' | 'replayed-nonce';

/**
 * A minimal provider that signs its own ID tokens with jose, for what a real provider will not emit: a
 * token signed by a key not in its JWKS (forged), an expired one, one for another client (wrong audience),
 * one carrying the nonce of an earlier sign-in (replayed). Its `good` mode shows a valid token passes.
 */
export async function startRogueProvider(options: { clientId: string; claims: Record<string, unknown> }) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const other = await generateKeyPair('RS256', { extractable: true });
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  const codes = new Map<string, string>();
  const nonces: string[] = [];
  const state = { mode: 'good' as RogueMode, issuer: '' };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', state.issuer);
    const json = (body: unknown) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration')
      return json({
        issuer: state.issuer,
        authorization_endpoint: `${state.issuer}/auth`,
        token_endpoint: `${state.issuer}/token`,
        jwks_uri: `${state.issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      });
    if (url.pathname === '/jwks') return json(jwks);
    if (url.pathname === '/auth') {
      const code = `code-${codes.size + 1}`;
      const nonce = url.searchParams.get('nonce') ?? '';
      codes.set(code, nonce);
      nonces.push(nonce);
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.statusCode = 302;
      res.setHeader('location', back.href);
      return res.end();
    }
    if (url.pathname === '/token') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        void (async () => {
          const code = new URLSearchParams(body).get('code') ?? '';
          const mode = state.mode;
          const now = Math.floor(Date.now() / 1000);
          const nonce = mode === 'replayed-nonce' ? (nonces.at(-2) ?? '') : (codes.get(code) ?? '');
          const idToken = await new SignJWT({ ...options.claims, nonce })
            .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
            .setIssuer(state.issuer)
            .setSubject(String(options.claims.sub ?? 'rogue-subject'))
            .setAudience(mode === 'wrong-audience' ? 'another-client' : options.clientId)
            .setIssuedAt(mode === 'expired' ? now - 7200 : now)
            .setExpirationTime(mode === 'expired' ? now - 3600 : now + 600)
            .sign(mode === 'forged' ? other.privateKey : privateKey);
          json({ access_token: 'at', token_type: 'Bearer', expires_in: 600, id_token: idToken });
        })();
      });
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  state.issuer = await listen(server);
  return {
    issuer: state.issuer,
    setMode(mode: RogueMode) {
      state.mode = mode;
    },
    close: () => close(server),
  };
}
