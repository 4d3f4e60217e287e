import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import {
  bulkFingerprint,
  planBulk,
  summarizeBulk,
  type BulkCandidate,
  type BulkMove,
  type BulkPlan,
  type BulkSkip,
  type BulkSummary,
} from '../../core/ledger/bulk-plan.js';
import type { StatementAction, StatementStatus } from '../../core/ledger/settlement.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import { settlementRepository } from '../../db/repositories/settlement-repository.js';
import { recordAudit } from '../access/audit.js';
import type { AppContext } from '../context.js';
import { resolvePeriod } from './program-period.js';
import { transitionStatement } from './statements.js';

/** At most this many ids in one selection (a larger set is selected by program and period). */
export const BULK_MAX_IDS = 5000;
/** What a preview or a result lists of the statements moved and skipped (the counts are exact). */
export const BULK_LISTED = 200;

/** What a bulk action applies to: statement ids, or a program with an optional period and partner. */
export interface BulkSelection {
  ids?: readonly string[] | undefined;
  program?: string | undefined;
  period?: string | undefined;
  partner?: string | undefined;
}

interface BulkListed {
  id: string;
  partnerId: string;
  programId: string;
  period: string;
  sequence: number;
  from: StatementStatus;
  to: StatementStatus;
  totalMinor: number;
  currency: string;
}

export interface BulkPreview extends BulkSummary {
  action: StatementAction;
  /** Pass it back as `confirm` to run exactly this (the run refuses when the selection changed since). */
  fingerprint: string;
  selected: number;
  moves: BulkListed[];
  skipped: BulkSkip[];
  skippedCount: number;
  /** Whether `moves` or `skipped` lists only the first of them. */
  truncated: boolean;
}

export interface BulkResult extends BulkPreview {
  /** Statements whose move another request made first (they count as skipped, `moved-meanwhile`). */
  lost: number;
}

const listed = (m: BulkMove): BulkListed => ({
  id: m.id,
  partnerId: m.partnerId,
  programId: m.programId,
  period: m.period,
  sequence: m.sequence,
  from: m.status,
  to: m.to,
  totalMinor: m.totalMinor,
  currency: m.currency,
});

function view(plan: BulkPlan, moves: readonly BulkMove[], skipped: readonly BulkSkip[]): BulkPreview {
  return {
    action: plan.action,
    fingerprint: bulkFingerprint(plan),
    selected: plan.moves.length + plan.skipped.length,
    ...summarizeBulk(moves, skipped),
    moves: moves.slice(0, BULK_LISTED).map(listed),
    skipped: skipped.slice(0, BULK_LISTED),
    skippedCount: skipped.length,
    truncated: moves.length > BULK_LISTED || skipped.length > BULK_LISTED,
  };
}

/** Reads the selection in scope and plans the action on it (nothing written). */
async function plan(
  ctx: AppContext,
  scope: Scope,
  action: StatementAction,
  sel: BulkSelection,
): Promise<BulkPlan> {
  if (scope.kind === 'partner')
    throw new TrellisError('forbidden', 'statements are issued, approved and paid by the vendor');
  const hasIds = sel.ids !== undefined;
  if (hasIds === (sel.program !== undefined))
    throw new TrellisError('invalid_input', 'select statements by ids or by program (and period), not both', [
      { location: 'body', message: 'give either ids or program' },
    ]);
  if (hasIds && (sel.period !== undefined || sel.partner !== undefined))
    throw new TrellisError('invalid_input', 'period and partner narrow a program selection, not ids', [
      { location: 'body', message: 'give period and partner with program only' },
    ]);
  const repo = settlementRepository(ctx.store.db);
  let rows: Awaited<ReturnType<typeof repo.selectForBulk>>;
  let missing: string[] = [];
  if (sel.ids) {
    const ids = [...new Set(sel.ids)];
    if (ids.length > BULK_MAX_IDS)
      throw new TrellisError('invalid_input', `at most ${BULK_MAX_IDS} statement ids at once`, [
        { location: 'body.ids', message: `${ids.length} ids; select by program and period instead` },
      ]);
    rows = [];
    for (let i = 0; i < ids.length; i += 500)
      rows.push(...(await repo.selectForBulk(scope, { ids: ids.slice(i, i + 500) })));
    const found = new Set(rows.map((r) => r.id));
    missing = ids.filter((id) => !found.has(id));
    const order = new Map(ids.map((id, i) => [id, i]));
    rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  } else {
    const program = await ctx.repos.programs.get(scope, sel.program as string);
    if (!program) throw notFound('program', sel.program as string);
    let period: string | undefined;
    if (sel.period !== undefined)
      period = (await resolvePeriod(ctx, scope, program.id, sel.period)).range.code;
    rows = await repo.selectForBulk(scope, { programId: program.id, period, partnerId: sel.partner });
  }
  // The minimum payout of each (program, period): the version whose year holds the period.
  const minimum = new Map<string, number | null>();
  for (const r of rows) {
    const key = `${r.programId}/${r.period}`;
    if (action !== 'pay' || minimum.has(key)) continue;
    const { definition } = await resolvePeriod(ctx, scope, r.programId, r.period);
    const min = definition.payouts.minimumPayout;
    minimum.set(key, min && min.currency === r.currency ? min.amountMinor : null);
  }
  const candidates: BulkCandidate[] = rows.map((r) => ({
    id: r.id,
    vendorId: r.vendorId,
    partnerId: r.partnerId,
    programId: r.programId,
    period: r.period,
    sequence: r.sequence,
    status: r.status as StatementStatus,
    totalMinor: Number(r.totalMinor),
    currency: r.currency,
  }));
  return planBulk(action, candidates, missing, (s) => minimum.get(`${s.programId}/${s.period}`) ?? null);
}

