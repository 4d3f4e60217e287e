import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import { ACCOUNTS, TX_KINDS } from '../../core/ledger/settlement.js';
import { maxAdjustmentMinor } from '../../core/money/limits.js';
import { message, money, optional, storedMessage } from '../../core/messages/message.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import { ledgerRepository } from '../../db/repositories/ledger-repository.js';
import type { PageRequest } from '../../db/repositories/page.js';
import { settlementRepository, type DisputeSort } from '../../db/repositories/settlement-repository.js';
import type { DisputesTable } from '../../db/schema.js';
import type { Selectable } from 'kysely';
import { recordAudit } from '../access/audit.js';
import { notifyDisputeDecided } from '../notifications/notify.js';
import { losingRaceIsConflict } from '../concurrency.js';
import type { AppContext } from '../context.js';
import { paged, type PageParams } from '../pagination.js';
import { emitDisputeDecided } from '../webhooks/emit.js';

type DisputeRow = Selectable<DisputesTable>;

export function disputeView(d: DisputeRow) {
  return {
    id: d.id,
    vendorId: d.vendorId,
    partnerId: d.partnerId,
    programId: d.programId,
    statementId: d.statementId,
    statementLineId: d.statementLineId,
    status: d.status as 'open' | 'accepted' | 'rejected',
    reason: d.reason,
    requestedMinor: Number(d.requestedMinor),
    currency: d.currency,
    resolution: d.resolution,
    resolvedMinor: d.resolvedMinor === null ? null : Number(d.resolvedMinor),
    adjustmentTransactionId: d.adjustmentTransactionId,
    openedBy: d.openedBy,
    openedAt: d.openedAt,
    resolvedBy: d.resolvedBy,
    resolvedAt: d.resolvedAt,
  };
}

function actorId(actor: Actor | { kind: 'system'; id: string }): string {
  return actor.kind === 'person' ? actor.personId : actor.kind === 'token' ? actor.tokenId : actor.id;
}

/**
 * A partner disputes one line of an issued statement: it says why, and the adjustment it asks for
 * (signed minor units; by default the reversal of the line, which is what a wrongly clawed-back line
 * needs). One open dispute per line.
 */
export async function openDispute(
  ctx: AppContext,
  who: { actor: Actor; scope: Scope },
  statementId: string,
  lineId: string,
  input: { reason: string; amountMinor?: number | undefined; requestId?: string | null | undefined },
) {
  return losingRaceIsConflict(`line ${lineId} of statement ${statementId}`, () =>
    ctx.store.db.transaction().execute(async (trx) => {
      const repo = settlementRepository(trx);
      const s = await repo.getStatement(who.scope, statementId);
      if (!s) throw notFound('statement', statementId);
      if (s.status === 'draft') throw notFound('statement', statementId);
      const line = await repo.statementLine(s.vendorId, s.id, lineId);
      if (!line) throw notFound('statement line', lineId);
      const reason = input.reason.trim();
      if (reason.length === 0)
        throw new TrellisError('invalid_input', 'say why the line is wrong', [
          { location: 'body.reason', message: 'a reason is required' },
        ]);
      const lineAmount = Number(line.amountMinor);
      const requested = input.amountMinor ?? -lineAmount;
      if (!Number.isSafeInteger(requested) || requested === 0)
        throw new TrellisError(
          'invalid_input',
          'the adjustment asked for must be a non-zero integer of minor units',
          [
            {
              location: 'body.amountMinor',
              message: 'a non-zero integer of minor units (positive = owed to the partner)',
            },
          ],
        );
      if (Math.abs(requested) > maxAdjustmentMinor(lineAmount))
        throw new TrellisError('invalid_input', 'the adjustment asked for is past the money limits', [
          {
            location: 'body.amountMinor',
            message: `at most ${maxAdjustmentMinor(lineAmount)} minor units either way`,
          },
        ]);
      const alreadyOpen = () =>
        new TrellisError('conflict', `line ${line.lineNo} of statement ${s.id} already has an open dispute`);
      if (await repo.openDisputeOnLine(line.id)) throw alreadyOpen();
      const now = ctx.clock.now().toISOString();
      const row: DisputeRow = {
        id: ctx.ids.next('dispute'),
        vendorId: s.vendorId,
        partnerId: s.partnerId,
        programId: s.programId,
        statementId: s.id,
        statementLineId: line.id,
        status: 'open',
        reason,
        requestedMinor: requested,
        currency: s.currency,
        resolution: null,
        resolvedMinor: null,
        adjustmentTransactionId: null,
        openedBy: actorId(who.actor),
        openedAt: now,
        resolvedBy: null,
        resolvedAt: null,
      };
      // The partial unique index decides between requests racing on one line: the loser inserts nothing.
      if (!(await repo.insertDispute(row))) throw alreadyOpen();
      await recordAudit(trx, ctx, {
        actor: who.actor,
        action: 'dispute.open',
        target: { type: 'dispute', id: row.id, vendorId: s.vendorId, partnerId: s.partnerId },
        after: row,
        requestId: input.requestId ?? null,
        detail: { statementId: s.id, lineNo: line.lineNo, requestedMinor: requested },
      });
      return disputeView(row);
    }),
  );
}

/**
 * The vendor decides a dispute. Accepted: an adjustment (the amount asked for, or the one the vendor
 * grants) is posted to the ledger at once and lands on the partner's next statement; a close never undoes
 * it. Rejected: the reason is recorded and shown to the partner.
 */
