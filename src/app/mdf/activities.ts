import { formatMoney } from '../../core/money/money.js';
import type { Kysely } from 'kysely';
import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import { ACCOUNTS, TX_KINDS } from '../../core/ledger/settlement.js';
import {
  ACTIVITY_STATUSES,
  claimDeadline,
  decideActivity,
  type ActivityDecision,
  type ActivityFacts,
  type ActivityProblem,
  type ActivityRequest,
  type ActivityStatus,
  type MdfRules,
} from '../../core/mdf/activity.js';
import { EARNED_FUND, fundOpenTo, fundPeriodOf, quarterOf, revenuePerSpent } from '../../core/mdf/funds.js';
import { message, money, storedMessage } from '../../core/messages/message.js';
import type { MarketingFundsPolicy, MdfProposalFund, ProgramDefinition } from '../../core/programs/types.js';
import { zoneOf } from '../../core/programs/zones.js';
import { notFound, TrellisError, type ErrorDetail } from '../../core/shared/errors.js';
import { ledgerRepository } from '../../db/repositories/ledger-repository.js';
import {
  mdfRepository,
  type MdfActivityFilter,
  type MdfActivityRow,
  type MdfActivitySort,
} from '../../db/repositories/mdf-repository.js';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../access/audit.js';
import { losingRaceIsConflict, retryOnRace } from '../concurrency.js';
import type { AppContext } from '../context.js';
import { paged, type PageParams } from '../pagination.js';
import { notifyMdfDecided } from '../notifications/notify.js';
import { emitClaimDecided, emitMdfActivityDecided } from '../webhooks/emit.js';
import { earnedAvailable, programVersions, proposalLeft, versionOn, type ProgramVersions } from './funds.js';
import { requireProofFiles } from './proof-files.js';

export interface MdfCaller {
  actor: Actor | { kind: 'system'; id: string };
  scope: Scope;
  requestId?: string | null | undefined;
}

function actorIdOf(actor: MdfCaller['actor']): string {
  return actor.kind === 'person' ? actor.personId : actor.kind === 'token' ? actor.tokenId : actor.id;
}

const int = (v: number | string | bigint | null): number | null => (v == null ? null : Number(v));

