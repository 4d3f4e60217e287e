import { primaryRole, ROLE_STRENGTH, type Actor, type TokenScope } from '../../core/access/actor.js';
import { tokenScopesOf } from '../../core/access/policy.js';
import type { Role } from '../../core/model/people.js';
import { TrellisError, notFound } from '../../core/shared/errors.js';
import { authRepository, type TokenRow } from '../../db/repositories/auth-repository.js';
import type { AppContext } from '../context.js';
import { recordAudit } from './audit.js';
import { hashSecret, newSecret } from './secrets.js';

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  vendorId: string | null;
  partnerId: string | null;
  role: string;
  scopes: TokenScope[];
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function view(t: TokenRow): TokenView {
  return { ...t, scopes: JSON.parse(t.scopes) as TokenScope[] };
}

function ownerOf(actor: Actor): { vendorId: string } | { partnerId: string } {
  if (actor.vendorId) return { vendorId: actor.vendorId };
  if (actor.partnerId) return { partnerId: actor.partnerId };
  throw new TrellisError('forbidden', 'this account belongs to no vendor or partner');
}

/**
 * Creates an API token for the admin's own vendor or partner. The token text is returned once and
 * only its hash is kept. The token acts with one role its creator holds (default: the strongest one that
 * can use the scopes asked for) and carries only scopes that role can use (tokenScopesOf).
 */
export async function createApiToken(
  ctx: AppContext,
  actor: Actor,
  input: {
    name: string;
    scopes: TokenScope[];
    role?: Role | undefined;
    expiresInDays?: number | undefined;
    requestId?: string;
  },
): Promise<{ token: string; tokenInfo: TokenView }> {
  if (actor.kind !== 'person')
    throw new TrellisError('forbidden', 'only a signed-in admin may create API tokens');
  const owner = ownerOf(actor);
  // A token carries one role its creator holds, and only scopes that do something for that role.
  const scopes = [...new Set(input.scopes)];
  // Without a role: the strongest role the creator holds that can use every scope asked for.
  const role =
    input.role ??
    ROLE_STRENGTH.find((r) => actor.roles.includes(r) && scopes.every((s) => tokenScopesOf(r).includes(s))) ??
    primaryRole(actor);
  if (!role || !actor.roles.includes(role))
    throw new TrellisError(
      'invalid_input',
      `a token may only carry a role you hold (${actor.roles.join(', ') || 'none'}), not ${role ?? 'none'}`,
      [{ location: 'body.role', message: `one of ${actor.roles.join(', ') || '(none)'}` }],
    );
  const allowed = tokenScopesOf(role);
  const refused = scopes.filter((s) => !allowed.includes(s));
  if (refused.length > 0)
    throw new TrellisError(
      'invalid_input',
      `a ${role} token cannot carry ${refused.map((s) => `"${s}"`).join(', ')}: the role may not do what it allows; scopes for ${role}: ${allowed.join(', ')}`,
      [{ location: 'body.scopes', message: `each one of ${allowed.join(', ')}` }],
    );
  const token = newSecret('trl');
  const now = ctx.clock.now();
  const row: TokenRow = {
    id: ctx.ids.next('apiToken'),
    prefix: token.slice(0, 10),
    name: input.name,
    vendorId: 'vendorId' in owner ? owner.vendorId : null,
    partnerId: 'partnerId' in owner ? owner.partnerId : null,
    role,
    scopes: JSON.stringify(scopes),
    createdBy: actor.personId,
    createdAt: now.toISOString(),
    expiresAt: input.expiresInDays
      ? new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString()
      : null,
    lastUsedAt: null,
    revokedAt: null,
  };
  await ctx.store.db.transaction().execute(async (trx) => {
    await authRepository(trx).insertToken({ ...row, tokenHash: hashSecret(token) });
    await recordAudit(trx, ctx, {
      actor,
      action: 'token.create',
      target: { type: 'api-token', id: row.id, vendorId: row.vendorId, partnerId: row.partnerId },
      after: { ...row },
      requestId: input.requestId ?? null,
      detail: { name: row.name, role, scopes },
    });
  });
  return { token, tokenInfo: view(row) };
}

export async function listApiTokens(ctx: AppContext, actor: Actor): Promise<TokenView[]> {
  return (await authRepository(ctx.store.db).tokensOf(ownerOf(actor))).map(view);
}

/** Revokes a token of the admin's own vendor or partner; another tenant's token is "not found". */
export async function revokeApiToken(
  ctx: AppContext,
  actor: Actor,
  tokenId: string,
  requestId?: string,
): Promise<TokenView> {
  const owner = ownerOf(actor);
  const tokens = await authRepository(ctx.store.db).tokensOf(owner);
  const token = tokens.find((t) => t.id === tokenId);
  if (!token) throw notFound('API token', tokenId);
  const now = ctx.clock.now().toISOString();
  let revokedAt = token.revokedAt ?? now;
  await ctx.store.db.transaction().execute(async (trx) => {
    // Concurrent revocations: only the one that revoked it is audited; the others replay its answer.
    if (!(await authRepository(trx).revokeToken(token.id, now))) {
      revokedAt =
        (await authRepository(trx).tokensOf(owner)).find((t) => t.id === token.id)?.revokedAt ?? now;
      return;
    }
    await recordAudit(trx, ctx, {
      actor,
      action: 'token.revoke',
      target: { type: 'api-token', id: token.id, vendorId: token.vendorId, partnerId: token.partnerId },
      before: token,
      after: { ...token, revokedAt },
      requestId: requestId ?? null,
    });
  });
  return view({ ...token, revokedAt });
}
