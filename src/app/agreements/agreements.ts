import type { Kysely } from 'kysely';
import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import {
  accrualWindow,
  decideNotice,
  statusOn,
  type AgreementNotice,
  type AgreementStatus,
} from '../../core/agreements/life-cycle.js';
import { renderEnglish, type Message } from '../../core/messages/message.js';
import type { AgreementDefinition, IsoDate } from '../../core/programs/types.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import {
  agreementRepository,
  type AgreementNoticeRow,
  type AgreementRow,
} from '../../db/repositories/agreement-repository.js';
import { partnerRepository } from '../../db/repositories/partner-repository.js';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../access/audit.js';
import type { AppContext } from '../context.js';
import { noticeMessage } from '../programs/publish-document.js';

/** A party as the other features read it: ids and slugs, and the programs it binds. */
export interface AgreementPartyView {
  vendorId: string;
  slug: string;
  name: string;
  role: string;
  programs: { id: string; code: string }[];
  /** Its part of a cross-vendor solution reward, in basis points (0 when it funds none). */
  fundingBasisPoints: number;
}

/**
 * One agreement with what other features need: its definition, its parties resolved to ids and slugs,
 * its status on the day asked, its notice (if any) and the days on which its cross-vendor accruals
 * count (`window.lastDay` = min(term end, termination effective - 1 day); null: open-ended).
 */
export interface AgreementTerms {
  id: string;
  code: string;
  name: string;
  definition: AgreementDefinition;
  parties: AgreementPartyView[];
  status: AgreementStatus;
  notice: AgreementNotice | null;
  window: { from: IsoDate; lastDay: IsoDate | null } | null;
}

async function termsOf(db: Kysely<Database>, rows: AgreementRow[], day: IsoDate): Promise<AgreementTerms[]> {
  const repo = agreementRepository(db);
  const ids = rows.map((r) => r.id);
  const [parties, programs, notices] = await Promise.all([
    repo.parties(ids),
    repo.programs(ids),
    repo.notices(ids),
  ]);
  const slugOf = new Map(parties.map((p) => [p.vendorId, p.slug]));
  return rows.map((row) => {
    const definition = JSON.parse(row.definition) as AgreementDefinition;
    const n = notices.find((x) => x.agreementId === row.id);
    const notice = n ? noticeOf(n, slugOf.get(n.byVendorId) ?? n.byVendorId) : null;
    const funding = definition.provisions.crossVendorSolutionBonus?.funding ?? [];
    return {
      id: row.id,
      code: row.code,
      name: row.name,
      definition,
      parties: definition.parties.flatMap((dp) => {
        const p = parties.find((x) => x.agreementId === row.id && x.slug === dp.vendor);
        if (!p) return [];
        return [
          {
            vendorId: p.vendorId,
            slug: p.slug,
            name: dp.name,
            role: p.role,
            programs: programs
              .filter((x) => x.agreementId === row.id && x.vendorId === p.vendorId)
              .map((x) => ({ id: x.programId, code: x.code })),
            fundingBasisPoints: funding.find((f) => f.vendor === dp.vendor)?.basisPoints ?? 0,
          },
        ];
      }),
      status: statusOn(definition, notice, day),
      notice,
      window: accrualWindow(definition, notice),
    };
  });
}

function noticeOf(n: AgreementNoticeRow, by: string): AgreementNotice {
  return {
    noticeDate: n.noticeDate,
    by,
    reason: n.reason as AgreementNotice['reason'],
    effectiveDate: n.effectiveDate,
    note: n.note,
  };
}

/**
 * Every agreement the vendor is party to, whatever its status on `day`, with its terms and accrual
 * window. For features that decide themselves which days count (a tier evaluation over a year).
 */
export async function agreementTermsFor(
  db: Kysely<Database>,
  vendorId: string,
  day: IsoDate,
): Promise<AgreementTerms[]> {
  const rows = await agreementRepository(db).list({ kind: 'vendor', vendorId, regions: [] });
  return termsOf(db, rows, day);
}

/**
 * The agreements in force for a vendor on a day: those it is party to whose cross-vendor accruals count
 * on that day (in term, not yet terminated). The function other features call (cross-credit in tier
 * credits, solution rewards): e.g. `(await agreementsInForce(db, vmwareId, '2022-03-01'))[0].definition
 * .provisions.crossCredit`.
 */
