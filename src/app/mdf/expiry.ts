import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import { ACCOUNTS, TX_KINDS } from '../../core/ledger/settlement.js';
import { fundStanding, isShortfall } from '../../core/mdf/fund-balance.js';
import { expiryPostings } from '../../core/mdf/funds.js';
import { day as dayOf, message, money, storedMessage } from '../../core/messages/message.js';
import { TrellisError } from '../../core/shared/errors.js';
import { ledgerRepository } from '../../db/repositories/ledger-repository.js';
import { mdfRepository } from '../../db/repositories/mdf-repository.js';
import { recordAudit } from '../access/audit.js';
import { retryOnRace } from '../concurrency.js';
import type { AppContext } from '../context.js';
import type { JobProgress } from '../jobs/job-kinds.js';
import { lapseMdfActivity } from './activities.js';
import { creditParts, earnedFund, programVersions, versionAround, versionOn } from './funds.js';

export interface MdfExpiryInput {
  program: string;
  asOf: string;
}

/**
 * The expiry run of a program (a job): activities pre-approved but never claimed (or whose claim was
 * rejected) lapse once their claim deadline has passed, releasing what they held; then, per partner, the
 * earned funds that expired unused by `asOf` are posted as such (`mdf-expiry`: debit `partner:mdf-fund`,
 * credit `vendor:mdf-expense`), each credit's expired total once: a rerun posts nothing new.
 */
export async function runMdfExpiry(
  ctx: AppContext,
  who: { actor: Actor | { kind: 'system'; id: string }; scope: Scope; requestId: string | null },
  input: MdfExpiryInput,
  progress: JobProgress,
) {
  if (who.scope.kind === 'partner') throw new TrellisError('forbidden', 'the vendor runs MDF expiry');
  const p = await programVersions(ctx, who.scope, input.program);
  const repo = mdfRepository(ctx.store.db);

  const lapsable = await repo.lapsable(p.programId, input.asOf);
  progress.phase('lapsing activities past their claim deadline', lapsable.length);
  const lapsed: string[] = [];
  for (const [i, a] of lapsable.entries()) {
    const def = versionOn(p, a.startsOn);
    if (
      def?.marketingFunds &&
      (await retryOnRace(() => lapseMdfActivity(ctx, who, a, def.marketingFunds!, input.asOf)))
    )
      lapsed.push(a.id);
    progress.update(i + 1);
  }

  const partners = await repo.partnersWithEarnedFunds(p.programId);
  progress.phase('posting expired earned funds', partners.length);
  const def = versionAround(p, input.asOf);
  const expiries: { partnerId: string; creditId: string; amountMinor: number; transactionId: string }[] = [];
  for (const [i, partnerId] of partners.entries()) {
    if (def)
      for (const e of await retryOnRace(() =>
        expirePartner(ctx, who, p, partnerId, def.currency, input.asOf),
      ))
        expiries.push({ partnerId, ...e });
    progress.update(i + 1);
  }
  return {
    programId: p.programId,
    asOf: input.asOf,
    currency: def?.currency ?? null,
    lapsed,
    expiries,
    expiredMinor: expiries.reduce((s, e) => s + e.amountMinor, 0),
  };
}

async function expirePartner(
  ctx: AppContext,
  who: { actor: Actor | { kind: 'system'; id: string }; requestId: string | null },
  p: Awaited<ReturnType<typeof programVersions>>,
  partnerId: string,
  currency: string,
  asOf: string,
) {
  return ctx.store.db.transaction().execute(async (trx) => {
    const repo = mdfRepository(trx);
    const ledger = ledgerRepository(trx);
    const { credits, events } = await earnedFund(trx, p, partnerId, currency);
    const s = fundStanding(credits, events, asOf);
    if (isShortfall(s)) return [];
    const posted = await repo.postedExpiries(p.programId, partnerId);
    const out: { creditId: string; amountMinor: number; transactionId: string }[] = [];
    for (const e of expiryPostings(s.draws, posted)) {
      const key = `mdf-expiry:${partnerId}:${e.creditId}:${e.totalMinor}`;
      if (await ledger.transactionByKey(p.vendorId, key)) continue;
      const { period, component } = creditParts(e.creditId);
      const txId = ctx.ids.next('ledgerTransaction');
      const now = ctx.clock.now().toISOString();
      const said = message('settlement.mdfExpired', {
        period,
        component,
        day: dayOf(e.on),
        amount: money(e.amountMinor, currency),
      });
      const common = {
        transactionId: txId,
        vendorId: p.vendorId,
        partnerId,
        programId: p.programId,
        currency,
        period,
        component,
        ruleId: e.creditId,
        ruleVersion: String(e.totalMinor),
        lineId: null,
        baseMinor: e.totalMinor,
        rate: 0,
        effectiveRate: 0,
        tier: '',
        multiplier: 1,
        budgetPool: null,
        explanation: storedMessage(said, { credit: e.creditId }),
      };
      await ledger.append(
        {
          id: txId,
          vendorId: p.vendorId,
          partnerId,
          programId: p.programId,
          kind: TX_KINDS.mdfExpiry,
          idempotencyKey: key,
          inputHash: String(e.amountMinor),
          orderId: null,
          effectiveDate: e.on,
          period,
          reversesId: null,
          postedAt: now,
        },
        [
          {
            ...common,
            id: ctx.ids.next('ledgerEntry'),
            account: ACCOUNTS.mdfFund,
            amountMinor: e.amountMinor,
          },
          {
            ...common,
            id: ctx.ids.next('ledgerEntry'),
            account: ACCOUNTS.mdfExpense,
            amountMinor: -e.amountMinor,
          },
        ],
      );
      await recordAudit(trx, ctx, {
        actor: who.actor,
        action: 'mdf.expire',
        target: { type: 'mdf-fund', id: e.creditId, vendorId: p.vendorId, partnerId },
        requestId: who.requestId,
        detail: { amountMinor: e.amountMinor, expiredOn: e.on, transactionId: txId },
      });
      out.push({ creditId: e.creditId, amountMinor: e.amountMinor, transactionId: txId });
    }
    return out;
  });
}
