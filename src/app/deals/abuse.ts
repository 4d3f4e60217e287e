import type { Kysely } from 'kysely';
import type { DealRegistrationPolicy } from '../../core/programs/types.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import type { Scope } from '../../core/access/scope.js';
import type { Actor } from '../../core/access/actor.js';
import { dealRepository, type DealRow } from '../../db/repositories/deal-repository.js';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../access/audit.js';
import { losingRaceIsConflict } from '../concurrency.js';
import type { AppContext } from '../context.js';
import { flagView } from './deal-queries.js';

/** A new open abuse flag: its rule, subject (one flag per dedupe key) and evidence. */
export function newFlag(
  ctx: AppContext,
  f: {
    vendorId: string;
    partnerId: string;
    registrationId: string | null;
    orderId: string | null;
    rule: string;
    dedupeKey: string;
    evidence: Record<string, unknown>;
  },
) {
  return {
    ...f,
    id: ctx.ids.next('dealFlag'),
    evidence: JSON.stringify(f.evidence),
    status: 'open',
    resolution: null,
    resolvedBy: null,
    resolvedAt: null,
    createdAt: ctx.clock.now().toISOString(),
  };
}

/**
 * `many-unsold` (src/core/deals/README.md): a partner that registered more than the program's
 * `abuse.unsoldRegistrationsMax` customers within `abuse.lookbackDays` without ever selling to them is
 * flagged once per window, with the count as evidence. Registering customers one never sells to is how a
 * partner would fence off accounts from its competitors.
 */
export async function flagUnsoldRegistrations(
  trx: Kysely<Database>,
  ctx: AppContext,
  d: DealRow,
  policy: DealRegistrationPolicy,
): Promise<void> {
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - policy.abuse.lookbackDays * 86_400_000).toISOString();
  const repo = dealRepository(trx);
  const unsold = await repo.unsoldSince(d.vendorId, d.partnerId, since);
  if (unsold <= policy.abuse.unsoldRegistrationsMax) return;
  const window = Math.floor(now.getTime() / (policy.abuse.lookbackDays * 86_400_000));
  await repo.raiseFlag(
    newFlag(ctx, {
      vendorId: d.vendorId,
      partnerId: d.partnerId,
      registrationId: d.id,
      orderId: null,
      rule: 'many-unsold',
      dedupeKey: `many-unsold:${d.partnerId}:${window}`,
      evidence: {
        unsold,
        max: policy.abuse.unsoldRegistrationsMax,
        since,
        text: `Partner ${d.partnerId} registered ${unsold} customers since ${since.slice(0, 10)} that it never sold to (the program flags more than ${policy.abuse.unsoldRegistrationsMax}).`,
      },
    }),
  );
}

/** The vendor closes a flag: confirmed (abuse) or dismissed, with what it found. */
export async function resolveDealFlag(
  ctx: AppContext,
  who: { actor: Actor; scope: Scope },
  id: string,
  input: { decision: 'confirm' | 'dismiss'; text: string; requestId?: string | null | undefined },
) {
  if (who.scope.kind === 'partner') throw new TrellisError('forbidden', 'the vendor works its abuse queue');
  const text = input.text.trim();
  if (!text)
    throw new TrellisError('invalid_input', 'say what was found', [
      { location: 'body.text', message: 'required' },
    ]);
  return losingRaceIsConflict(`flag ${id}`, () =>
    ctx.store.db.transaction().execute(async (trx) => {
      const repo = dealRepository(trx);
      const f = await repo.getFlag(who.scope, id);
      if (!f) throw notFound('deal flag', id);
      if (f.status !== 'open') throw new TrellisError('conflict', `flag ${id} is already ${f.status}`);
      const patch = {
        status: input.decision === 'confirm' ? 'confirmed' : 'dismissed',
        resolution: text,
        resolvedBy: who.actor.kind === 'person' ? who.actor.personId : who.actor.tokenId,
        resolvedAt: ctx.clock.now().toISOString(),
      };
      if (!(await repo.resolveFlag(id, patch)))
        throw new TrellisError('conflict', `flag ${id} was resolved by another request`);
      const after = { ...f, ...patch };
      await recordAudit(trx, ctx, {
        actor: who.actor,
        action: `deal-flag.${input.decision}`,
        target: { type: 'deal-flag', id, vendorId: f.vendorId, partnerId: f.partnerId },
        before: f,
        after,
        requestId: input.requestId ?? null,
        detail: { rule: f.rule },
      });
      return flagView(after);
    }),
  );
}
