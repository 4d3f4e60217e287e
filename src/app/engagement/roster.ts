import type { Kysely } from 'kysely';
import { markSortedById, type CandidateFacts } from '../../core/engagement/routing.js';
import { addDays } from '../../core/programs/dates.js';
import { zoneOf } from '../../core/programs/zones.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import type { Store } from '../../db/connection.js';
import { engagementUpkeepRepository } from '../../db/repositories/engagement-upkeep-repository.js';
import type { Database } from '../../db/schema.js';

/**
 * The partners a vendor's direct orders may be routed to, kept in memory per store and program: each
 * enrolled seller (resellers and service providers with an active enrolment; distributors sell to
 * resellers, not to end customers) with its tiers and certifications over time and its offer figures.
 * A decision reads it instead of thousands of rows. It is rebuilt when older than ROSTER_TTL_MS and
 * dropped at once by this process's changes (tiers evaluated, offers answered); every decision records
 * each candidate's values, so what was known when it was taken stays on record.
 */
export const ROSTER_TTL_MS = 60_000;

interface Seller {
  id: string;
  name: string;
  zone: string | null;
  /** [from, to) tier records (to null = open), of the program's tier codes only. */
  tiers: { from: string; to: string | null; code: string }[];
  certs: { family: string; from: string; to: string }[];
  /**
   * Its facts from each day its tier or certifications change on (the first from the start of time),
   * earliest first: a day's facts are those of the last segment that starts on or before it. Built with
   * the roster; the offer figures in them are updated in place.
   */
  segments: { from: string; facts: CandidateFacts }[];
}

interface Roster {
  builtAt: number;
  sellers: Seller[];
  /** Candidate facts per order day (a few days kept): tiers and certifications as held that day. */
  byDay: Map<string, CandidateFacts[]>;
  sellerById: Map<string, Seller>;
  stats: Map<string, { openOffers: number; accepted: number; answered: number }>;
}

const ROSTERS = new WeakMap<Store, Map<string, Roster>>();
/** Order days whose candidate arrays are kept: a program year's (an array shares its sellers' facts). */
const DAYS_KEPT = 400;

/** Forgets a vendor's rosters in this process (or every vendor's), so the next decision rebuilds them. */
export function rosterChanged(store: Store, vendorId?: string): void {
  const byKey = ROSTERS.get(store);
  if (!byKey) return;
  if (!vendorId) byKey.clear();
  else for (const key of [...byKey.keys()]) if (key.startsWith(`${vendorId}/`)) byKey.delete(key);
}

/** Updates the offer figures a roster holds after an offer changed state in this process. */
export function rosterStatsChanged(
  store: Store,
  vendorId: string,
  partnerId: string,
  change: { open?: number; accepted?: number; answered?: number },
): void {
  const byKey = ROSTERS.get(store);
  if (!byKey) return;
  for (const [key, roster] of byKey) {
    if (!key.startsWith(`${vendorId}/`)) continue;
    const s = roster.stats.get(partnerId) ?? { openOffers: 0, accepted: 0, answered: 0 };
    s.openOffers += change.open ?? 0;
    s.accepted += change.accepted ?? 0;
    s.answered += change.answered ?? 0;
    roster.stats.set(partnerId, s);
    const seller = roster.sellerById.get(partnerId);
    if (seller) for (const seg of seller.segments) Object.assign(seg.facts, s);
  }
}

