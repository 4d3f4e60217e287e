import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  customerMatchKey,
  funderMessage,
  rewardOf,
  solutionSets,
  type SolutionPurchase,
} from '../../core/agreements/solution-sets.js';
import type { PeriodRange } from '../../core/ledger/periods.js';
import { renderEnglish } from '../../core/messages/message.js';
import { addDuration } from '../../core/programs/dates.js';
import { ACCOUNTS, TX_KINDS } from '../../core/ledger/settlement.js';
import { PPM_ONE } from '../../core/money/rate.js';
import type { IdGenerator } from '../../core/shared/ids.js';
import { agreementRepository } from '../../db/repositories/agreement-repository.js';
import { ledgerRepository } from '../../db/repositories/ledger-repository.js';
import type { Database } from '../../db/schema.js';
import { agreementTermsFor, type AgreementTerms } from './agreements.js';

/** The ledger component of a cross-vendor solution reward. */
export const SOLUTION_REWARD_COMPONENT = 'solution-reward';

export interface SolutionRewardPosting {
  transactions: number;
  entries: number;
  netMinor: number;
  /** Shares posted by this close. */
  rewards: number;
}

interface PurchaseRow extends SolutionPurchase {
  partnerId: string;
  customerId: string;
  customerKey: string;
}

/**
 * Posts, at a vendor's period close, its funded share of every cross-vendor solution reward completed in
 * the period (and inside the agreement's accrual window) for partners enrolled in the closed program:
 * each agreement the vendor is party to that binds this program. The sets are computed from the smallest
 * shared facts (for a partner and a customer matched across vendors by country and normalised name: which
 * party sold which required family on which day, with the line's amount for the reward's base); the
 * funder's row and ledger line name only its own lines. One `agreement_rewards` row per (agreement,
 * party, partner, set), unique in the database: a re-close, or a second close racing the first, posts no
 * share twice. A set completed on or after the termination's effective day earns nothing; earlier ones
 * stand. Runs in the close's transaction.
 */
export async function postSolutionRewards(
  db: Kysely<Database>,
  deps: { ids: IdGenerator },
  c: {
    vendorId: string;
    programId: string;
    currency: string;
    range: PeriodRange;
    partnerId: string | null;
    /** Null for a dry run: computes what the close would post (projections), writes nothing. */
    closeId: string | null;
    now: string;
  },
): Promise<SolutionRewardPosting> {
  const out: SolutionRewardPosting = { transactions: 0, entries: 0, netMinor: 0, rewards: 0 };
  const terms = await agreementTermsFor(db, c.vendorId, c.range.to);
  for (const a of terms) {
    const me = a.parties.find((p) => p.vendorId === c.vendorId);
    const bonus = a.definition.provisions.crossVendorSolutionBonus;
    if (!me || !bonus || !me.programs.some((p) => p.id === c.programId) || me.fundingBasisPoints === 0)
      continue;
    if (a.window === null) continue;
    const from = a.window.from > c.range.from ? a.window.from : c.range.from;
    const last = a.window.lastDay !== null && a.window.lastDay < c.range.to ? a.window.lastDay : c.range.to;
    if (from > last) continue;
    await postAgreement(db, deps, c, a, me.slug, { from, last }, out);
  }
  return out;
}

