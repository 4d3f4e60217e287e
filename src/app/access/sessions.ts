import type { Actor, PersonActor, TokenActor, TokenScope } from '../../core/access/actor.js';
import { capabilitiesOf } from '../../core/access/capabilities.js';
import { isRole } from '../../core/model/people.js';
import { TrellisError } from '../../core/shared/errors.js';
import {
  authRepository,
  tokenByHashCached,
  type PersonWithRoles,
} from '../../db/repositories/auth-repository.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { ssoRepository } from '../../db/repositories/sso-repository.js';
import type { AppContext } from '../context.js';
import { recordAudit } from './audit.js';
import { hashPassword, hashSecret, newSecret, sameHash, verifyPassword } from './secrets.js';

/** Verifying against this when the email is unknown keeps the answer time the same either way. */
let dummyHash: Promise<string> | undefined;

export interface SignInResult {
  sessionToken: string;
  csrfToken: string;
  expiresAt: string;
  person: PersonActor;
}

export function toPersonActor(p: PersonWithRoles, sessionId: string): PersonActor {
  const roles = p.roles.map((r) => r.role).filter(isRole);
  const regions = [...new Set(p.roles.flatMap((r) => JSON.parse(r.regions) as string[]))];
  return {
    kind: 'person',
    personId: p.id,
    sessionId,
    email: p.email,
    name: p.name,
    vendorId: p.vendorId,
    partnerId: p.partnerId,
    roles,
    regions,
  };
}

/** How long a run of failed attempts is remembered after the last attempt. */
const THROTTLE_MEMORY_MS = 24 * 3600_000;

/**
 * The throttle keys of an attempt and their free attempts: the (email, client address) pair, so that an
 * attacker elsewhere cannot lock the owner out, and the client address, so that spraying many emails
 * from one address backs off. Documented in the README ("Sign-in throttling").
 */
function throttleKeys(ctx: AppContext, email: string, clientAddress: string) {
  const s = ctx.settings.access;
  return [
    { key: `pair:${email}|${clientAddress}`, free: s.freeFailures },
    { key: `addr:${clientAddress}`, free: s.freeFailuresPerAddress },
  ];
}

function rateLimited(now: Date, blockedUntil: Date): TrellisError {
  const seconds = Math.max(1, Math.ceil((blockedUntil.getTime() - now.getTime()) / 1000));
  return new TrellisError('rate_limited', `too many failed sign-ins; try again in ${seconds} s`, [], {
    retryAfterSeconds: seconds,
  });
}

/**
 * Counts an attempt under every key before the (slow) password check, atomically, so concurrent attempts
 * cannot all slip through: the first free attempts of a key pass; past them, one attempt per back-off
 * window passes (the one that claims the window) and the others get a 429 with Retry-After.
 */
async function admitAttempt(ctx: AppContext, keys: { key: string; free: number }[], now: Date) {
  const repo = authRepository(ctx.store.db);
  const s = ctx.settings.access;
  const nowIso = now.toISOString();
  const staleBefore = new Date(now.getTime() - THROTTLE_MEMORY_MS).toISOString();
  for (const { key, free } of keys) {
    const { failures, blockedUntil } = await repo.countAttempt(key, nowIso, staleBefore);
    if (failures <= free) continue;
    if (new Date(blockedUntil) > now) throw rateLimited(now, new Date(blockedUntil));
    const delay = Math.min(s.maxBackoffMs, s.baseBackoffMs * 2 ** Math.min(failures - free - 1, 40));
    const until = new Date(now.getTime() + delay);
    if (!(await repo.claimAttempt(key, nowIso, until.toISOString()))) throw rateLimited(now, until);
  }
}

/**
 * Email and password sign-in. Wrong email and wrong password get the same answer in the same time.
 * Attempts are throttled per (email, client address) and per client address (see admitAttempt): past
 * the free attempts, further ones wait an exponentially growing delay (a 429 with Retry-After), whether
 * or not the password is right. A success clears its own pair and takes back its own attempt from the
 * address count, never anyone else's.
 */
export async function signIn(
  ctx: AppContext,
  input: {
    email: string;
    password: string;
    clientAddress: string;
    userAgent: string | null;
    requestId?: string;
  },
): Promise<SignInResult> {
  const repo = authRepository(ctx.store.db);
  const now = ctx.clock.now();
  const email = input.email.trim().toLowerCase();
  const keys = throttleKeys(ctx, email, input.clientAddress);
  await admitAttempt(ctx, keys, now);
  const person = await repo.personByEmail(email);
  const stored = person ? await repo.passwordHash(person.id) : undefined;
  dummyHash ??= hashPassword('not-a-real-password-for-timing');
  const ok = await verifyPassword(stored ?? (await dummyHash), input.password);
  if (!person || !stored || !ok) {
    if (person) {
      await recordAudit(ctx.store.db, ctx, {
        actor: { kind: 'anonymous' },
        action: 'auth.sign-in-failed',
        target: { type: 'person', id: person.id, vendorId: person.vendorId, partnerId: person.partnerId },
        requestId: input.requestId ?? null,
        detail: { clientAddress: input.clientAddress },
      });
    }
    throw new TrellisError('unauthenticated', 'email or password is wrong');
  }
  const sso = await ssoRequiredFor(ctx, person);
  if (sso)
    throw new TrellisError(
      'forbidden',
      `${sso} requires single sign-on: use "Sign in with your company's identity provider" instead of a password`,
    );
  return ctx.store.db.transaction().execute(async (trx) => {
    const r = authRepository(trx);
    const [pair, address] = keys;
    if (pair) await r.clearThrottle(pair.key);
    if (address) await r.forgiveAttempt(address.key);
    return openSession(trx, ctx, person, { userAgent: input.userAgent, requestId: input.requestId });
  });
}