async function build(
  db: Kysely<Database>,
  vendorId: string,
  programId: string,
  program: ProgramDefinition,
): Promise<Roster> {
  const tierCodes = new Set(program.tiers.map((t) => t.code));
  const upkeep = engagementUpkeepRepository(db);
  const [enrolled, memberships, certifications, stats] = await Promise.all([
    upkeep.enrolledSellers(programId),
    upkeep.tierRecords(programId),
    upkeep.certifications(vendorId),
    upkeep.offerStats(vendorId),
  ]);
  const sellers = new Map<string, Seller>();
  for (const p of enrolled.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))
    sellers.set(p.id, {
      id: p.id,
      name: p.name,
      zone: zoneOf(program, p.country),
      tiers: [],
      certs: [],
      segments: [],
    });
  for (const m of memberships) {
    if (!tierCodes.has(m.tierCode)) continue;
    sellers.get(m.partnerId)?.tiers.push({ from: m.validFrom, to: m.validTo, code: m.tierCode });
  }
  for (const c of certifications)
    sellers.get(c.partnerId)?.certs.push({ family: c.family, from: c.earnedOn, to: c.expiresOn });
  const roster: Roster = {
    builtAt: Date.now(),
    sellers: [...sellers.values()],
    byDay: new Map(),
    sellerById: sellers,
    stats: new Map(
      stats.map((s) => [
        s.partnerId,
        {
          openOffers: Number(s.openOffers),
          accepted: Number(s.accepted),
          answered: Number(s.accepted) + Number(s.declined) + Number(s.lapsed),
        },
      ]),
    ),
  };
  const rank = new Map(program.tiers.map((t, i) => [t.code, { code: t.code, name: t.name, rank: i }]));
  for (const seller of roster.sellers) {
    // The days its facts may change on: a tier record's first and end day, a certification's first day
    // and the day after its last.
    const days = new Set<string>(['']);
    for (const t of seller.tiers) {
      days.add(t.from);
      if (t.to !== null) days.add(t.to);
    }
    for (const c of seller.certs) {
      days.add(c.from);
      days.add(addDays(c.to, 1));
    }
    seller.segments = [...days]
      .sort()
      .map((day) => ({ from: day, facts: factsOn(seller, day, rank, roster.stats.get(seller.id)) }));
  }
  return roster;
}

/** A seller's facts on a day: the tier and certifications it held that day, its offer figures. */
function factsOn(
  s: Seller,
  day: string,
  rank: ReadonlyMap<string, { code: string; name: string; rank: number }>,
  stats: { openOffers: number; accepted: number; answered: number } | undefined,
): CandidateFacts {
  let tier: CandidateFacts['tier'] = null;
  for (const t of s.tiers)
    if (t.from <= day && (t.to === null || day < t.to)) {
      const r = rank.get(t.code) ?? null;
      if (r && (!tier || r.rank > tier.rank)) tier = r;
    }
  const families = new Set<string>();
  for (const c of s.certs) if (c.from <= day && day <= c.to) families.add(c.family);
  return {
    partnerId: s.id,
    name: s.name,
    tier,
    zone: s.zone,
    certifiedFamilies: [...families],
    openOffers: stats?.openOffers ?? 0,
    accepted: stats?.accepted ?? 0,
    answered: stats?.answered ?? 0,
  };
}

/** The seller's facts on a day: those of its last segment starting on or before it. */
function segmentOn(s: Seller, day: string): CandidateFacts {
  const segs = s.segments;
  let lo = 0;
  let hi = segs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((segs[mid] as Seller['segments'][number]).from <= day) lo = mid;
    else hi = mid - 1;
  }
  return (segs[lo] as Seller['segments'][number]).facts;
}

/** The candidates on a day: every enrolled seller with the tier and certifications it held that day. */
export async function candidatesOn(
  store: Store,
  db: Kysely<Database>,
  vendorId: string,
  programId: string,
  program: ProgramDefinition,
  day: string,
): Promise<CandidateFacts[]> {
  let byKey = ROSTERS.get(store);
  if (!byKey) ROSTERS.set(store, (byKey = new Map()));
  const key = `${vendorId}/${programId}`;
  let roster = byKey.get(key);
  if (!roster || Date.now() - roster.builtAt > ROSTER_TTL_MS) {
    roster = await build(db, vendorId, programId, program);
    byKey.set(key, roster);
  }
  const hit = roster.byDay.get(day);
  if (hit) return hit;
  // Segments share their facts between the days they cover (a day's array holds the same objects).
  const facts = roster.sellers.map((s) => segmentOn(s, day));
  markSortedById(facts);
  if (roster.byDay.size >= DAYS_KEPT) roster.byDay.delete(roster.byDay.keys().next().value as string);
  roster.byDay.set(day, facts);
  return facts;
}