export function activityView(a: MdfActivityRow) {
  return {
    id: a.id,
    vendorId: a.vendorId,
    programId: a.programId,
    partnerId: a.partnerId,
    zone: a.zone,
    fund: a.fund,
    fundPeriod: a.fundPeriod,
    quarter: a.quarter,
    type: a.type,
    title: a.title,
    description: a.description,
    expectedOutcome: {
      text: a.expectedOutcome,
      revenueMinor: int(a.expectedRevenueMinor),
      registrations: a.expectedRegistrations == null ? null : Number(a.expectedRegistrations),
    },
    startsOn: a.startsOn,
    endsOn: a.endsOn,
    currency: a.currency,
    requestedMinor: Number(a.requestedMinor),
    preapprovedMinor: int(a.preapprovedMinor),
    claimedMinor: int(a.claimedMinor),
    paidMinor: int(a.paidMinor),
    status: a.status as ActivityStatus,
    claimDeadline: a.claimDeadline,
    claimSeq: Number(a.claimSeq),
    decisionReason: a.decisionReason,
    ledgerTransactionId: a.ledgerTransactionId,
    version: Number(a.version),
    createdBy: a.createdBy,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}
export type ActivityView = ReturnType<typeof activityView>;

// --- problems ------------------------------------------------------------------------------------------

const PROBLEM_TEXT: Record<
  ActivityProblem['code'],
  (p: ActivityProblem['params'], money: (k: string) => string) => string
> = {
  'wrong-status': (p) => `the activity is ${p.status}; to ${p.action} it must be ${p.allowed}`,
  'not-positive': () => 'the amount must be a positive integer of minor units',
  'over-requested': (_p, m) => `${m('amountMinor')} is more than the ${m('requestedMinor')} requested`,
  'over-available': (_p, m) =>
    `${m('amountMinor')} is more than the fund has available today (${m('availableMinor')})`,
  'over-preapproved': (_p, m) => `${m('amountMinor')} is more than the ${m('preapprovedMinor')} pre-approved`,
  'over-claimed': (_p, m) => `${m('amountMinor')} is more than the ${m('claimedMinor')} claimed`,
  'before-end': (p) => `the activity ends on ${p.endsOn}: claim once it has ended`,
  'after-deadline': (p) => `the claim deadline was ${p.deadline}`,
  'not-yet-due': (p) => `the claim deadline ${p.deadline} has not passed`,
  'missing-proof': (p) => `the claim lacks proof of kind: ${p.missing}`,
  'reason-required': () => 'say why (a reason is required)',
};

const camel = (code: string) => code.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/** The refusal of an action: a conflict for a wrong status, else bad input; translatable (`mdf.<code>`). */
export function activityRefusal(problems: readonly ActivityProblem[], currency: string): TrellisError {
  const first = problems[0]!;
  // Amounts read as money in the text ("USD 900.00"); `params` keep minor units for the surfaces.
  const details: ErrorDetail[] = problems.map((p) => ({
    location: p.field === 'status' || p.field === 'activity' ? p.field : `body.${p.field}`,
    message: PROBLEM_TEXT[p.code](p.params, (k) =>
      formatMoney({ amountMinor: Number(p.params[k] ?? 0), currency }),
    ),
  }));
  return new TrellisError(
    first.code === 'wrong-status' ? 'conflict' : 'invalid_input',
    details.map((d) => d.message).join('; '),
    details,
    { messageKey: `mdf.${camel(first.code)}`, params: first.params },
  );
}

function bad(location: string, text: string, key?: string, params?: Record<string, string | number>) {
  return new TrellisError('invalid_input', text, [{ location, message: text }], {
    ...(key ? { messageKey: `mdf.${key}`, params: params ?? {} } : {}),
  });
}

// --- program rules -------------------------------------------------------------------------------------

function policyOf(def: ProgramDefinition, programCode: string): MarketingFundsPolicy {
  if (!def.marketingFunds)
    throw bad(
      'body.programId',
      `program ${programCode} ${def.version} runs no MDF activities`,
      'noMarketingFunds',
      {
        program: programCode,
      },
    );
  return def.marketingFunds;
}

/** The version an activity is governed by: the one in force on its first day. */
async function rulesOf(ctx: AppContext, a: MdfActivityRow) {
  const p = await programVersions(ctx, { kind: 'system' }, a.programId);
  const def = versionOn(p, a.startsOn);
  if (!def?.marketingFunds)
    throw new TrellisError(
      'conflict',
      `no published version of program ${p.code} with MDF covers ${a.startsOn}`,
    );
  return { p, def, rules: def.marketingFunds as MdfRules & MarketingFundsPolicy };
}

function factsOf(a: MdfActivityRow): ActivityFacts {
  return {
    status: a.status as ActivityStatus,
    type: a.type,
    startsOn: a.startsOn,
    endsOn: a.endsOn,
    requestedMinor: Number(a.requestedMinor),
    preapprovedMinor: int(a.preapprovedMinor),
    claimedMinor: int(a.claimedMinor),
  };
}

function decided(
  currency: string,
  d: ActivityDecision,
): { status: ActivityStatus; amountMinor: number | null } {
  if (!d.ok) throw activityRefusal(d.problems, currency);
  return { status: d.status, amountMinor: d.amountMinor };
}

function today(ctx: AppContext): string {
  return ctx.clock.now().toISOString().slice(0, 10);
}

/**
 * Applies one step to an activity in the caller's transaction: a conditional update on its version (the
 * loser of a race changes nothing and answers a conflict), its history row (seq = the new version) and
 * its audit event.
 */
async function applyStep(
  trx: Kysely<Database>,
  ctx: AppContext,
  who: MdfCaller,
  a: MdfActivityRow,
  step: {
    action: string;
    patch: Partial<MdfActivityRow>;
    amountMinor?: number | null;
    reason?: string | null;
    claimSeq?: number | null;
    detail?: Record<string, unknown>;
  },
): Promise<MdfActivityRow> {
  const repo = mdfRepository(trx);
  const now = ctx.clock.now().toISOString();
  const version = Number(a.version);
  const patch = { ...step.patch, updatedAt: now };
  if (!(await repo.updateActivity(a.id, version, patch)))
    throw new TrellisError('conflict', `activity ${a.id} was changed by another request; read it again`);
  const after: MdfActivityRow = { ...a, ...patch, version: version + 1 };
  await repo.appendEvent({
    id: ctx.ids.next('mdfEvent'),
    vendorId: a.vendorId,
    activityId: a.id,
    seq: version + 1,
    action: step.action,
    status: after.status,
    day: now.slice(0, 10),
    at: now,
    actorId: actorIdOf(who.actor),
    amountMinor: step.amountMinor ?? null,
    reason: step.reason ?? null,
    claimSeq: step.claimSeq ?? null,
  });
  await recordAudit(trx, ctx, {
    actor: who.actor,
    action: `mdf.${step.action}`,
    target: { type: 'mdf-activity', id: a.id, vendorId: a.vendorId, partnerId: a.partnerId },
    before: a,
    after,
    requestId: who.requestId ?? null,
    detail: { status: after.status, amountMinor: step.amountMinor ?? null, ...step.detail },
  });
  return after;
}

// --- propose -------------------------------------------------------------------------------------------

export interface ProposeInput {
  programId: string;
  type: string;
  title: string;
  description?: string | undefined;
  expectedOutcome?: string | undefined;
  expectedRevenueMinor?: number | undefined;
  expectedRegistrations?: number | undefined;
  startsOn: string;
  endsOn: string;
  amountMinor: number;
  /** `earned` (default) or a proposal fund's code. */
  fund?: string | undefined;
}

/**
 * A partner proposes an activity: its type (one the program lists), dates, the amount it asks for and the
 * fund to pay it from (its earned MDF, or a proposal fund open to its zone; the fund's period is that of
 * the activity's start). The claim deadline follows from the end and the program's claim window.
 */
export function proposeActivity(ctx: AppContext, who: MdfCaller, input: ProposeInput) {
  // Proposals never race one another for anything, but at SERIALIZABLE the store may still abort one
  // (its reads and inserts beside others'): it runs again, from its reads.
  return retryOnRace(() => proposeOnce(ctx, who, input));
}

async function proposeOnce(ctx: AppContext, who: MdfCaller, input: ProposeInput) {
  if (who.scope.kind !== 'partner') throw new TrellisError('forbidden', 'a partner proposes its activities');
  const partnerId = who.scope.partnerId;
  const p = await programVersions(ctx, who.scope, input.programId);
  const repo = mdfRepository(ctx.store.db);
  const partner = await repo.partner(partnerId);
  if (!partner || !(await repo.enrolled(p.programId, partnerId))) throw notFound('program', input.programId);
  if (input.endsOn < input.startsOn)
    throw bad(
      'body.endsOn',
      `the activity ends (${input.endsOn}) before it starts (${input.startsOn})`,
      'endsBeforeStart',
    );
  const def = versionOn(p, input.startsOn);
  if (!def)
    throw bad(
      'body.startsOn',
      `no published version of program ${p.code} is in force on ${input.startsOn}`,
      'noVersion',
      {
        startsOn: input.startsOn,
      },
    );
  const policy = policyOf(def, p.code);
  const type = policy.activityTypes.find((t) => t.code === input.type);
  if (!type)
    throw bad(
      'body.type',
      `unknown activity type "${input.type}"; program ${p.code} lists ${policy.activityTypes.map((t) => t.code).join(', ') || 'none'}`,
      'unknownType',
      { type: input.type },
    );
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0)
    throw bad('body.amountMinor', 'the amount must be a positive integer of minor units', 'notPositive', {
      amountMinor: input.amountMinor,
    });
  const zone = zoneOf(def, partner.country);
  if (!zone) throw bad('partner', `partner ${partnerId} is in no zone of program ${p.code}`, 'noZone');
  const fundCode = input.fund ?? EARNED_FUND;
  let fund: MdfProposalFund | null = null;
  if (fundCode !== EARNED_FUND) {
    fund = policy.proposalFunds.find((f) => f.code === fundCode) ?? null;
    if (!fund)
      throw bad(
        'body.fund',
        `unknown fund "${fundCode}"; use earned or one of ${policy.proposalFunds.map((f) => f.code).join(', ') || '(none)'}`,
        'unknownFund',
        { fund: fundCode },
      );
    if (!fundOpenTo(fund, zone))
      throw bad('body.fund', `fund ${fund.code} is not open to zone ${zone}`, 'fundClosed', {
        fund: fund.code,
        zone,
      });
  }
  const quarter = quarterOf(def, input.startsOn) ?? input.startsOn.slice(0, 7);
  const fundPeriod = fund ? fundPeriodOf(def, fund.per, input.startsOn) : null;
  const now = ctx.clock.now().toISOString();
  const row: MdfActivityRow = {
    id: ctx.ids.next('mdfActivity'),
    vendorId: p.vendorId,
    programId: p.programId,
    partnerId,
    zone,
    region: partner.region,
    fund: fundCode,
    fundPeriod,
    quarter,
    type: type.code,
    title: input.title.trim(),
    description: input.description?.trim() ?? '',
    expectedOutcome: input.expectedOutcome?.trim() ?? '',
    expectedRevenueMinor: input.expectedRevenueMinor ?? null,
    expectedRegistrations: input.expectedRegistrations ?? null,
    startsOn: input.startsOn,
    endsOn: input.endsOn,
    currency: fund ? fund.amount.currency : def.currency,
    requestedMinor: input.amountMinor,
    preapprovedMinor: null,
    claimedMinor: null,
    paidMinor: null,
    status: 'proposed',
    claimDeadline: claimDeadline(policy, input.endsOn),
    claimSeq: 0,
    decisionReason: null,
    ledgerTransactionId: null,
    version: 1,
    createdBy: actorIdOf(who.actor),
    createdAt: now,
    updatedAt: now,
  };
  if (row.title === '') throw bad('body.title', 'the activity needs a title', 'titleRequired');
  return ctx.store.db.transaction().execute(async (trx) => {
    const r = mdfRepository(trx);
    await r.insertActivity(row);
    await r.appendEvent({
      id: ctx.ids.next('mdfEvent'),
      vendorId: row.vendorId,
      activityId: row.id,
      seq: 1,
      action: 'propose',
      status: 'proposed',
      day: now.slice(0, 10),
      at: now,
      actorId: row.createdBy,
      amountMinor: row.requestedMinor,
      reason: null,
      claimSeq: null,
    });
    await recordAudit(trx, ctx, {
      actor: who.actor,
      action: 'mdf.propose',
      target: { type: 'mdf-activity', id: row.id, vendorId: row.vendorId, partnerId },
      after: row,
      requestId: who.requestId ?? null,
      detail: { fund: row.fund, fundPeriod: row.fundPeriod, requestedMinor: row.requestedMinor },
    });
    return activityView(row);
  });
}