async function postAgreement(
  db: Kysely<Database>,
  deps: { ids: IdGenerator },
  c: Parameters<typeof postSolutionRewards>[2],
  a: AgreementTerms,
  funder: string,
  span: { from: string; last: string },
  out: SolutionRewardPosting,
): Promise<void> {
  const bonus = a.definition.provisions.crossVendorSolutionBonus;
  if (!bonus || !a.window) return;
  const repo = agreementRepository(db);
  // Every required party's qualifying lines from the agreement's first day to the last day counted, for
  // partners enrolled in the closed program: the sets are formed over the agreement's whole history, so
  // every close forms the same sets.
  // Pruning: a set completed in the period has every required party's purchase in [period start - window,
  // period end]; only partners with such purchases from every party are read in full.
  const recentFrom = addDuration(span.from, { months: -bonus.window.months, days: -bonus.window.days });
  const found: Set<string>[] = [];
  for (const r of bonus.requires) {
    const party = a.parties.find((p) => p.slug === r.vendor);
    if (!party) return;
    const sellerRows = await agreementRepository(db).solutionSellers({
      vendorId: party.vendorId,
      families: r.families,
      from: recentFrom > a.window.from ? recentFrom : a.window.from,
      to: span.last,
      currency: c.currency,
      programVendorId: c.vendorId,
      programId: c.programId,
      partnerId: c.partnerId,
    });
    const sellers = new Set(sellerRows);
    if (sellers.size === 0) return;
    found.push(sellers);
  }
  const partners = [...(found[0] ?? [])].filter((p) => found.every((f) => f.has(p))).sort();
  if (partners.length === 0) return;
  const purchases: PurchaseRow[] = [];
  for (const r of bonus.requires) {
    const party = a.parties.find((p) => p.slug === r.vendor);
    if (!party) continue;
    for (let i = 0; i < partners.length; i += 500) {
      for (const l of await agreementRepository(db).solutionPurchases({
        vendorId: party.vendorId,
        families: r.families,
        from: a.window.from,
        to: span.last,
        currency: c.currency,
        partnerIds: partners.slice(i, i + 500),
      }))
        purchases.push({
          party: r.vendor,
          lineId: l.id,
          day: l.orderDate,
          family: l.family,
          amountMinor: Number(l.amountMinor),
          partnerId: l.resellerId as string,
          customerId: l.customerId,
          customerKey: customerMatchKey(l.name, l.country),
        });
    }
  }
  const groups = new Map<string, PurchaseRow[]>();
  for (const p of purchases) {
    const key = `${p.partnerId}\u0000${p.customerKey}`;
    const list = groups.get(key) ?? [];
    list.push(p);
    groups.set(key, list);
  }
  const posted = await repo.postedSets(a.id, c.vendorId);
  const required = bonus.requires.map((r) => r.vendor);
  const ledger = ledgerRepository(db);
  for (const [groupKey, list] of [...groups.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    const [partnerId = '', customerKey = ''] = groupKey.split('\u0000');
    for (const set of solutionSets(list, required, bonus.window)) {
      if (set.completedOn < span.from || set.completedOn > span.last) continue;
      const setKey = `${customerKey}|${set.startDay}|${set.completedOn}`;
      if (posted.has(`${partnerId}\u0000${setKey}`)) continue;
      const reward = rewardOf(set, bonus);
      const part = reward.parts.find((p) => p.vendor === funder);
      if (!part || part.amountMinor === 0) continue;
      const own = (set.purchases as PurchaseRow[]).filter((p) => p.party === funder);
      const ownBase = own.reduce((s, p) => s + p.amountMinor, 0);
      const explanation = funderMessage({
        agreementName: a.name,
        agreementCode: a.code,
        funder,
        points: bonus.points,
        window: bonus.window,
        completedOn: set.completedOn,
        ownPurchases: own,
        part,
        currency: c.currency,
      });
      const text = renderEnglish(explanation);
      if (c.closeId === null) {
        // A dry run: what the close would post.
        out.transactions++;
        out.entries += 2;
        out.netMinor += part.amountMinor;
        out.rewards++;
        continue;
      }
      const txId = deps.ids.next('ledgerTransaction');
      const recorded = await repo.insertReward({
        id: deps.ids.next('agreementReward'),
        agreementId: a.id,
        vendorId: c.vendorId,
        partnerId,
        setKey,
        customerId: own[0]?.customerId ?? null,
        startDay: set.startDay,
        completedOn: set.completedOn,
        programId: c.programId,
        period: c.range.code,
        currency: c.currency,
        ownLines: JSON.stringify(own.map((p) => p.lineId)),
        ownBaseMinor: ownBase,
        points: bonus.points,
        basisPoints: part.basisPoints,
        shareMinor: part.amountMinor,
        rewardMinor: reward.rewardMinor,
        transactionId: txId,
        closeId: c.closeId,
        explanation: text,
        createdAt: c.now,
      });
      if (!recorded) continue;
      const common = {
        transactionId: txId,
        vendorId: c.vendorId,
        partnerId,
        programId: c.programId,
        currency: c.currency,
        period: c.range.code,
        component: SOLUTION_REWARD_COMPONENT,
        ruleId: `agreement/${a.code}`,
        ruleVersion: a.code,
        lineId: null,
        baseMinor: ownBase,
        rate: bonus.points,
        effectiveRate: 0,
        tier: '',
        multiplier: PPM_ONE,
        budgetPool: null,
        explanation: JSON.stringify({
          text,
          message: explanation,
          condition: [],
          type: 'solution-reward',
          agreement: a.code,
        }),
      };
      const entries = [
        {
          ...common,
          id: deps.ids.next('ledgerEntry'),
          account: ACCOUNTS.expense,
          amountMinor: part.amountMinor,
        },
        {
          ...common,
          id: deps.ids.next('ledgerEntry'),
          account: ACCOUNTS.payable,
          amountMinor: -part.amountMinor,
        },
      ];
      await ledger.append(
        {
          id: txId,
          vendorId: c.vendorId,
          partnerId,
          programId: c.programId,
          kind: TX_KINDS.solutionReward,
          idempotencyKey: `agreement:${a.id}:${c.vendorId}:${createHash('sha256').update(`${partnerId}|${setKey}`).digest('hex').slice(0, 32)}`,
          inputHash: createHash('sha256')
            .update(JSON.stringify([a.id, c.vendorId, partnerId, setKey, part.amountMinor]))
            .digest('hex'),
          orderId: null,
          effectiveDate: set.completedOn,
          period: c.range.code,
          reversesId: null,
          postedAt: c.now,
        },
        entries,
      );
      out.transactions++;
      out.entries += entries.length;
      out.netMinor += part.amountMinor;
      out.rewards++;
    }
  }
}