/** The name of the person's organisation when it requires single sign-on; null when passwords are allowed. */
async function ssoRequiredFor(ctx: AppContext, person: PersonWithRoles): Promise<string | null> {
  const owner = person.vendorId
    ? { vendorId: person.vendorId }
    : person.partnerId
      ? { partnerId: person.partnerId }
      : null;
  if (!owner) return null;
  const config = await ssoRepository(ctx.store.db).configOf(owner);
  return config?.requireSso ? 'your organisation' : null;
}

/**
 * Opens a session for a person who proved who they are (a password, or an ID token of their
 * organisation's provider), inside the caller's transaction, and audits it as `auth.sign-in`.
 */
export async function openSession(
  trx: Kysely<Database>,
  ctx: AppContext,
  person: PersonWithRoles,
  input: { userAgent: string | null; requestId?: string | undefined; via?: 'password' | 'sso' },
): Promise<SignInResult> {
  const now = ctx.clock.now();
  const sessionToken = newSecret('trs');
  const csrfToken = newSecret('csrf');
  const sessionId = ctx.ids.next('session');
  const expiresAt = new Date(now.getTime() + ctx.settings.access.sessionTtlMs).toISOString();
  await authRepository(trx).insertSession({
    id: sessionId,
    tokenHash: hashSecret(sessionToken),
    csrfHash: hashSecret(csrfToken),
    personId: person.id,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt,
    endedAt: null,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
  });
  const actor = toPersonActor(person, sessionId);
  await recordAudit(trx, ctx, {
    actor,
    action: 'auth.sign-in',
    target: { type: 'session', id: sessionId, vendorId: person.vendorId, partnerId: person.partnerId },
    after: { sessionId, personId: person.id, expiresAt },
    requestId: input.requestId ?? null,
    ...(input.via === 'sso' ? { detail: { via: 'sso' } } : {}),
  });
  return { sessionToken, csrfToken, expiresAt, person: actor };
}

export type Authentication =
  | { actor: PersonActor; via: 'session'; csrfHash: string }
  | { actor: TokenActor; via: 'token' }
  | { actor: null; via: 'none'; problem: string | null };

/** Who is calling: a session cookie's person, a bearer token's integration, or nobody (with why). */
export async function authenticate(
  ctx: AppContext,
  credentials: { sessionToken?: string | undefined; bearer?: string | undefined },
): Promise<Authentication> {
  const repo = authRepository(ctx.store.db);
  const now = ctx.clock.now();
  if (credentials.bearer) {
    const token = await tokenByHashCached(ctx.store, hashSecret(credentials.bearer));
    if (!token) return { actor: null, via: 'none', problem: 'the API token is not valid' };
    if (token.revokedAt) return { actor: null, via: 'none', problem: 'the API token was revoked' };
    if (token.expiresAt && new Date(token.expiresAt) <= now)
      return { actor: null, via: 'none', problem: 'the API token has expired' };
    if (!isRole(token.role))
      return { actor: null, via: 'none', problem: 'the API token has an unknown role' };
    if (!token.lastUsedAt || now.getTime() - new Date(token.lastUsedAt).getTime() > 60_000)
      await note(repo.tokenUsed(token.id, now.toISOString()));
    return {
      via: 'token',
      actor: {
        kind: 'token',
        tokenId: token.id,
        vendorId: token.vendorId,
        partnerId: token.partnerId,
        role: token.role,
        scopes: JSON.parse(token.scopes) as TokenScope[],
      },
    };
  }
  if (credentials.sessionToken) {
    const session = await repo.sessionByTokenHash(hashSecret(credentials.sessionToken));
    if (!session) return { actor: null, via: 'none', problem: 'the session is not valid; sign in again' };
    if (session.endedAt) return { actor: null, via: 'none', problem: 'the session has ended; sign in again' };
    if (new Date(session.expiresAt) <= now)
      return { actor: null, via: 'none', problem: 'the session has expired; sign in again' };
    if (now.getTime() - new Date(session.lastSeenAt).getTime() > ctx.settings.access.sessionIdleMs)
      return { actor: null, via: 'none', problem: 'the session timed out after inactivity; sign in again' };
    const person = await repo.personById(session.personId);
    if (!person) return { actor: null, via: 'none', problem: 'the session is not valid; sign in again' };
    if (now.getTime() - new Date(session.lastSeenAt).getTime() > 60_000)
      await note(repo.touchSession(session.id, now.toISOString()));
    return { via: 'session', actor: toPersonActor(person, session.id), csrfHash: session.csrfHash };
  }
  return { actor: null, via: 'none', problem: null };
}