// --- decisions -----------------------------------------------------------------------------------------

export interface DecisionInput {
  action: 'preapprove' | 'refuse' | 'approve' | 'reject';
  amountMinor?: number | undefined;
  reason?: string | undefined;
}

class FundMoved extends Error {}

/** Tells the partner's people of a decision (the notifications feed and mail). */
function tell(
  trx: Kysely<Database>,
  ctx: AppContext,
  a: MdfActivityRow,
  decision: 'preapproved' | 'refused' | 'claim-approved' | 'claim-rejected',
  amountMinor: number | null,
  reason: string | null,
) {
  return notifyMdfDecided(trx, ctx, a, {
    activityId: a.id,
    title: a.title,
    decision,
    amountMinor,
    currency: a.currency,
    reason,
    claimDeadline: a.claimDeadline,
  });
}

function fundKey(a: MdfActivityRow): string {
  return a.fund === EARNED_FUND
    ? `earned:${a.programId}:${a.partnerId}`
    : `proposal:${a.programId}:${a.fund}:${a.fundPeriod ?? ''}`;
}

/** What the activity's fund has available today (for a pre-approval). */
async function availableFor(
  trx: Kysely<Database>,
  p: ProgramVersions,
  def: ProgramDefinition,
  a: MdfActivityRow,
  day: string,
): Promise<number> {
  if (a.fund === EARNED_FUND) return earnedAvailable(trx, p, a.partnerId, a.currency, day);
  const fund = def.marketingFunds?.proposalFunds.find((f) => f.code === a.fund);
  if (!fund) return 0;
  return proposalLeft(
    trx,
    a.programId,
    { code: fund.code, amountMinor: fund.amount.amountMinor },
    a.fundPeriod ?? '',
  );
}

