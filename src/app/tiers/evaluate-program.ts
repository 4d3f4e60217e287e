import { rosterChanged } from '../engagement/roster.js';
import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import { PRODUCT_FAMILIES, isLicensingModel, isProductFamily } from '../../core/model/catalog.js';
import { message, money, percent, renderEnglish, type Message } from '../../core/messages/message.js';
import { applyRate } from '../../core/money/rate.js';
import { conditionLeaves } from '../../core/programs/conditions.js';
import { isPartnerKind } from '../../core/model/partners.js';
import { addDuration } from '../../core/programs/dates.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import { TrellisError } from '../../core/shared/errors.js';
import {
  compileTierEvaluator,
  decideTierChange,
  deriveCertificationFacts,
  type PartnerTierFacts,
  type RevenueSlice,
  type TierEvaluator,
} from '../../core/tiers/index.js';
import { certificationRepository } from '../../db/repositories/certification-repository.js';
import type { MembershipRow, StoredMembershipRow } from '../../db/repositories/membership-repository.js';
import { tierFactsRepository } from '../../db/repositories/tier-facts-repository.js';
import { recordAudit } from '../access/audit.js';
import type { AppContext } from '../context.js';
import { programInForce } from '../programs/program-in-force.js';
import { crossCreditShare, crossCreditTerms } from './cross-credit.js';
import { slotsOf, writeMemberships } from './write-memberships.js';
import { retryOnRace } from '../concurrency.js';

/** Builds each enrolled partner's tier facts for the window ending the day before `asOf`. */
export async function loadTierFacts(
  ctx: AppContext,
  vendorId: string,
  programId: string,
  program: ProgramDefinition,
  asOf: string,
  partnerId?: string,
  /** Also partners whose enrolment ended (a partner's own progress shows its history). */
  options: { includeEnded?: boolean } = {},
): Promise<{
  facts: (PartnerTierFacts & { enrolment: string; crossCredit: CrossCreditSummary[] })[];
  window: { from: string; to: string };
}> {
  const repo = tierFactsRepository(ctx.store.db);
  const window = {
    from: addDuration(asOf, {
      months: -program.qualification.window.months,
      days: -program.qualification.window.days,
    }),
    to: asOf,
  };
  const attributes = readsProductAttributes(program);
  const distributors = await repo.vendorDistributors(vendorId);
  const [enrolled, revenue, certs, terms] = await Promise.all([
    repo.enrolled(programId, partnerId, options),
    repo.revenue(vendorId, window.from, window.to, partnerId, {
      attributes,
      crossChannel: distributors.map((d) => d.id),
    }),
    certificationRepository(ctx.store.db).forTierFacts(
      { kind: 'system' },
      vendorId,
      asOf,
      partnerId ? { partnerIds: [partnerId] } : {},
    ),
    distributors.length > 0
      ? crossCreditTerms(ctx.store.db, { vendorId, slug: program.vendor.slug }, asOf)
      : Promise.resolve([]),
  ]);
  const distributorById = new Map(distributors.map((d) => [d.id, d]));
  const byPartner = new Map<string, number[]>();
  const slicesOf = new Map<string, RevenueSlice[]>();
  const crossOf = new Map<string, Map<string, CrossCreditSummary>>();
  for (const r of revenue) {
    if (!isProductFamily(r.family)) continue;
    let amount = r.amountMinor;
    if (r.via) {
      const d = distributorById.get(r.via.distributorId);
      const answer = d
        ? crossCreditShare(terms, { from: d.vendorSlug, to: program.vendor.slug, day: r.via.day })
        : { share: 0, agreement: null };
      amount = applyRate(r.amountMinor, answer.share);
      const byKey = crossOf.get(r.partnerId) ?? new Map<string, CrossCreditSummary>();
      crossOf.set(r.partnerId, byKey);
      const key = `${r.via.distributorId}\u0000${answer.agreement?.code ?? ''}\u0000${answer.share}`;
      const c = byKey.get(key) ?? {
        distributorId: r.via.distributorId,
        distributorName: d?.name ?? r.via.distributorId,
        throughVendor: d?.vendorSlug ?? '',
        agreement: answer.agreement,
        share: answer.share,
        amountMinor: 0,
        creditedMinor: 0,
        sentence: '',
        sentenceMessage: null,
      };
      c.amountMinor += r.amountMinor;
      c.creditedMinor += amount;
      byKey.set(key, c);
      if (amount === 0) continue;
    }
    let amounts = byPartner.get(r.partnerId);
    if (!amounts) byPartner.set(r.partnerId, (amounts = PRODUCT_FAMILIES.map(() => 0)));
    const i = PRODUCT_FAMILIES.indexOf(r.family);
    amounts[i] = (amounts[i] ?? 0) + amount;
    const licensing = isLicensingModel(r.licensing) ? r.licensing : null;
    if (licensing !== null || r.solution !== null) {
      const slices = slicesOf.get(r.partnerId) ?? [];
      slicesOf.set(r.partnerId, slices);
      slices.push({
        family: r.family,
        amountMinor: amount,
        ...(licensing !== null ? { licensing } : {}),
        ...(r.solution !== null ? { solution: r.solution } : {}),
      });
    }
  }
  const facts = enrolled.map((p) => {
    const slices = slicesOf.get(p.partnerId);
    const cross = crossOf.get(p.partnerId);
    return {
      partnerId: p.partnerId,
      country: p.country,
      kind: isPartnerKind(p.kind) ? p.kind : 'reseller',
      exclusive: p.exclusive === 1,
      revenueByFamily: byPartner.get(p.partnerId) ?? PRODUCT_FAMILIES.map(() => 0),
      ...(slices ? { revenueSlices: slices } : {}),
      certifications: deriveCertificationFacts(certs.get(p.partnerId) ?? [], asOf),
      enrolment: p.status,
      crossCredit: cross
        ? [...cross.values()].map((c) => {
            const m = crossCreditMessage(c, program.currency);
            return { ...c, sentence: renderEnglish(m), sentenceMessage: m };
          })
        : [],
    };
  });
  return { facts, window };
}