export async function agreementsInForce(
  db: Kysely<Database>,
  vendorId: string,
  day: IsoDate,
): Promise<AgreementTerms[]> {
  return (await agreementTermsFor(db, vendorId, day)).filter(
    (a) =>
      a.window !== null && day >= a.window.from && (a.window.lastDay === null || day <= a.window.lastDay),
  );
}

// ---------------------------------------------------------------------------------------------------
// Views

export interface AgreementSummary {
  id: string;
  code: string;
  name: string;
  status: AgreementStatus;
  asOf: IsoDate;
  signed: IsoDate;
  effectiveFrom: IsoDate;
  effectiveTo: IsoDate | null;
  term: string;
  parties: { vendorId: string | null; slug: string; name: string; role: string; programs: string[] }[];
  notice: AgreementNotice | null;
  /** The last day on which cross-vendor accruals count (null: open-ended; absent window: none). */
  accrualsThrough: IsoDate | null;
}

/**
 * The vendors whose ids a caller may read: a vendor its own, a partner those it is enrolled with, the
 * system all (null). Other parties appear by slug and name only.
 */
async function visibleVendors(db: Kysely<Database>, scope: Scope): Promise<Set<string> | null> {
  if (scope.kind === 'system') return null;
  if (scope.kind === 'vendor') return new Set([scope.vendorId]);
  return new Set(await partnerRepository(db).enrolledVendorIds(scope.partnerId));
}

function summaryOf(t: AgreementTerms, day: IsoDate, visible: Set<string> | null): AgreementSummary {
  const d = t.definition;
  return {
    id: t.id,
    code: t.code,
    name: t.name,
    status: t.status,
    asOf: day,
    signed: d.signed,
    effectiveFrom: d.effective.from,
    effectiveTo: d.effective.to,
    term: durationText(d.term),
    parties: t.parties.map((p) => ({
      vendorId: visible === null || visible.has(p.vendorId) ? p.vendorId : null,
      slug: p.slug,
      name: p.name,
      role: p.role,
      programs: p.programs.map((x) => x.code),
    })),
    notice: t.notice,
    accrualsThrough: t.window?.lastDay ?? null,
  };
}

function durationText(d: { months: number; days: number }): string {
  const years = Math.floor(d.months / 12);
  const months = d.months % 12;
  const out = `P${years ? `${years}Y` : ''}${months ? `${months}M` : ''}${d.days ? `${d.days}D` : ''}`;
  return out === 'P' ? 'P0D' : out;
}

const todayOf = (ctx: AppContext) => ctx.clock.now().toISOString().slice(0, 10);

/** The agreements in the caller's scope: a vendor those it is party to, a partner those binding its programs. */
export async function listAgreements(
  ctx: AppContext,
  scope: Scope,
  filter: { asOf?: IsoDate | undefined; status?: AgreementStatus | undefined } = {},
): Promise<{ items: AgreementSummary[] }> {
  const day = filter.asOf ?? todayOf(ctx);
  const rows = await agreementRepository(ctx.store.db).list(scope);
  const visible = await visibleVendors(ctx.store.db, scope);
  const items = (await termsOf(ctx.store.db, rows, day)).map((t) => summaryOf(t, day, visible));
  return { items: filter.status ? items.filter((i) => i.status === filter.status) : items };
}

export interface AgreementDetail extends AgreementSummary {
  terms: {
    noticeDays: number;
    changeOfControl: { allowsTermination: boolean; description: string | null };
    convenience: { allowsTermination: boolean; description: string | null };
    continuity: {
      enabled: boolean;
      programs: string[];
      crossCredit: { from: string; to: string; sharePpm: number; description: string | null }[];
    };
    solutionReward: {
      pointsPpm: number;
      window: string;
      requires: { vendor: string; families: string[] }[];
      funding: { vendor: string; basisPoints: number }[];
    } | null;
  };
  /** The agreement's history; `sentenceMessage` is null for events recorded before messages. */
  events: { kind: string; onDay: IsoDate; sentence: string; sentenceMessage: Message | null; at: string }[];
  /** What the caller may do: give notice (a party's vendor admin, once, while in force). */
  canGiveNotice: boolean;
  /** Vendors: their own part of the solution reward's funding. */
  yourFunding: { basisPoints: number } | null;
  /**
   * Vendors: the shares they funded (their own lines only); partners: their own rewards, each set's whole
   * reward. Latest first, at most 100; `totals` covers them all.
   */
  rewards: {
    id: string;
    partnerId: string;
    vendorId: string;
    completedOn: IsoDate;
    programId: string;
    period: string;
    currency: string;
    shareMinor: number;
    basisPoints: number;
    rewardMinor: number | null;
    explanation: string;
    /** The explanation as a message the app translates (null for rewards posted before messages). */
    explanationMessage: Message | null;
  }[];
  rewardTotals: { currency: string; totalMinor: number; shares: number }[];
}