/**
 * The vendor decides: pre-approve a proposal (in full or in part, at most what its fund has available
 * that day) or refuse it with a reason; approve a claim (pays at most the claim: a ledger transaction
 * `mdf-claim`, once per activity) or reject it with a reason (the partner may claim again until the
 * deadline). Each decision is one transaction with a conditional update.
 */
export async function decideMdfActivity(ctx: AppContext, who: MdfCaller, id: string, input: DecisionInput) {
  if (who.scope.kind === 'partner')
    throw new TrellisError('forbidden', 'the vendor decides activities and claims');
  const first = await mdfRepository(ctx.store.db).getActivity(who.scope, id);
  if (!first) throw notFound('MDF activity', id);
  const { p, def, rules } = await rulesOf(ctx, first);
  const reason = input.reason?.trim() ?? '';
  return losingRaceIsConflict(`activity ${id}`, async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await ctx.store.db
          .transaction()
          .execute(async (trx) => {
            const repo = mdfRepository(trx);
            const a = await repo.getActivity(who.scope, id);
            if (!a) throw notFound('MDF activity', id);
            const day = today(ctx);
            let request: ActivityRequest;
            switch (input.action) {
              case 'preapprove': {
                // Read the fund's guard, then what it has available, then move the guard conditionally: a
                // concurrent pre-approval on the same fund moved it first, and this one reads again.
                const key = fundKey(a);
                const guard = await repo.guardVersion(a.vendorId, key, ctx.clock.now().toISOString());
                const availableMinor = await availableFor(trx, p, def, a, day);
                request = {
                  action: 'preapprove',
                  amountMinor: input.amountMinor ?? Number(a.requestedMinor),
                  availableMinor,
                };
                const d = decided(a.currency, decideActivity(rules, factsOf(a), request, day));
                if (!(await repo.bumpGuard(a.vendorId, key, guard, ctx.clock.now().toISOString())))
                  throw new FundMoved();
                const after = await applyStep(trx, ctx, who, a, {
                  action: 'preapprove',
                  patch: {
                    status: d.status,
                    preapprovedMinor: d.amountMinor,
                    decisionReason: reason || null,
                  },
                  amountMinor: d.amountMinor,
                  reason: reason || null,
                  detail: { availableMinor, fund: a.fund },
                });
                await emitMdfActivityDecided(trx, ctx, a.vendorId, {
                  activityId: a.id,
                  programId: a.programId,
                  partnerId: a.partnerId,
                  decision: 'preapproved',
                  amountMinor: d.amountMinor,
                  requestedMinor: Number(a.requestedMinor),
                  currency: a.currency,
                  reason: reason || null,
                  claimDeadline: a.claimDeadline,
                });
                await tell(trx, ctx, a, 'preapproved', d.amountMinor, reason || null);
                return after;
              }
              case 'refuse': {
                const d = decided(
                  a.currency,
                  decideActivity(rules, factsOf(a), { action: 'refuse', reason }, day),
                );
                const after = await applyStep(trx, ctx, who, a, {
                  action: 'refuse',
                  patch: { status: d.status, decisionReason: reason },
                  reason,
                });
                await emitMdfActivityDecided(trx, ctx, a.vendorId, {
                  activityId: a.id,
                  programId: a.programId,
                  partnerId: a.partnerId,
                  decision: 'refused',
                  amountMinor: null,
                  requestedMinor: Number(a.requestedMinor),
                  currency: a.currency,
                  reason,
                  claimDeadline: a.claimDeadline,
                });
                await tell(trx, ctx, a, 'refused', null, reason);
                return after;
              }
              case 'approve':
                return approveClaim(trx, ctx, who, a, rules, input.amountMinor, reason, day);
              case 'reject': {
                const d = decided(
                  a.currency,
                  decideActivity(rules, factsOf(a), { action: 'reject', reason }, day),
                );
                const after = await applyStep(trx, ctx, who, a, {
                  action: 'reject',
                  patch: { status: d.status, decisionReason: reason },
                  reason,
                  claimSeq: Number(a.claimSeq),
                });
                await emitClaimDecided(trx, ctx, a.vendorId, {
                  activityId: a.id,
                  programId: a.programId,
                  partnerId: a.partnerId,
                  claimSeq: Number(a.claimSeq),
                  decision: 'rejected',
                  claimedMinor: Number(a.claimedMinor ?? 0),
                  amountMinor: null,
                  currency: a.currency,
                  reason,
                  ledgerTransactionId: null,
                });
                await tell(trx, ctx, a, 'claim-rejected', null, reason);
                return after;
              }
            }
          })
          .then(activityView);
      } catch (e) {
        if (e instanceof FundMoved && attempt < 8) continue;
        if (e instanceof FundMoved)
          throw new TrellisError('conflict', `the fund of activity ${id} is busy; try again`);
        throw e;
      }
    }
  });
}

