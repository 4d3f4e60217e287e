import type { RuleApplication } from '../ledger/postings.js';
import {
  summarizeComponents,
  type PartnerComponentTotal,
  type PeriodPlan,
  type PlannedCloseItem,
  type PlannedPosting,
} from './plan.js';
import type { CloseProposal, IncentiveLine } from './types.js';

/**
 * A period's plan computed in shards of partners (issue 18: one vendor's close split across processes).
 *
 * Everything the plan computes per line or per partner (accruals, close items with their caps and minimums,
 * true-ups against what the ledger holds) reads one partner's facts only, so the partners can be split
 * into shards, each planned on its own (in another thread or on another machine), and the shards' plans
 * merged into the plan of the whole period. What spans partners (the summary per component, the totals,
 * the net amount, the close's fingerprint) is computed from the merged plan, never per shard.
 *
 * - `shardOfPartner`: the one rule saying which shard a partner belongs to.
 * - `toShardPlan`: a shard's plan in a compact form that crosses a thread or process boundary (columns
 *   for what there is one of per line or posting, each distinct rule application once).
 * - `mergeShardPlans`: the shards' plans as the one plan of all their partners, in the order the plan of
 *   all partners at once has (lines by id; postings, close items and proposals by partner).
 */

/** The most shards a close is split into. */
export const MAX_SHARDS = 16;

/**
 * The shard (0 ≤ shard < count) a partner's work belongs to: a stable hash (32-bit FNV-1a over the id's
 * UTF-16 code units) of the partner id, modulo the count. The same on every process and machine.
 */