/** The message a stored JSON (a reward's ledger line, an event's detail) keeps, if any. */
function storedMessage(json: string | null | undefined): Message | null {
  if (!json) return null;
  try {
    const stored = JSON.parse(json) as { message?: Message } | null;
    return stored?.message ?? null;
  } catch {
    return null;
  }
}

export async function getAgreement(
  ctx: AppContext,
  scope: Scope,
  id: string,
  options: { asOf?: IsoDate | undefined; canManage?: boolean } = {},
): Promise<AgreementDetail> {
  const db = ctx.store.db;
  const repo = agreementRepository(db);
  const row = await repo.get(scope, id);
  if (!row) throw notFound('agreement', id);
  const day = options.asOf ?? todayOf(ctx);
  const [t] = await termsOf(db, [row], day);
  if (!t) throw notFound('agreement', id);
  const d = t.definition;
  const bonus = d.provisions.crossVendorSolutionBonus;
  const mine = scope.kind === 'vendor' ? t.parties.find((p) => p.vendorId === scope.vendorId) : undefined;
  const rewards = await repo.rewards(scope, t.id, 100);
  const stored = await repo.rewardExplanations(rewards.map((r) => r.transactionId));
  return {
    ...summaryOf(t, day, await visibleVendors(db, scope)),
    terms: {
      noticeDays: d.termination.noticeDays,
      changeOfControl: d.termination.changeOfControl,
      convenience: d.termination.convenience,
      continuity: {
        enabled: d.provisions.benefitContinuity.enabled,
        programs: [...d.provisions.benefitContinuity.programs],
        crossCredit: d.provisions.crossCredit.map((c) => ({
          from: c.from,
          to: c.to,
          sharePpm: c.share,
          description: c.description,
        })),
      },
      solutionReward: bonus
        ? {
            pointsPpm: bonus.points,
            window: durationText(bonus.window),
            requires: bonus.requires.map((r) => ({ vendor: r.vendor, families: [...r.families] })),
            funding: bonus.funding.map((f) => ({ vendor: f.vendor, basisPoints: f.basisPoints })),
          }
        : null,
    },
    events: (await repo.events(t.id)).map((e) => ({
      kind: e.kind,
      onDay: e.onDay,
      sentence: e.sentence,
      sentenceMessage: storedMessage(e.detail),
      at: e.at,
    })),
    // Notice may still be recorded with a past date within the term (the demo records 2023's).
    canGiveNotice: Boolean(mine) && options.canManage === true && t.notice === null,
    yourFunding: mine ? { basisPoints: mine.fundingBasisPoints } : null,
    rewards: rewards.map((r) => ({
      id: r.id,
      partnerId: r.partnerId,
      vendorId: r.vendorId,
      completedOn: r.completedOn,
      programId: r.programId,
      period: r.period,
      currency: r.currency,
      shareMinor: r.shareMinor,
      basisPoints: r.basisPoints,
      // The whole reward is the partner's business (it made every sale); a vendor sees its share only.
      rewardMinor: scope.kind === 'partner' || scope.kind === 'system' ? r.rewardMinor : null,
      explanation: r.explanation,
      explanationMessage: storedMessage(stored.get(r.transactionId)),
    })),
    rewardTotals: await repo.rewardTotals(scope, t.id),
  };
}