async function approveClaim(
  trx: Kysely<Database>,
  ctx: AppContext,
  who: MdfCaller,
  a: MdfActivityRow,
  rules: MdfRules,
  amountMinor: number | undefined,
  reason: string,
  day: string,
): Promise<MdfActivityRow> {
  const amount = amountMinor ?? Number(a.claimedMinor ?? 0);
  const d = decided(
    a.currency,
    decideActivity(rules, factsOf(a), { action: 'approve', amountMinor: amount }, day),
  );
  const paid = d.amountMinor ?? amount;
  const txId = ctx.ids.next('ledgerTransaction');
  // The conditional update first: of approvals racing on one claim, only one changes the row and posts.
  const after = await applyStep(trx, ctx, who, a, {
    action: 'approve',
    patch: { status: d.status, paidMinor: paid, decisionReason: reason || null, ledgerTransactionId: txId },
    amountMinor: paid,
    reason: reason || null,
    claimSeq: Number(a.claimSeq),
    detail: { ledgerTransactionId: txId, fund: a.fund },
  });
  const now = ctx.clock.now().toISOString();
  const period = a.fundPeriod ?? a.quarter;
  const said = message('settlement.mdfClaimPaid', {
    activityId: a.id,
    title: a.title,
    amount: money(paid, a.currency),
    fund: a.fund,
    claimSeq: Number(a.claimSeq),
  });
  const common = {
    transactionId: txId,
    vendorId: a.vendorId,
    partnerId: a.partnerId,
    programId: a.programId,
    currency: a.currency,
    period,
    component: a.fund,
    ruleId: a.id,
    ruleVersion: String(a.claimSeq),
    lineId: null,
    baseMinor: Number(a.claimedMinor ?? paid),
    rate: 0,
    effectiveRate: 0,
    tier: '',
    multiplier: 1,
    budgetPool: null,
    explanation: storedMessage(said, { activity: a.id }),
  };
  // One payment per activity: the idempotency key is unique in the ledger.
  await ledgerRepository(trx).append(
    {
      id: txId,
      vendorId: a.vendorId,
      partnerId: a.partnerId,
      programId: a.programId,
      kind: TX_KINDS.mdfClaim,
      idempotencyKey: `mdf-claim:${a.id}`,
      inputHash: String(paid),
      orderId: null,
      effectiveDate: day,
      period,
      reversesId: null,
      postedAt: now,
    },
    [
      {
        ...common,
        id: ctx.ids.next('ledgerEntry'),
        account: a.fund === EARNED_FUND ? ACCOUNTS.mdfFund : ACCOUNTS.mdfExpense,
        amountMinor: paid,
      },
      { ...common, id: ctx.ids.next('ledgerEntry'), account: ACCOUNTS.cash, amountMinor: -paid },
    ],
  );
  await emitClaimDecided(trx, ctx, a.vendorId, {
    activityId: a.id,
    programId: a.programId,
    partnerId: a.partnerId,
    claimSeq: Number(a.claimSeq),
    decision: 'approved',
    claimedMinor: Number(a.claimedMinor ?? 0),
    amountMinor: paid,
    currency: a.currency,
    reason: reason || null,
    ledgerTransactionId: txId,
  });
  await tell(trx, ctx, a, 'claim-approved', paid, reason || null);
  return after;
}