/**
 * What a reseller bought through a vendor acting as a distributor (e.g. VMware through Dell), per
 * distributor and agreement: the amount, the share credited and why.
 */
export interface CrossCreditSummary {
  distributorId: string;
  distributorName: string;
  /** The vendor the distributor stands for (slug). */
  throughVendor: string;
  agreement: { code: string; name: string } | null;
  share: number;
  amountMinor: number;
  creditedMinor: number;
  sentence: string;
  /** The sentence as a message the app translates. */
  sentenceMessage: Message | null;
}

/** What a partner bought through a distributor of another vendor, and what it is credited. */
export function crossCreditMessage(c: CrossCreditSummary, currency: string): Message {
  const common = {
    amount: money(c.amountMinor, currency),
    distributor: c.distributorName,
    vendor: c.throughVendor,
  };
  if (c.agreement === null) return message('tiers.crossCreditNone', common);
  return message('tiers.crossCredit', {
    ...common,
    share: percent(c.share),
    agreement: c.agreement.name,
    credited: money(c.creditedMinor, currency),
  });
}

/** The program's qualifying multipliers test the line's product attributes (line.licensing, line.solution). */
export function readsProductAttributes(program: ProgramDefinition): boolean {
  return program.qualifyingMultipliers.some(
    (m) =>
      m.condition !== null &&
      conditionLeaves(m.condition).some(
        ({ leaf }) => leaf.attribute === 'line.licensing' || leaf.attribute === 'line.solution',
      ),
  );
}

export interface EvaluationSummary {
  program: { code: string; version: string };
  asOf: string;
  audit: boolean;
  window: { from: string; to: string };
  evaluated: number;
  upgrades: number;
  downgrades: number;
  held: number;
  unchanged: number;
  started: number;
  tiers: Record<string, number>;
  changes: { partnerId: string; from: string | null; to: string; action: string; reason: string }[];
}

/**
 * Daily re-evaluation (and, on the audit day or with `audit`, the yearly audit) of every partner enrolled
 * in a program: measures over the program's window, the highest tier any path satisfies, then the
 * program's policy decides: upgrades at once, downgrades only at the audit (or at once, if the program
 * says so), grandfathered tiers held. Each change closes the current membership and opens a new one with
 * its effective date, so a later close can post the rebate true-ups it implies. One transaction.
 */
