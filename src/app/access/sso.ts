import * as oidc from 'openid-client';
import type { Actor } from '../../core/access/actor.js';
import {
  emailDomain,
  issuerProblem,
  mappingProblems,
  mapRoles,
  type RoleMappingLine,
} from '../../core/access/sso.js';
import type { Role } from '../../core/model/people.js';
import { TrellisError } from '../../core/shared/errors.js';
import { authRepository } from '../../db/repositories/auth-repository.js';
import { ssoRepository, type SsoConfigRow, type SsoOwner } from '../../db/repositories/sso-repository.js';
import { losingRaceIsConflict } from '../concurrency.js';
import type { AppContext } from '../context.js';
import { recordAudit } from './audit.js';
import { openSecret, sealSecret } from './secret-box.js';
import { hashSecret } from './secrets.js';
import { openSession, type SignInResult } from './sessions.js';

/** How long a started sign-in may take at the provider before its state is refused. */
const LOGIN_TTL_MS = 10 * 60_000;
/** How long Trellis waits for the provider (discovery, token endpoint, JWKS). */
const PROVIDER_TIMEOUT_S = 10;

/** What the API shows of a configuration: everything but the client secret. */
export interface SsoConfigView {
  id: string;
  vendorId: string | null;
  partnerId: string | null;
  issuer: string;
  clientId: string;
  clientSecretSet: true;
  scopes: string[];
  groupsClaim: string;
  roleMapping: RoleMappingLine[];
  emailDomains: string[];
  jitProvisioning: boolean;
  requireSso: boolean;
  updatedBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface SsoConfigInput {
  issuer: string;
  clientId: string;
  /** Required the first time; omitted later keeps the saved one. */
  clientSecret?: string | undefined;
  scopes?: string[] | undefined;
  groupsClaim?: string | undefined;
  roleMapping: { group: string; role: string }[];
  emailDomains?: string[] | undefined;
  jitProvisioning: boolean;
  requireSso: boolean;
  requestId?: string | undefined;
}

function view(row: SsoConfigRow): SsoConfigView {
  return {
    id: row.id,
    vendorId: row.vendorId,
    partnerId: row.partnerId,
    issuer: row.issuer,
    clientId: row.clientId,
    clientSecretSet: true,
    scopes: JSON.parse(row.scopes) as string[],
    groupsClaim: row.groupsClaim,
    roleMapping: JSON.parse(row.roleMapping) as RoleMappingLine[],
    emailDomains: JSON.parse(row.emailDomains) as string[],
    jitProvisioning: row.jit === 1,
    requireSso: row.requireSso === 1,
    updatedBy: row.updatedBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The organisation an admin configures: its own vendor or partner, never another. */
function ownerOf(actor: Actor): SsoOwner {
  if (actor.kind !== 'person')
    throw new TrellisError('forbidden', 'single sign-on is configured by a signed-in admin, not a token');
  if (actor.vendorId) return { vendorId: actor.vendorId };
  if (actor.partnerId) return { partnerId: actor.partnerId };
  throw new TrellisError('forbidden', 'this account belongs to no vendor or partner');
}

function ownerIds(owner: SsoOwner) {
  return {
    vendorId: 'vendorId' in owner ? owner.vendorId : null,
    partnerId: 'partnerId' in owner ? owner.partnerId : null,
  };
}

/**
 * Discovered providers, by issuer, client and secret (a changed configuration is a new key), kept for
 * DISCOVERY_TTL_MS: a sign-in does not fetch the provider's metadata each time, and a burst of sign-in
 * starts does not turn into a burst of requests to the provider. The JWKS is fetched by the client as
 * signatures need it (again when a token names a key it does not know).
 */
const discovered = new Map<string, { at: number; config: Promise<oidc.Configuration> }>();
const DISCOVERY_TTL_MS = 10 * 60_000;
const DISCOVERY_CACHE_MAX = 1_000;

function discoverCached(
  ctx: AppContext,
  issuer: string,
  clientId: string,
  clientSecret: string,
): Promise<oidc.Configuration> {
  const key = hashSecret(`${issuer}\u0000${clientId}\u0000${clientSecret}`);
  const now = ctx.clock.now().getTime();
  const hit = discovered.get(key);
  if (hit && now - hit.at >= 0 && now - hit.at < DISCOVERY_TTL_MS) return hit.config;
  if (discovered.size >= DISCOVERY_CACHE_MAX) discovered.clear();
  const config = discover(issuer, clientId, clientSecret);
  discovered.set(key, { at: now, config });
  // A failed discovery is not kept: the next sign-in tries again.
  config.catch(() => {
    if (discovered.get(key)?.config === config) discovered.delete(key);
  });
  return config;
}

/** The provider's metadata, found through discovery; http is allowed only for loopback issuers. */
async function discover(issuer: string, clientId: string, clientSecret: string): Promise<oidc.Configuration> {
  const url = new URL(issuer);
  const config = await oidc.discovery(
    url,
    clientId,
    { client_secret: clientSecret },
    oidc.ClientSecretBasic(clientSecret),
    {
      timeout: PROVIDER_TIMEOUT_S,
      ...(url.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}),
    },
  );
  // The ID token's signature is checked against the provider's JWKS even though it came straight from
  // the token endpoint (OIDC allows skipping that check; Trellis does not skip it).
  oidc.enableNonRepudiationChecks(config);
  return config;
}

function reasonOf(e: unknown): string {
  if (e instanceof oidc.ResponseBodyError)
    return `${e.error}${e.error_description ? `: ${e.error_description}` : ''}`;
  if (e instanceof oidc.AuthorizationResponseError)
    return `${e.error}${e.error_description ? `: ${e.error_description}` : ''}`;
  if (e instanceof Error) {
    const cause = e.cause instanceof Error ? ` (${e.cause.message})` : '';
    return `${e.message}${cause}`;
  }
  return String(e);
}

export async function getSsoConfig(ctx: AppContext, actor: Actor): Promise<SsoConfigView | null> {
  return ssoConfigOf(ctx, ownerOf(actor));
}

/** An organisation's configuration, for its admin or the operator's CLI (null: none). */
export async function ssoConfigOf(ctx: AppContext, owner: SsoOwner): Promise<SsoConfigView | null> {
  const row = await ssoRepository(ctx.store.db).configOf(owner);
  return row ? view(row) : null;
}

/** Who saves or removes a configuration: an admin of the organisation, or the operator (CLI). */
type Editor = Actor | { kind: 'system'; id: string };

/** An organisation named by the operator: a vendor by slug or id, or a partner by id. */
export async function ssoOwnerNamed(
  ctx: AppContext,
  by: { vendor?: string | undefined; partner?: string | undefined },
): Promise<SsoOwner> {
  if (Boolean(by.vendor) === Boolean(by.partner))
    throw new TrellisError('invalid_input', 'name one organisation: --vendor <slug> or --partner <id>');
  if (by.vendor) {
    const vendor = await ctx.repos.vendors.findBySlugOrId(by.vendor);
    if (!vendor) throw new TrellisError('not_found', `no vendor has the slug or id ${by.vendor}`);
    return { vendorId: vendor.id };
  }
  const partner = await ctx.repos.partners.findById(by.partner!);
  if (!partner) throw new TrellisError('not_found', `no partner has the id ${by.partner}`);
  return { partnerId: partner.id };
}

/**
 * Saves the admin's organisation's provider. Refused, with nothing saved, when the issuer is not a
 * usable URL, a mapped role is not one of the organisation's side, or discovery fails (its reason).
 * The client secret is encrypted; it is never returned.
 */
export async function putSsoConfig(
  ctx: AppContext,
  actor: Actor,
  input: SsoConfigInput,
): Promise<{ config: SsoConfigView; created: boolean }> {
  return saveSsoConfig(ctx, ownerOf(actor), actor, input);
}

/** putSsoConfig for a named organisation: the operator's `trellis sso configure`. */
export async function saveSsoConfig(
  ctx: AppContext,
  owner: SsoOwner,
  actor: Editor,
  input: SsoConfigInput,
): Promise<{ config: SsoConfigView; created: boolean }> {
  const side = 'vendorId' in owner ? 'vendor' : 'partner';
  const issuer = input.issuer.trim().replace(/\/+$/, '');
  const problem = issuerProblem(issuer);
  if (problem)
    throw new TrellisError('invalid_input', problem, [{ location: 'body.issuer', message: problem }]);
  const problems = mappingProblems(input.roleMapping, side);
  if (problems.length > 0)
    throw new TrellisError(
      'invalid_input',
      problems.map((p) => `${p.location}: ${p.message}`).join('; '),
      problems,
    );
  const domains = [...new Set((input.emailDomains ?? []).map((d) => d.trim().toLowerCase()))];
  const badDomain = domains.findIndex((d) => emailDomain(`x@${d}`) !== d);
  if (badDomain >= 0)
    throw new TrellisError('invalid_input', `"${domains[badDomain]}" is not an e-mail domain`, [
      { location: `body.emailDomains[${badDomain}]`, message: 'a domain such as example.com' },
    ]);
  const repo = ssoRepository(ctx.store.db);
  const existing = await repo.configOf(owner);
  if (!existing && !input.clientSecret)
    throw new TrellisError('invalid_input', 'the client secret is required the first time', [
      { location: 'body.clientSecret', message: 'required' },
    ]);
  const secret = input.clientSecret ?? openSecret(ctx.settings.secretsKey, existing!.clientSecret);
  const sealed = sealSecret(ctx.settings.secretsKey, secret);
  try {
    await discover(issuer, input.clientId, secret);
  } catch (e) {
    const reason = `discovery of ${issuer}/.well-known/openid-configuration failed: ${reasonOf(e)}`;
    throw new TrellisError('invalid_input', reason, [{ location: 'body.issuer', message: reason }]);
  }
  const now = ctx.clock.now().toISOString();
  const scopes = [...new Set(['openid', ...(input.scopes ?? ['email', 'profile'])])];
  const fields = {
    issuer,
    clientId: input.clientId,
    clientSecret: sealed,
    scopes: JSON.stringify(scopes),
    groupsClaim: input.groupsClaim ?? 'groups',
    roleMapping: JSON.stringify(input.roleMapping.map((m) => ({ group: m.group, role: m.role }))),
    emailDomains: JSON.stringify(domains),
    jit: input.jitProvisioning ? 1 : 0,
    requireSso: input.requireSso ? 1 : 0,
    updatedBy: actor.kind === 'person' ? actor.personId : actor.kind === 'token' ? actor.tokenId : actor.id,
    updatedAt: now,
  };
  return losingRaceIsConflict('the single sign-on configuration', () =>
    ctx.store.db.transaction().execute(async (trx) => {
      const r = ssoRepository(trx);
      const before = await r.configOf(owner);
      const row: SsoConfigRow = before
        ? { ...before, ...fields }
        : { id: ctx.ids.next('ssoConfig'), ...ownerIds(owner), createdAt: now, ...fields };
      if (before) await r.updateConfig(before.id, fields);
      else await r.insertConfig(row);
      await recordAudit(trx, ctx, {
        actor,
        action: before ? 'sso.update' : 'sso.create',
        target: { type: 'sso-config', id: row.id, ...ownerIds(owner) },
        ...(before ? { before: { ...view(before) } } : {}),
        after: { ...view(row) },
        requestId: input.requestId ?? null,
        detail: { secretChanged: input.clientSecret !== undefined },
      });
      return { config: view(row), created: !before };
    }),
  );
}

/** Removes the organisation's provider; its people sign in with passwords again. Idempotent. */
export async function deleteSsoConfig(ctx: AppContext, actor: Actor, requestId?: string): Promise<void> {
  return removeSsoConfig(ctx, ownerOf(actor), actor, requestId);
}

/** deleteSsoConfig for a named organisation: the operator's `trellis sso remove`. */
export async function removeSsoConfig(
  ctx: AppContext,
  owner: SsoOwner,
  actor: Editor,
  requestId?: string,
): Promise<void> {
  const existing = await ssoRepository(ctx.store.db).configOf(owner);
  if (!existing) throw new TrellisError('not_found', 'this organisation has no single sign-on configuration');
  await ctx.store.db.transaction().execute(async (trx) => {
    if (!(await ssoRepository(trx).deleteConfig(existing.id))) return;
    await recordAudit(trx, ctx, {
      actor,
      action: 'sso.delete',
      target: { type: 'sso-config', id: existing.id, ...ownerIds(owner) },
      before: { ...view(existing) },
      requestId: requestId ?? null,
    });
  });
}

/** The configuration of an organisation named by vendor slug or partner id, or of an e-mail's domain. */
async function configFor(ctx: AppContext, by: { org?: string | undefined; email?: string | undefined }) {
  const repo = ssoRepository(ctx.store.db);
  if (by.org) {
    const vendor = await ctx.repos.vendors.findBySlugOrId(by.org);
    if (vendor) return repo.configOf({ vendorId: vendor.id });
    const partner = await ctx.repos.partners.findById(by.org);
    if (partner) return repo.configOf({ partnerId: partner.id });
    return undefined;
  }
  const domain = by.email ? emailDomain(by.email) : null;
  if (!domain) return undefined;
  return (await repo.allConfigs()).find((c) => (JSON.parse(c.emailDomains) as string[]).includes(domain));
}

/**
 * Starts a sign-in at the organisation's provider: a random state, nonce and PKCE verifier, kept
 * server-side for a few minutes (only the state's hash is the key), and the provider's authorization URL.
 */
export async function startSso(
  ctx: AppContext,
  input: {
    org?: string | undefined;
    email?: string | undefined;
    redirectUri: string;
    returnTo?: string | undefined;
  },
): Promise<{ authorizationUrl: string }> {
  if (!input.org && !input.email)
    throw new TrellisError(
      'invalid_input',
      'name your organisation (org) or give your e-mail address (email)',
      [{ location: 'query.org', message: 'a vendor slug or partner id, or query.email' }],
    );
  // Normalised as the callback will rebuild it (`http://host:80/x` is `http://host/x`): the provider
  // compares the redirect URI of the token request with the authorization request's, exactly.
  const redirectUri = new URL(input.redirectUri).href;
  const config = await configFor(ctx, input);
  if (!config)
    throw new TrellisError(
      'not_found',
      input.org
        ? `the organisation "${input.org}" does not sign in through an identity provider`
        : `no organisation signs in through an identity provider for the e-mail domain of ${input.email}`,
    );
  const secret = openSecret(ctx.settings.secretsKey, config.clientSecret);
  let provider: oidc.Configuration;
  try {
    provider = await discoverCached(ctx, config.issuer, config.clientId, secret);
  } catch (e) {
    throw new TrellisError('upstream_unreachable', `the identity provider cannot be reached: ${reasonOf(e)}`);
  }
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const now = ctx.clock.now();
  const repo = ssoRepository(ctx.store.db);
  await repo.pruneLogins(new Date(now.getTime() - LOGIN_TTL_MS).toISOString());
  await repo.insertLogin({
    stateHash: hashSecret(state),
    configId: config.id,
    nonce,
    codeVerifier,
    redirectUri,
    returnTo: safeReturnTo(input.returnTo),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + LOGIN_TTL_MS).toISOString(),
    usedAt: null,
  });
  const url = oidc.buildAuthorizationUrl(provider, {
    redirect_uri: redirectUri,
    scope: (JSON.parse(config.scopes) as string[]).join(' '),
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { authorizationUrl: url.href };
}

/** Only a path of this site: never an absolute URL elsewhere (an open redirect). */
function safeReturnTo(value: string | undefined): string {
  return value && /^\/(?![/\\])/.test(value) ? value : '/';
}

export type SsoCallbackResult = { session: SignInResult; returnTo: string };

/**
 * Finishes a sign-in: the state must name a started, unexpired sign-in not used before (a replay is
 * refused); the code is exchanged with the PKCE verifier; the ID token's signature (the provider's JWKS),
 * issuer, audience, expiry and nonce are checked by openid-client; the groups map to roles; the person is
 * found (by provider subject, then e-mail within the organisation) or provisioned just in time when the
 * organisation allows it; then the usual session opens. Each refusal says why and is audited.
 */
export async function finishSso(
  ctx: AppContext,
  input: { query: Record<string, string>; userAgent: string | null; requestId?: string | undefined },
): Promise<SsoCallbackResult> {
  const state = input.query.state;
  if (!state) throw refused('the provider sent no state; start the sign-in again', 'ssoStartAgain');
  const repo = ssoRepository(ctx.store.db);
  const stateHash = hashSecret(state);
  const login = await repo.loginByStateHash(stateHash);
  if (!login) throw refused('this sign-in is unknown or expired; start it again', 'ssoStartAgain');
  const now = ctx.clock.now();
  if (login.usedAt)
    throw refused(
      'this sign-in was already used (a replayed state or nonce); start it again',
      'ssoStartAgain',
    );
  if (new Date(login.expiresAt) <= now)
    throw refused('this sign-in expired; start it again', 'ssoStartAgain');
  if (!(await repo.useLogin(stateHash, now.toISOString())))
    throw refused(
      'this sign-in was already used (a replayed state or nonce); start it again',
      'ssoStartAgain',
    );
  const config = await repo.configById(login.configId);
  if (!config) throw refused('the organisation no longer signs in through this provider', 'ssoNotConfigured');
  const owner = { vendorId: config.vendorId, partnerId: config.partnerId };
  const fail = async (reason: string, key: SsoRefusal, detail: Record<string, unknown> = {}) => {
    await recordAudit(ctx.store.db, ctx, {
      actor: { kind: 'anonymous' },
      action: 'auth.sso-refused',
      target: { type: 'sso-config', id: config.id, ...owner },
      requestId: input.requestId ?? null,
      detail: { reason, ...detail },
    });
    return refused(reason, key);
  };

  let claims: oidc.IDToken;
  try {
    const provider = await discoverCached(
      ctx,
      config.issuer,
      config.clientId,
      openSecret(ctx.settings.secretsKey, config.clientSecret),
    );
    const currentUrl = new URL(login.redirectUri);
    for (const [k, v] of Object.entries(input.query)) currentUrl.searchParams.set(k, v);
    const tokens = await oidc.authorizationCodeGrant(provider, currentUrl, {
      pkceCodeVerifier: login.codeVerifier,
      expectedNonce: login.nonce,
      expectedState: state,
      idTokenExpected: true,
    });
    const c = tokens.claims();
    if (!c) throw new Error('the provider sent no ID token');
    claims = c;
  } catch (e) {
    throw await fail(`the identity provider's answer was refused: ${reasonOf(e)}`, 'ssoProviderRefused');
  }

  const mapped = mapRoles(
    claims[config.groupsClaim],
    config.groupsClaim,
    JSON.parse(config.roleMapping) as RoleMappingLine[],
  );
  if (mapped.status === 'refused') throw await fail(mapped.reason, 'ssoNoRole', { subject: claims.sub });
  // An e-mail the provider says it has not verified names nobody: it neither finds nor creates a person.
  const email =
    typeof claims.email === 'string' && claims.email_verified !== false
      ? claims.email.trim().toLowerCase()
      : '';
  const auth = authRepository(ctx.store.db);
  const boundId = await repo.personIdOfIdentity(config.issuer, claims.sub);
  const person = boundId
    ? await auth.personById(boundId)
    : email
      ? await auth.personByEmail(email)
      : undefined;
  if (person && (person.vendorId !== owner.vendorId || person.partnerId !== owner.partnerId))
    throw await fail(`the account ${person.email} belongs to another organisation`, 'ssoOtherOrganisation', {
      subject: claims.sub,
    });
  if (!person && !config.jit)
    throw await fail(
      `${email || claims.sub} has no Trellis account and this organisation does not create accounts on first sign-in; ask your administrator`,
      'ssoNoAccount',
      { subject: claims.sub },
    );
  if (!person && !emailDomain(email))
    throw await fail(
      'the identity provider sent no e-mail address, needed to create your account',
      'ssoNoEmail',
      {
        subject: claims.sub,
      },
    );
  const name = typeof claims.name === 'string' && claims.name ? claims.name : email;

  const session = await losingRaceIsConflict('this account', () =>
    ctx.store.db.transaction().execute(async (trx) => {
      const a = authRepository(trx);
      const r = ssoRepository(trx);
      let personId = person?.id;
      if (!personId) {
        personId = ctx.ids.next('person');
        await a.insertPerson(
          { id: personId, email, name, ...owner, createdAt: now.toISOString() },
          { id: ctx.ids.next('roleGrant'), personId, role: mapped.roles[0]!, ...owner, regions: '[]' },
        );
        await recordAudit(trx, ctx, {
          actor: { kind: 'system', id: 'sso' },
          action: 'person.create',
          target: { type: 'person', id: personId, ...owner },
          after: { email, name, roles: mapped.roles },
          requestId: input.requestId ?? null,
          detail: { via: 'sso', issuer: config.issuer, subject: claims.sub },
        });
      }
      const had = person?.roles.map((g) => g.role).sort() ?? [];
      const roles: Role[] = [...mapped.roles].sort();
      if (had.join() !== roles.join()) {
        await r.setRoles(
          personId,
          owner,
          roles.map((role) => ({ id: ctx.ids.next('roleGrant'), role })),
        );
        if (person)
          await recordAudit(trx, ctx, {
            actor: { kind: 'system', id: 'sso' },
            action: 'person.roles-from-sso',
            target: { type: 'person', id: personId, ...owner },
            before: { roles: had },
            after: { roles },
            requestId: input.requestId ?? null,
            detail: { groups: mapped.groups },
          });
      }
      await r.bindIdentity({
        issuer: config.issuer,
        subject: claims.sub,
        personId,
        createdAt: now.toISOString(),
      });
      const signedIn = await a.personById(personId);
      return openSession(trx, ctx, signedIn!, {
        userAgent: input.userAgent,
        requestId: input.requestId,
        via: 'sso',
      });
    }),
  );
  return { session, returnTo: login.returnTo };
}

/**
 * Why a single sign-on was refused, as a code the sign-in page translates. A browser is sent back with the
 * code alone (never the sentence: a link anyone can craft must not put words on the page); the sentence,
 * with its details, is the API's problem and the audit trail's.
 */
export const SSO_REFUSALS = [
  'ssoStartAgain',
  'ssoNotConfigured',
  'ssoProviderRefused',
  'ssoNoRole',
  'ssoOtherOrganisation',
  'ssoNoAccount',
  'ssoNoEmail',
] as const;
export type SsoRefusal = (typeof SSO_REFUSALS)[number];

function refused(reason: string, key: SsoRefusal): TrellisError {
  return new TrellisError('unauthenticated', `single sign-on refused: ${reason}`, [], { messageKey: key });
}