// --- claim, withdraw -----------------------------------------------------------------------------------

export interface ClaimInput {
  amountMinor: number;
  files: readonly { fileId: string; kind: string }[];
}

/**
 * The partner claims what the activity cost: after it ended and by the deadline, at most the pre-approved
 * amount, with the proof its type requires (its own uploaded files, each with its kind).
 */
export async function claimMdfActivity(ctx: AppContext, who: MdfCaller, id: string, input: ClaimInput) {
  if (who.scope.kind !== 'partner') throw new TrellisError('forbidden', 'a partner claims its activities');
  const first = await mdfRepository(ctx.store.db).getActivity(who.scope, id);
  if (!first) throw notFound('MDF activity', id);
  const { rules } = await rulesOf(ctx, first);
  const ids = input.files.map((f) => f.fileId);
  if (new Set(ids).size !== ids.length) throw bad('body.files', 'a file is attached twice', 'duplicateFile');
  return losingRaceIsConflict(`activity ${id}`, () =>
    ctx.store.db.transaction().execute(async (trx) => {
      const repo = mdfRepository(trx);
      const a = await repo.getActivity(who.scope, id);
      if (!a) throw notFound('MDF activity', id);
      const day = today(ctx);
      const d = decided(
        a.currency,
        decideActivity(
          rules,
          factsOf(a),
          { action: 'claim', amountMinor: input.amountMinor, proofKinds: input.files.map((f) => f.kind) },
          day,
        ),
      );
      await requireProofFiles(trx, { vendorId: a.vendorId, partnerId: a.partnerId }, ids);
      const claimSeq = Number(a.claimSeq) + 1;
      const after = await applyStep(trx, ctx, who, a, {
        action: 'claim',
        patch: { status: d.status, claimedMinor: d.amountMinor, claimSeq, decisionReason: null },
        amountMinor: d.amountMinor,
        claimSeq,
        detail: { files: ids },
      });
      await repo.insertClaimFiles(
        input.files.map((f) => ({
          vendorId: a.vendorId,
          activityId: a.id,
          claimSeq,
          fileId: f.fileId,
          kind: f.kind,
        })),
      );
      return activityView(after);
    }),
  );
}