export function shardOfPartner(partnerId: string, count: number): number {
  if (count <= 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < partnerId.length; i++) {
    h ^= partnerId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % count;
}

/** The given partners that belong to the shard (in the order given). */
export function partnersOfShard(partnerIds: readonly string[], shard: number, count: number): string[] {
  return partnerIds.filter((p) => shardOfPartner(p, count) === shard);
}

/** A line of the plan as the merge keeps it: its id and partner (what the close's fingerprint reads). */
export type PlanLine = Pick<IncentiveLine, 'lineId' | 'partnerId'>;

/** One shard's plan, serializable (structured clone, JSON but for the typed arrays). */
export interface ShardPlan {
  /** The shard's lines, by id. */
  readonly lineIds: readonly string[];
  readonly linePartners: readonly string[];
  /** The accruals of the lines, row i = lineIds[i] (see LineAccruals). */
  readonly width: number;
  readonly codes: readonly string[];
  readonly amounts: Float64Array;
  /** Each distinct rule application of the postings once. */
  readonly applications: readonly RuleApplication[];
  /** The postings as columns, in the plan's order. */
  readonly postings: {
    readonly partnerId: readonly string[];
    readonly lineId: readonly string[];
    readonly baseMinor: Float64Array;
    readonly amountMinor: Float64Array;
    readonly dueMinor: Float64Array;
    /** Index into `applications`. */
    readonly application: Uint32Array;
  };
  readonly closeItems: readonly PlannedCloseItem[];
  readonly proposals: readonly CloseProposal[];
  readonly totals: readonly PartnerComponentTotal[];
  /** Partners with lines, holdings or close items. */
  readonly partners: readonly string[];
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A shard's plan (of `lines`, the lines it was planned on) in its compact form. */
export function toShardPlan(lines: readonly PlanLine[], plan: PeriodPlan): ShardPlan {
  const { width, codes, amounts } = plan.accruals;
  const order = lines.map((_, i) => i);
  const sorted = lines.every((l, i) => i === 0 || byString((lines[i - 1] as PlanLine).lineId, l.lineId) <= 0);
  if (!sorted) order.sort((a, b) => byString((lines[a] as PlanLine).lineId, (lines[b] as PlanLine).lineId));
  const amountsOut = new Float64Array(lines.length * width);
  order.forEach((from, to) => {
    for (let c = 0; c < width; c++) amountsOut[to * width + c] = amounts[from * width + c] as number;
  });
  const n = plan.postings.length;
  const applicationIndex = new Map<RuleApplication, number>();
  const applications: RuleApplication[] = [];
  const postings = {
    partnerId: new Array<string>(n),
    lineId: new Array<string>(n),
    baseMinor: new Float64Array(n),
    amountMinor: new Float64Array(n),
    dueMinor: new Float64Array(n),
    application: new Uint32Array(n),
  };
  plan.postings.forEach((p, i) => {
    let a = applicationIndex.get(p.application);
    if (a === undefined) {
      applicationIndex.set(p.application, (a = applications.length));
      applications.push(p.application);
    }
    postings.partnerId[i] = p.partnerId;
    postings.lineId[i] = p.lineId;
    postings.baseMinor[i] = p.baseMinor;
    postings.amountMinor[i] = p.amountMinor;
    postings.dueMinor[i] = p.dueMinor;
    postings.application[i] = a;
  });
  return {
    lineIds: order.map((i) => (lines[i] as PlanLine).lineId),
    linePartners: order.map((i) => (lines[i] as PlanLine).partnerId),
    width,
    codes,
    amounts: amountsOut,
    applications,
    postings,
    closeItems: plan.closeItems,
    proposals: plan.proposals,
    totals: plan.totals,
    partners: [...plan.partners],
  };
}

/** Items of several shards, by partner: a stable sort (each partner's items are all in one shard). */
function byPartner<T extends { readonly partnerId: string }>(shards: readonly (readonly T[])[]): T[] {
  return shards.flat().sort((a, b) => byString(a.partnerId, b.partnerId));
}

/**
 * The plan of all the shards' partners, from their plans (each partner in one shard only). Equals the plan
 * of all partners at once (`planPeriod` on every line, lines by id), but for the order of `totals`, which
 * says nothing. Throws when a partner is in two shards or the shards ran different engines.
 */
export function mergeShardPlans(shards: readonly ShardPlan[]): { lines: PlanLine[]; plan: PeriodPlan } {
  const first = shards[0];
  if (!first) throw new Error('no shard to merge');
  const { width, codes } = first;
  for (const s of shards)
    if (s.width !== width || s.codes.join('\u0000') !== codes.join('\u0000'))
      throw new Error('shards planned with different engines');
  const partners = new Set<string>();
  for (const s of shards)
    for (const p of s.partners) {
      if (partners.has(p)) throw new Error(`partner ${p} is in more than one shard`);
      partners.add(p);
    }

  // --- lines, by id: a merge of the shards' sorted lines ---
  const count = shards.reduce((n, s) => n + s.lineIds.length, 0);
  const lines: PlanLine[] = new Array<PlanLine>(count);
  const amounts = new Float64Array(count * width);
  const at = shards.map(() => 0);
  for (let out = 0; out < count; out++) {
    let best = -1;
    for (let s = 0; s < shards.length; s++) {
      const i = at[s] as number;
      const shard = shards[s] as ShardPlan;
      if (i >= shard.lineIds.length) continue;
      if (
        best < 0 ||
        byString(
          shard.lineIds[i] as string,
          (shards[best] as ShardPlan).lineIds[at[best] as number] as string,
        ) < 0
      )
        best = s;
    }
    const shard = shards[best] as ShardPlan;
    const i = at[best] as number;
    at[best] = i + 1;
    lines[out] = { lineId: shard.lineIds[i] as string, partnerId: shard.linePartners[i] as string };
    amounts.set(shard.amounts.subarray(i * width, (i + 1) * width), out * width);
  }

  // --- postings: each partner's run, partners in order ---
  const runs: { partnerId: string; shard: ShardPlan; from: number; to: number }[] = [];
  for (const shard of shards) {
    const ids = shard.postings.partnerId;
    for (let i = 0; i < ids.length;) {
      let j = i + 1;
      while (j < ids.length && ids[j] === ids[i]) j++;
      runs.push({ partnerId: ids[i] as string, shard, from: i, to: j });
      i = j;
    }
  }
  runs.sort((a, b) => byString(a.partnerId, b.partnerId));
  const postings: PlannedPosting[] = [];
  const trueUpOf = new Map<string, number>();
  const noteTrueUp = (component: string, diff: number) =>
    trueUpOf.set(component, (trueUpOf.get(component) ?? 0) + diff);
  for (const { shard, from, to } of runs) {
    const c = shard.postings;
    for (let i = from; i < to; i++) {
      const application = shard.applications[c.application[i] as number] as RuleApplication;
      const amountMinor = c.amountMinor[i] as number;
      noteTrueUp(application.component, amountMinor);
      postings.push({
        partnerId: c.partnerId[i] as string,
        lineId: c.lineId[i] as string,
        baseMinor: c.baseMinor[i] as number,
        amountMinor,
        dueMinor: c.dueMinor[i] as number,
        application,
      });
    }
  }
  const closeItems = byPartner(shards.map((s) => s.closeItems));
  for (const i of closeItems) noteTrueUp(i.component, i.amountMinor);
  const proposals = byPartner(shards.map((s) => s.proposals));
  const totals = shards.flatMap((s) => s.totals);

  // --- what spans partners: the summary per component, the net amount, the total ---
  const { components, netMinor } = summarizeComponents(codes, totals, trueUpOf);
  return {
    lines,
    plan: {
      accruals: { width, codes, amounts },
      proposals,
      totals,
      totalMinor: totals.reduce((s, t) => s + t.totalMinor, 0),
      postings,
      closeItems,
      components,
      partners,
      netMinor,
    },
  };
}