export async function resolveDispute(
  ctx: AppContext,
  who: { actor: Actor | { kind: 'system'; id: string }; scope: Scope },
  disputeId: string,
  input: {
    decision: 'accept' | 'reject';
    reason?: string | undefined;
    amountMinor?: number | undefined;
    requestId?: string | null | undefined;
  },
) {
  if (who.scope.kind === 'partner') throw new TrellisError('forbidden', 'the vendor decides disputes');
  return losingRaceIsConflict(`dispute ${disputeId}`, () =>
    ctx.store.db.transaction().execute(async (trx) => {
      const repo = settlementRepository(trx);
      const d = await repo.getDispute(who.scope, disputeId);
      if (!d) throw notFound('dispute', disputeId);
      if (d.status !== 'open') throw new TrellisError('conflict', `dispute ${d.id} is already ${d.status}`);
      const reason = input.reason?.trim() ?? '';
      if (input.decision === 'reject' && reason.length === 0)
        throw new TrellisError('invalid_input', 'a rejection needs its reason', [
          { location: 'body.reason', message: 'say why the dispute is rejected' },
        ]);
      const amount = input.amountMinor ?? Number(d.requestedMinor);
      if (input.decision === 'accept' && (!Number.isSafeInteger(amount) || amount === 0))
        throw new TrellisError('invalid_input', 'the adjustment must be a non-zero integer of minor units', [
          { location: 'body.amountMinor', message: 'a non-zero integer of minor units' },
        ]);
      const now = ctx.clock.now().toISOString();
      const patch: Partial<DisputeRow> = {
        status: input.decision === 'accept' ? 'accepted' : 'rejected',
        resolution: reason || null,
        resolvedBy: actorId(who.actor),
        resolvedAt: now,
        ...(input.decision === 'accept' ? { resolvedMinor: amount } : {}),
      };
      // Decide first, conditionally: of requests racing on one dispute only one changes the row (on
      // PostgreSQL the others wait for it, then find it decided); only that one posts and audits.
      if (!(await repo.resolveDispute(d.id, patch)))
        throw new TrellisError('conflict', `dispute ${d.id} was decided by another request`);
      if (input.decision === 'accept') {
        const line = await repo.statementLineById(d.vendorId, d.statementLineId);
        const most = maxAdjustmentMinor(Number(line.amountMinor));
        if (Math.abs(amount) > most)
          throw new TrellisError('invalid_input', 'the adjustment is past the money limits', [
            { location: 'body.amountMinor', message: `at most ${most} minor units either way` },
          ]);
        const txId = ctx.ids.next('ledgerTransaction');
        const said = message('settlement.disputeAccepted', {
          disputeId: d.id,
          reason: optional(reason ? message('settlement.reason', { reason }) : null),
          amount: money(amount, d.currency),
          lineNo: line.lineNo,
          statementId: d.statementId,
          kind: line.kind,
          component: line.component,
          orderLine: optional(
            line.orderLineId ? message('settlement.orderLine', { orderLineId: line.orderLineId }) : null,
          ),
          said: d.reason,
        });
        const common = {
          transactionId: txId,
          vendorId: d.vendorId,
          partnerId: d.partnerId,
          programId: d.programId,
          currency: d.currency,
          period: line.period,
          component: line.component,
          ruleId: line.ruleId,
          ruleVersion: line.ruleVersion,
          lineId: line.orderLineId,
          baseMinor: Number(line.amountMinor),
          rate: 0,
          effectiveRate: 0,
          tier: line.tier,
          multiplier: line.multiplier,
          budgetPool: line.budgetPool,
          explanation: storedMessage(said, { dispute: d.id }),
        };
        await ledgerRepository(trx).append(
          {
            id: txId,
            vendorId: d.vendorId,
            partnerId: d.partnerId,
            programId: d.programId,
            kind: TX_KINDS.adjustment,
            idempotencyKey: `dispute:${d.id}`,
            inputHash: String(amount),
            orderId: line.orderId,
            effectiveDate: now.slice(0, 10),
            period: line.period,
            reversesId: null,
            postedAt: now,
          },
          [
            { ...common, id: ctx.ids.next('ledgerEntry'), account: ACCOUNTS.expense, amountMinor: amount },
            { ...common, id: ctx.ids.next('ledgerEntry'), account: ACCOUNTS.payable, amountMinor: -amount },
          ],
        );
        patch.adjustmentTransactionId = txId;
        await repo.updateDispute(d.id, { adjustmentTransactionId: txId });
      }
      const after = { ...d, ...patch };
      await recordAudit(trx, ctx, {
        actor: who.actor,
        action: `dispute.${input.decision}`,
        target: { type: 'dispute', id: d.id, vendorId: d.vendorId, partnerId: d.partnerId },
        before: d,
        after,
        requestId: input.requestId ?? null,
        detail: { statementId: d.statementId, resolvedMinor: patch.resolvedMinor ?? null },
      });
      await notifyDisputeDecided(trx, ctx, d, input.decision, patch.resolvedMinor ?? null);
      await emitDisputeDecided(trx, ctx, d, input.decision, patch.resolvedMinor ?? null);
      return disputeView(after);
    }),
  );
}

export async function listDisputes(
  ctx: AppContext,
  scope: Scope,
  filter: { status?: string | undefined; statement?: string | undefined; partner?: string | undefined },
  page: PageParams<DisputeSort>,
) {
  const result = await paged(page, (req: PageRequest<DisputeSort>) =>
    settlementRepository(ctx.store.db).listDisputes(
      scope,
      { status: filter.status, statementId: filter.statement, partnerId: filter.partner },
      req,
    ),
  );
  return { items: result.items.map(disputeView), nextCursor: result.nextCursor };
}

export async function getDispute(ctx: AppContext, scope: Scope, id: string) {
  const d = await settlementRepository(ctx.store.db).getDispute(scope, id);
  if (!d) throw notFound('dispute', id);
  return disputeView(d);
}