/** How long a request waits for a last-use note before going on without it. */
const NOTE_WAIT_MS = 1_000;

/**
 * Waits for a last-use note (a bookkeeping write) at most NOTE_WAIT_MS: behind another thread's write
 * transaction (a close job on SQLite) the request goes on and the note lands when the lock is free.
 */
function note(write: Promise<void>): Promise<unknown> {
  const settled = write.catch(() => undefined);
  return Promise.race([settled, new Promise((resolve) => setTimeout(resolve, NOTE_WAIT_MS).unref())]);
}

/** Cookie-authenticated writes must echo the session's CSRF token in a header. */
export function csrfMatches(csrfHash: string, headerValue: string | undefined): boolean {
  return (
    typeof headerValue === 'string' && headerValue.length > 0 && sameHash(csrfHash, hashSecret(headerValue))
  );
}

export async function signOut(ctx: AppContext, actor: PersonActor, requestId?: string): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    // Concurrent sign-outs of one session: only the one that ended it is audited.
    if (!(await authRepository(trx).endSession(actor.sessionId, ctx.clock.now().toISOString()))) return;
    await recordAudit(trx, ctx, {
      actor,
      action: 'auth.sign-out',
      target: { type: 'session', id: actor.sessionId, vendorId: actor.vendorId, partnerId: actor.partnerId },
      requestId: requestId ?? null,
    });
  });
}

/** `trellis users reset-password <email>`: a one-time token, valid for an hour, to set a new password. */
export async function createPasswordReset(
  ctx: AppContext,
  email: string,
): Promise<{ token: string; expiresAt: string; personId: string }> {
  const repo = authRepository(ctx.store.db);
  const person = await repo.personByEmail(email.trim().toLowerCase());
  if (!person) throw new TrellisError('not_found', `no person has the email ${email}`);
  const token = newSecret('trr');
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + ctx.settings.access.resetTokenTtlMs).toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    await authRepository(trx).insertReset({
      tokenHash: hashSecret(token),
      personId: person.id,
      createdAt: now.toISOString(),
      expiresAt,
    });
    await recordAudit(trx, ctx, {
      actor: { kind: 'system', id: 'cli' },
      action: 'auth.password-reset-issued',
      target: { type: 'person', id: person.id, vendorId: person.vendorId, partnerId: person.partnerId },
      detail: { expiresAt },
    });
  });
  return { token, expiresAt, personId: person.id };
}

/** Sets a new password with a reset token; ends every session of that person. */
export async function resetPassword(
  ctx: AppContext,
  input: { token: string; password: string; requestId?: string },
): Promise<void> {
  if (input.password.length < ctx.settings.access.minPasswordLength)
    throw new TrellisError(
      'invalid_input',
      `the password must have at least ${ctx.settings.access.minPasswordLength} characters`,
      [
        {
          location: 'body.password',
          message: `at least ${ctx.settings.access.minPasswordLength} characters`,
        },
      ],
    );
  const repo = authRepository(ctx.store.db);
  const tokenHash = hashSecret(input.token);
  const reset = await repo.resetByHash(tokenHash);
  const now = ctx.clock.now();
  if (!reset || reset.usedAt || new Date(reset.expiresAt) <= now)
    throw new TrellisError(
      'invalid_input',
      'the reset token is unknown, used or expired; ask for a new one',
      [{ location: 'body.token', message: 'unknown, used or expired' }],
    );
  const person = await repo.personById(reset.personId);
  if (!person) throw new TrellisError('invalid_input', 'the reset token is unknown, used or expired');
  const passwordHash = await hashPassword(input.password);
  await ctx.store.db.transaction().execute(async (trx) => {
    const r = authRepository(trx);
    if (!(await r.useReset(tokenHash, now.toISOString())))
      throw new TrellisError('invalid_input', 'the reset token was already used');
    await r.setPassword(person.id, passwordHash, now.toISOString());
    await r.endSessionsOf(person.id, now.toISOString());
    await recordAudit(trx, ctx, {
      actor: { kind: 'anonymous' },
      action: 'auth.password-reset',
      target: { type: 'person', id: person.id, vendorId: person.vendorId, partnerId: person.partnerId },
      requestId: input.requestId ?? null,
    });
  });
}

export function describeActor(actor: Actor) {
  const can = capabilitiesOf(actor);
  return actor.kind === 'person'
    ? {
        kind: actor.kind,
        id: actor.personId,
        email: actor.email,
        name: actor.name,
        vendorId: actor.vendorId,
        partnerId: actor.partnerId,
        roles: [...actor.roles],
        regions: [...actor.regions],
        can,
      }
    : {
        kind: actor.kind,
        id: actor.tokenId,
        vendorId: actor.vendorId,
        partnerId: actor.partnerId,
        roles: [actor.role],
        scopes: [...actor.scopes],
        can,
      };
}