/** The partner withdraws its activity (until a claim is under review or paid); a reservation is released. */
export async function withdrawMdfActivity(ctx: AppContext, who: MdfCaller, id: string) {
  if (who.scope.kind !== 'partner') throw new TrellisError('forbidden', 'a partner withdraws its activities');
  const first = await mdfRepository(ctx.store.db).getActivity(who.scope, id);
  if (!first) throw notFound('MDF activity', id);
  const { rules } = await rulesOf(ctx, first);
  return losingRaceIsConflict(`activity ${id}`, () =>
    ctx.store.db.transaction().execute(async (trx) => {
      const a = await mdfRepository(trx).getActivity(who.scope, id);
      if (!a) throw notFound('MDF activity', id);
      const d = decided(a.currency, decideActivity(rules, factsOf(a), { action: 'withdraw' }, today(ctx)));
      return activityView(
        await applyStep(trx, ctx, who, a, { action: 'withdraw', patch: { status: d.status } }),
      );
    }),
  );
}

/** Lapses one activity past its claim deadline (the expiry run); false when it moved meanwhile. */
export async function lapseMdfActivity(
  ctx: AppContext,
  who: MdfCaller,
  a: MdfActivityRow,
  rules: MdfRules,
  day: string,
): Promise<boolean> {
  const d = decideActivity(rules, factsOf(a), { action: 'lapse' }, day);
  if (!d.ok) return false;
  try {
    await ctx.store.db
      .transaction()
      .execute((trx) => applyStep(trx, ctx, who, a, { action: 'lapse', patch: { status: d.status } }));
    return true;
  } catch (e) {
    if (e instanceof TrellisError && e.code === 'conflict') return false;
    throw e;
  }
}

// --- links (ROI) ---------------------------------------------------------------------------------------

/** Links a deal registration or an order of the partner's to the activity (what it brought). */
export async function linkMdfActivity(
  ctx: AppContext,
  who: MdfCaller,
  id: string,
  query: { kind?: 'registration' | 'order' | undefined; targetId?: string | undefined },
  remove = false,
) {
  await losingRaceIsConflict(`activity ${id}`, () =>
    ctx.store.db.transaction().execute(async (trx) => {
      const repo = mdfRepository(trx);
      const a = await repo.getActivity(who.scope, id);
      if (!a) throw notFound('MDF activity', id);
      if (!query.kind)
        throw bad(remove ? 'query.kind' : 'body.kind', 'say which kind: registration or order');
      if (!query.targetId)
        throw bad(remove ? 'query.targetId' : 'body.targetId', 'say which registration or order');
      const input = { kind: query.kind, targetId: query.targetId };
      if (remove) {
        if (!(await repo.deleteLink(a.id, input.kind, input.targetId)))
          throw notFound(`link to ${input.kind}`, input.targetId);
      } else {
        if (a.status === 'refused' || a.status === 'withdrawn')
          throw new TrellisError('conflict', `activity ${a.id} is ${a.status}: it brings nothing to link`);
        const found =
          input.kind === 'registration'
            ? await repo.registrationOf(a.vendorId, a.partnerId, input.targetId)
            : await repo.orderOf(a.vendorId, a.partnerId, input.targetId);
        if (!found)
          throw bad(
            'body.targetId',
            `${input.kind} ${input.targetId} is not one of partner ${a.partnerId}'s with this vendor`,
            'unknownTarget',
            { kind: input.kind, targetId: input.targetId },
          );
        // What an activity brought came after it began: an older order or registration is not its return.
        const on =
          'orderDate' in found
            ? found.orderDate
            : 'submittedAt' in found
              ? found.submittedAt?.slice(0, 10)
              : null;
        if (!on || on < a.startsOn)
          throw bad(
            'body.targetId',
            `${input.kind} ${input.targetId} ${on ? `is dated ${on}, before` : 'was not submitted; it cannot follow'} the activity's start (${a.startsOn})`,
            'linkBeforeStart',
            { kind: input.kind, targetId: input.targetId, startsOn: a.startsOn },
          );
        if (
          !(await repo.insertLink({
            vendorId: a.vendorId,
            activityId: a.id,
            kind: input.kind,
            targetId: input.targetId,
            createdBy: actorIdOf(who.actor),
            createdAt: ctx.clock.now().toISOString(),
          }))
        )
          throw new TrellisError('conflict', `${input.kind} ${input.targetId} is already linked to ${a.id}`);
      }
      await recordAudit(trx, ctx, {
        actor: who.actor,
        action: remove ? 'mdf.unlink' : 'mdf.link',
        target: { type: 'mdf-activity', id: a.id, vendorId: a.vendorId, partnerId: a.partnerId },
        requestId: who.requestId ?? null,
        detail: { kind: input.kind, targetId: input.targetId },
      });
    }),
  );
  return mdfActivityDetail(ctx, who.scope, id);
}