/**
 * Gives notice of termination on behalf of the caller's vendor: only a party (anyone else gets "not
 * found", as for an agreement it cannot see), once (the notice table's primary key: of two notices at
 * once one wins, the other is a conflict), for a reason whose clause the agreement has, dated (default
 * today) while the agreement is in force. The termination takes effect notice days later; from that day
 * no cross-vendor accrual counts. Recorded in the agreement's history and audited. The notice a published
 * file records is confirmed by the same party, reason and day (no write); any other second notice is 409.
 */
export async function giveNotice(
  ctx: AppContext,
  who: { actor: Actor | { kind: 'system'; id: string }; scope: Scope },
  id: string,
  input: {
    reason: string;
    date?: IsoDate | undefined;
    note?: string | null | undefined;
    /** With a system scope (CLI operator, demo): the party giving notice, by vendor slug. */
    party?: string | undefined;
    source?: 'api' | 'cli' | 'demo';
    requestId?: string | null;
  },
): Promise<AgreementDetail> {
  const today = todayOf(ctx);
  const noticeDate = input.date ?? today;
  const note = input.note?.trim() ? input.note.trim() : null;
  const now = ctx.clock.now().toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    const repo = agreementRepository(trx);
    const row = await repo.get(who.scope, id);
    if (!row || who.scope.kind === 'partner') throw notFound('agreement', id);
    const [t] = await termsOf(trx, [row], today);
    if (!t) throw notFound('agreement', id);
    const party =
      who.scope.kind === 'vendor'
        ? t.parties.find((p) => p.vendorId === (who.scope as { vendorId: string }).vendorId)
        : t.parties.find((p) => p.slug === input.party);
    if (!party) {
      if (who.scope.kind === 'vendor') throw notFound('agreement', id);
      throw new TrellisError(
        'invalid_input',
        `name the party giving notice: one of ${t.parties.map((p) => p.slug).join(', ')}`,
        [{ location: 'party', message: input.party ? `"${input.party}" is not a party` : 'required' }],
      );
    }
    // The notice the agreement file records (published with it) is confirmed, not given again: the same
    // party, reason and day answer the agreement unchanged (the demo replays 2023's notice this way).
    const [recorded] = await repo.notices([t.id]);
    if (
      recorded?.source === 'file' &&
      t.notice &&
      recorded.byVendorId === party.vendorId &&
      t.notice.reason === input.reason &&
      t.notice.noticeDate === noticeDate
    )
      return;
    const decision = decideNotice({ ...t.definition, code: t.code }, t.notice, {
      by: party.slug,
      reason: input.reason,
      noticeDate,
      note,
      today,
    });
    if (!decision.ok) {
      if (decision.problem === 'conflict')
        throw new TrellisError('conflict', `agreement ${t.code}: ${decision.reason}`);
      throw new TrellisError('invalid_input', `agreement ${t.code}: ${decision.reason}`, [
        { location: decision.location, message: decision.reason },
      ]);
    }
    const n = decision.notice;
    const notice = noticeMessage(party.name, n.reason, n.noticeDate, n.effectiveDate);
    const actorId =
      who.actor.kind === 'person'
        ? who.actor.personId
        : who.actor.kind === 'token'
          ? who.actor.tokenId
          : who.actor.id;
    const inserted = await repo.insertNotice({
      agreementId: t.id,
      byVendorId: party.vendorId,
      reason: n.reason,
      noticeDate: n.noticeDate,
      effectiveDate: n.effectiveDate,
      note: n.note,
      source: input.source ?? 'api',
      givenBy: actorId,
      createdAt: now,
    });
    if (!inserted) throw new TrellisError('conflict', `agreement ${t.code}: notice was already given`);
    await repo.appendEvent({
      id: ctx.ids.next('agreementEvent'),
      agreementId: t.id,
      kind: 'notice',
      vendorId: party.vendorId,
      actorId,
      onDay: n.noticeDate,
      sentence: renderEnglish(notice),
      detail: JSON.stringify({ ...n, source: input.source ?? 'api', message: notice }),
      at: now,
    });
    await recordAudit(trx, ctx, {
      actor: who.actor,
      action: 'agreement.notice',
      target: { type: 'agreement', id: t.id, vendorId: party.vendorId, partnerId: null },
      before: { notice: null },
      after: { ...n },
      requestId: input.requestId ?? null,
      detail: { code: t.code, ...n },
    });
  });
  return getAgreement(ctx, who.scope, id, { canManage: true });
}
