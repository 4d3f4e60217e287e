import type { DealStatus } from '../../core/deals/lifecycle.js';
import { protectionEndsOn } from '../../core/deals/policy.js';
import { dealRepository } from '../../db/repositories/deal-repository.js';
import type { AppContext } from '../context.js';
import { programInForce } from '../programs/program-in-force.js';
import { recordDealStep } from './deal-events.js';

const SYSTEM = { kind: 'system' as const, id: 'deal-sweep' };

/**
 * Records what time did to registrations (run every minute by the server, and by `trellis deals sweep`):
 * approved or extended registrations past their last protected day become expired (and free their
 * customer); reviews past their SLA are flagged at their due time, then escalated or approved
 * automatically as the program's `reviewSlaHours.onBreach` says. Each change is its own conditional
 * update with its history row and audit event, so a sweep racing a reviewer changes nothing twice.
 * Reads never wait for it: a registration past its day already reads as expired, a review past its due
 * time as breached.
 */
export async function sweepDeals(ctx: AppContext, options: { limit?: number } = {}) {
  const limit = options.limit ?? 1_000;
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const today = nowIso.slice(0, 10);
  let expired = 0;
  let breached = 0;
  let autoApproved = 0;
  for (const d of await dealRepository(ctx.store.db).toExpire(today, limit)) {
    const done = await ctx.store.db.transaction().execute(async (trx) => {
      const repo = dealRepository(trx);
      const patch = { status: 'expired', closedAt: nowIso, updatedAt: nowIso };
      if (!(await repo.update(d.id, d.version, ['approved', 'extended'], patch))) return false;
      await repo.releaseClaims(d.id);
      await recordDealStep(trx, ctx, {
        actor: SYSTEM,
        deal: d,
        action: 'expire',
        from: d.status as DealStatus,
        to: 'expired',
        note: `protection ended after ${d.protectedUntil}`,
        after: { ...d, ...patch },
      });
      return true;
    });
    if (done) expired++;
  }
  for (const d of await dealRepository(ctx.store.db).breachedUnflagged(nowIso, limit)) {
    const program = await programInForce(ctx, { kind: 'system' }, d.programId, undefined, 'programId');
    const policy = program.definition.dealRegistration;
    const approve = policy.reviewSlaHours.onBreach === 'auto-approve';
    const done = await ctx.store.db.transaction().execute(async (trx) => {
      const repo = dealRepository(trx);
      const patch = approve
        ? {
            status: 'approved',
            slaBreachedAt: d.reviewDueAt,
            decidedBy: SYSTEM.id,
            decidedAt: nowIso,
            approvedOn: today,
            protectedUntil: protectionEndsOn(policy, today, 0),
            updatedAt: nowIso,
          }
        : { slaBreachedAt: d.reviewDueAt, escalated: 1, updatedAt: nowIso };
      if (!(await repo.update(d.id, d.version, ['submitted', 'under-review'], patch))) return false;
      await recordDealStep(trx, ctx, {
        actor: SYSTEM,
        deal: d,
        action: approve ? 'approve' : 'escalate',
        from: d.status as DealStatus,
        to: approve ? 'approved' : (d.status as DealStatus),
        note: approve
          ? `approved automatically: the review was due at ${d.reviewDueAt} (program rule: auto-approve on breach)`
          : `review overdue since ${d.reviewDueAt}: escalated to the vendor's admins`,
        after: { ...d, ...patch },
      });
      return true;
    });
    if (done) {
      breached++;
      if (approve) autoApproved++;
    }
  }
  return { expired, breached, autoApproved, at: nowIso };
}
