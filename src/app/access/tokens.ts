import { TOKEN_SCOPES, type Actor, type TokenScope } from '../../core/access/actor.js';
import { PARTNER_ROLES, VENDOR_ROLES, type Role } from '../../core/model/people.js';
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
 * only its hash is kept. The token acts with one role of the owner's side (default: the admin role).
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
  const side = 'vendorId' in owner ? VENDOR_ROLES : PARTNER_ROLES;
  const role = input.role ?? ('vendorId' in owner ? 'vendor-admin' : 'partner-admin');
  if (!side.includes(role))
    throw new TrellisError(
      'invalid_input',
      `role ${role} is not a role of your side; use one of ${side.join(', ')}`,
      [{ location: 'body.role', message: `one of ${side.join(', ')}` }],
    );
  const scopes = [...new Set(input.scopes)].filter((s) => (TOKEN_SCOPES as readonly string[]).includes(s));
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