/** What a bulk action would do now: counts, totals, outcomes, which statements are skipped and why. */
export async function previewStatementBulk(
  ctx: AppContext,
  scope: Scope,
  action: StatementAction,
  sel: BulkSelection,
): Promise<BulkPreview> {
  const p = await plan(ctx, scope, action, sel);
  return view(p, p.moves, p.skipped);
}

/**
 * Runs a bulk action: plans again from the store, refuses (409) when `confirm` is given and the plan's
 * fingerprint differs from it (the selection changed since the preview), then moves each statement
 * through the one transition (`transitionStatement`: a conditional update per statement, its payout
 * posted once, each audited), so two bulk runs at once never move a statement twice; a statement another
 * request moved first is reported `moved-meanwhile`. The run itself is audited once with its summary.
 */
export async function runStatementBulk(
  ctx: AppContext,
  who: { actor: Actor | { kind: 'system'; id: string }; scope: Scope; requestId?: string | null | undefined },
  action: StatementAction,
  sel: BulkSelection,
  options: {
    reference?: string | undefined;
    confirm?: string | undefined;
    progress?: { phase(name: string, total: number): void; update(done: number): void } | undefined;
  } = {},
): Promise<BulkResult> {
  const p = await plan(ctx, who.scope, action, sel);
  const fingerprint = bulkFingerprint(p);
  if (options.confirm !== undefined && options.confirm !== fingerprint)
    throw new TrellisError(
      'conflict',
      'the statements selected changed since the preview; preview again and confirm what it shows',
      [{ location: 'body.confirm', message: `the selection is now ${fingerprint}` }],
    );
  options.progress?.phase(action, p.moves.length);
  const moved: BulkMove[] = [];
  const skipped: BulkSkip[] = [...p.skipped];
  let lost = 0;
  for (const [i, m] of p.moves.entries()) {
    try {
      // The transition runs again a transaction the store aborted without anyone having moved the statement
      // (bulk runs at once under SERIALIZABLE), so each statement is moved by exactly one run.
      const after = await transitionStatement(ctx, who, m.id, action, {
        reference: options.reference,
        requestId: who.requestId ?? null,
      });
      moved.push({ ...m, to: after.status });
    } catch (e) {
      if (!(e instanceof TrellisError) || (e.code !== 'conflict' && e.code !== 'not_found')) throw e;
      // Paid in the partner's currency without the rate loaded: left as it is, saying why.
      if (e.options.messageKey === 'payout.missingRate') {
        skipped.push({ id: m.id, partnerId: m.partnerId, status: m.status, reason: 'missing-rate' });
      } else {
        lost += 1;
        skipped.push({ id: m.id, partnerId: m.partnerId, status: m.status, reason: 'moved-meanwhile' });
      }
    }
    options.progress?.update(i + 1);
  }
  const result: BulkResult = { ...view(p, moved, skipped), fingerprint, lost };
  const vendors = [...new Set(p.moves.map((m) => m.vendorId))];
  const vendorId =
    who.scope.kind === 'vendor' ? who.scope.vendorId : vendors.length === 1 ? (vendors[0] ?? null) : null;
  await recordAudit(ctx.store.db, ctx, {
    actor: who.actor,
    action: `statement.bulk-${action}`,
    target: { type: 'statement', id: null, vendorId, partnerId: null },
    after: { count: result.count, outcomes: result.outcomes, totals: result.totals },
    requestId: who.requestId ?? null,
    detail: {
      selection: sel.ids ? { ids: sel.ids.length } : { program: sel.program, period: sel.period ?? null },
      count: result.count,
      outcomes: result.outcomes,
      totals: result.totals,
      skipped: result.skippedByReason,
    },
  });
  return result;
}