export async function evaluateProgramTiers(
  ctx: AppContext,
  who: { actor: Actor | { kind: 'system'; id: string }; scope: Scope },
  input: { program: string; asOf: string; audit?: boolean; requestId?: string },
): Promise<EvaluationSummary> {
  const pif = await programInForce(ctx, who.scope, input.program, input.asOf);
  const program = pif.definition;
  let evaluator: TierEvaluator;
  try {
    evaluator = compileTierEvaluator(program);
  } catch (e) {
    throw new TrellisError(
      'invalid_input',
      `program ${program.code} cannot be evaluated: ${(e as Error).message}`,
    );
  }
  const { facts, window } = await loadTierFacts(ctx, pif.vendorId, pif.programId, program, input.asOf);
  const tierCodes = evaluator.tierCodes;
  const slots = slotsOf(program);
  const statusCodes = slots.statusCodes;
  const now = ctx.clock.now().toISOString();
  const summary: EvaluationSummary = {
    program: { code: program.code, version: program.version },
    asOf: input.asOf,
    audit: input.audit ?? false,
    window,
    evaluated: facts.length,
    upgrades: 0,
    downgrades: 0,
    held: 0,
    unchanged: 0,
    started: 0,
    tiers: Object.fromEntries(tierCodes.map((t) => [t, 0])),
    changes: [],
  };
  const open = (
    partnerId: string,
    tier: string,
    from: string,
    source: string,
    reason: Message,
    detail: object,
  ): MembershipRow => ({
    id: ctx.ids.next('membership'),
    vendorId: pif.vendorId,
    programId: pif.programId,
    partnerId,
    tierCode: tier,
    validFrom: from,
    validTo: null,
    source,
    reason: renderEnglish(reason),
    createdAt: now,
    grandfatheredUntil: null,
    sponsor: null,
    // The reason as a message the app translates (the column keeps its English text).
    detail: JSON.stringify({ ...detail, reasonMessage: reason }),
  });
  /** Decides every partner's change from the records stored when the run holds its lock. */
  const decide = (stored: readonly StoredMembershipRow[]): MembershipRow[] => {
    // Counted afresh each time: a transaction the store aborted runs again and decides again.
    Object.assign(summary, { upgrades: 0, downgrades: 0, held: 0, unchanged: 0, started: 0, changes: [] });
    summary.tiers = Object.fromEntries(tierCodes.map((t) => [t, 0]));
    const opens: MembershipRow[] = [];
    const currentByPartner = new Map<string, StoredMembershipRow>();
    for (const m of stored) {
      if (statusCodes.has(m.code) || m.validFrom > input.asOf) continue;
      if (m.validTo !== null && m.validTo <= input.asOf) continue;
      const seen = currentByPartner.get(m.partnerId);
      if (!seen || seen.validFrom < m.validFrom) currentByPartner.set(m.partnerId, m);
    }
    for (const f of facts) {
      const evaluation = evaluator.evaluate(f, input.asOf);
      const detail = {
        zone: evaluation.zone,
        qualifiedBy: evaluation.qualifiedBy,
        measures: evaluation.measures,
        window,
        ...(f.crossCredit.length > 0 ? { crossCredit: f.crossCredit } : {}),
      };
      const held = currentByPartner.get(f.partnerId);
      if (!held) {
        summary.started++;
        summary.tiers[evaluation.tier] = (summary.tiers[evaluation.tier] ?? 0) + 1;
        const reasonMessage = evaluation.qualifiedBy
          ? message('tiers.earnedBy', { path: evaluation.qualifiedBy.name })
          : message('tiers.entryTier');
        const reason = renderEnglish(reasonMessage);
        opens.push(open(f.partnerId, evaluation.tier, input.asOf, 'earned', reasonMessage, detail));
        summary.changes.push({
          partnerId: f.partnerId,
          from: null,
          to: evaluation.tier,
          action: 'start',
          reason,
        });
        continue;
      }
      const decision = decideTierChange({
        current: {
          tier: held.code,
          since: held.validFrom,
          source: held.source as 'earned',
          grandfatheredUntil: held.grandfatheredUntil,
        },
        evaluated: evaluation,
        asOf: input.asOf,
        policy: program.qualification,
        tiers: tierCodes,
        ...(input.audit ? { isAuditDate: true } : {}),
      });
      summary.tiers[decision.tier] = (summary.tiers[decision.tier] ?? 0) + 1;
      if (decision.action === 'upgrade' || decision.action === 'downgrade') {
        if (decision.action === 'upgrade') summary.upgrades++;
        else summary.downgrades++;
        opens.push(
          open(f.partnerId, decision.tier, decision.effectiveFrom, 'earned', decision.reasonMessage, detail),
        );
        summary.changes.push({
          partnerId: f.partnerId,
          from: held.code,
          to: decision.tier,
          action: decision.action,
          reason: decision.reason,
        });
      } else if (decision.action === 'hold') summary.held++;
      else summary.unchanged++;
    }
    return opens;
  };
  // Evaluations at once under SERIALIZABLE abort each other's writes without either having decided: the
  // loser runs again on the records the winner left (its decisions are idempotent on them).
  await retryOnRace(() =>
    ctx.store.db.transaction().execute(async (trx) => {
      await writeMemberships(trx, {
        vendorId: pif.vendorId,
        programId: pif.programId,
        ...slots,
        partnerIds: null,
        decide,
      });
      await recordAudit(trx, ctx, {
        actor: who.actor,
        action: input.audit ? 'tiers.audit' : 'tiers.evaluate',
        target: { type: 'program', id: pif.programId, vendorId: pif.vendorId, partnerId: null },
        after: {
          asOf: input.asOf,
          upgrades: summary.upgrades,
          downgrades: summary.downgrades,
          started: summary.started,
        },
        requestId: input.requestId ?? null,
        detail: {
          version: program.version,
          evaluated: summary.evaluated,
          upgrades: summary.upgrades,
          downgrades: summary.downgrades,
          held: summary.held,
          started: summary.started,
        },
      });
    }),
  );
  // Routing ranks partners by the tier they hold: this process's rosters read the new tiers.
  rosterChanged(ctx.store, pif.vendorId);
  return summary;
}