// --- reads ---------------------------------------------------------------------------------------------

export async function listMdfActivities(
  ctx: AppContext,
  scope: Scope,
  filter: MdfActivityFilter,
  page: PageParams<MdfActivitySort>,
) {
  if (filter.status && !(ACTIVITY_STATUSES as readonly string[]).includes(filter.status))
    throw bad('query.status', `unknown status ${filter.status}`);
  let programId = filter.programId;
  if (programId) {
    const program = await ctx.repos.programs.get(scope, programId);
    if (!program) return { items: [], nextCursor: null };
    programId = program.id;
  }
  const result = await paged(page, (req) =>
    mdfRepository(ctx.store.db).listActivities(scope, { ...filter, programId }, req),
  );
  return { items: result.items.map(activityView), nextCursor: result.nextCursor };
}

/** One activity with its history, proof files, links, the proof its type requires and its return. */
export async function mdfActivityDetail(ctx: AppContext, scope: Scope, id: string) {
  const repo = mdfRepository(ctx.store.db);
  const a = await repo.getActivity(scope, id);
  if (!a) throw notFound('MDF activity', id);
  const [history, files, links, returns] = await Promise.all([
    repo.history(a.id),
    repo.claimFiles(a.id),
    repo.links(a.id),
    repo.linkReturns([a.id]),
  ]);
  let requiredProof: string[] = [];
  let typeName: string | null = null;
  try {
    const { rules } = await rulesOf(ctx, a);
    const t = rules.activityTypes.find((x) => x.code === a.type);
    requiredProof = [...(t?.proof ?? [])];
    typeName = t?.name ?? null;
  } catch {
    // A version withdrawn since: the activity still reads.
  }
  const back = returns.get(a.id) ?? { registrations: 0, orders: 0, revenueMinor: 0 };
  const spent = Number(a.paidMinor ?? 0);
  const day = today(ctx);
  return {
    ...activityView(a),
    typeName,
    requiredProof,
    deadline: {
      on: a.claimDeadline,
      passed: day > a.claimDeadline,
      daysLeft: Math.round((Date.parse(a.claimDeadline) - Date.parse(day)) / 86_400_000),
    },
    history: history.map((h) => ({
      seq: Number(h.seq),
      action: h.action,
      status: h.status,
      day: h.day,
      at: h.at,
      actorId: h.actorId,
      amountMinor: int(h.amountMinor),
      reason: h.reason,
      claimSeq: h.claimSeq == null ? null : Number(h.claimSeq),
    })),
    files: files.map((f) => ({ claimSeq: Number(f.claimSeq), fileId: f.fileId, kind: f.kind })),
    links: links.map((l) => ({
      kind: l.kind as 'registration' | 'order',
      targetId: l.targetId,
      createdAt: l.createdAt,
    })),
    roi: {
      registrations: back.registrations,
      orders: back.orders,
      orderRevenueMinor: back.revenueMinor,
      spentMinor: spent,
      revenuePerSpent: revenuePerSpent(back.revenueMinor, spent),
    },
  };
}
