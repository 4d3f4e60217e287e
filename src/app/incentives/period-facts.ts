import type { Kysely } from 'kysely';
import type {
  FamilyRevenue,
  IncentiveEngine,
  IncentiveLine,
  LineFacts,
  PartnerPeriodFacts,
} from '../../core/incentives/index.js';
import {
  newBusinessWindow,
  PurchaseHistory,
  type LastPurchases,
} from '../../core/incentives/new-business.js';
import { inTurnOrder, leftOfSale, returnInTurn } from '../../core/ledger/clawback.js';
import { periodOf, periodRange, type PeriodRange } from '../../core/ledger/periods.js';
import { keptOfLine } from '../../core/ledger/settlement.js';
import type { ProductFamily } from '../../core/model/catalog.js';
import { addDays, addDuration } from '../../core/programs/dates.js';
import type { NewBusinessComponent, ProgramDefinition } from '../../core/programs/types.js';
import { tierHeldOn } from '../../core/tiers/held-on.js';
import { productRepository } from '../../db/repositories/product-repository.js';
import {
  eachPurchase,
  periodLines,
  settlementRepository,
} from '../../db/repositories/settlement-repository.js';
import type { Store } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import { periodDealFacts } from '../deals/deal-facts.js';
import { partnerFacts, productFacts, type EnrolmentFacts } from './line-facts.js';
import { accrualFacts } from './post-accruals.js';

const NO_ATTRIBUTES = { licensing: null, solution: null } as const;

/** A program's period to load facts for: the program (its enrolments and tiers) and the engine to run. */
export interface PeriodSubject {
  readonly vendorId: string;
  readonly programId: string;
  readonly definition: ProgramDefinition;
  readonly range: PeriodRange;
  readonly engine: IncentiveEngine;
}

export interface LoadedPeriodFacts {
  /** The period's partner lines with their final facts; returns carry their clawback limits. */
  readonly lines: IncentiveLine[];
  /**
   * The same lines with the clawback limits another engine sets (a simulation's draft): a return of a sale
   * of the period may claw back what the sale earns under that engine (limits from the ledger, for sales of
   * earlier periods, are what was paid, whatever the engine).
   */
  linesFor(engine: IncentiveEngine): IncentiveLine[];
  /**
   * Only the lines `linesFor(engine)` changes: the period's returns with the clawback limits that engine
   * sets, each at its index in `lines` (holds no other line: what a simulation keeps between runs).
   */
  readonly returnsFor: ReturnsFor;
  /** Partner facts at the period's end (and growth comparisons) for these partners. */
  partners(partnerIds: readonly string[]): Promise<PartnerPeriodFacts[]>;
  /**
   * What the next period's new business can take instead of reading its look-back (`options.handOver`
   * and the whole vendor read), else null.
   */
  readonly lastPurchases: LastPurchases | null;
}

/** How a run of consecutive periods (a simulation's) shares what new business reads between them. */
export interface PeriodFactsOptions {
  /**
   * The last purchases the period before handed over (used when they fit this period). Taken: the load
   * sets it to null once it has recorded them, so that they are not held while the period loads.
   */
  lastPurchases?: LastPurchases | null;
  /** Hand this period's last purchases over to the next (`LoadedPeriodFacts.lastPurchases`). */
  readonly handOver?: boolean;
}

/** The period's returns carrying the clawback limits an engine sets, each at its index in the lines. */
export type ReturnsFor = (engine: IncentiveEngine) => readonly { at: number; line: IncentiveLine }[];

interface LoadedLine {
  line: IncentiveLine;
  orderId: string;
  returnsLineId: string | null;
}

/**
 * The facts the period plan (core/incentives/plan.ts) runs on, as the store holds them now: each line with
 * the partner's tier at the period's end (a return: the tier of its sale's period), new business against
 * every purchase now known, the registered-deal benefit, product attributes, and clawback limits of the
 * period's returns. The close, its dry run, projected earnings and simulations load them here.
 */
export async function loadPeriodFacts(
  db: Kysely<Database>,
  store: Store,
  subject: PeriodSubject,
  /** One partner, a list of partners (a shard of a close: close-shards.ts), or every partner (null). */
  partners: string | readonly string[] | null,
  options: PeriodFactsOptions = {},
): Promise<LoadedPeriodFacts> {
  // A shard's list filters the period's lines; the small reads (enrolments, tiers) read every partner.
  const partnerId = typeof partners === 'string' ? partners : null;
  const r = subject;
  const { engine, range } = subject;
  const program = subject.definition;
  const repo = settlementRepository(db);
  const tierCodes = program.tiers.map((t) => t.code);
  const floorTier = tierCodes[0] ?? 'authorized';
  const enrolments = new Map<string, EnrolmentFacts>(
    (await repo.enrolments(r.programId, partnerId)).map((e) => [e.partnerId, e]),
  );
  const rows = (await periodLines(db, store, r.vendorId, range.from, range.to, partners)).filter((l) =>
    enrolments.has(l.resellerId),
  );
  const tiersByPartner = new Map<string, { tierCode: string; validFrom: string; validTo: string | null }[]>();
  for (const m of await repo.memberships(r.programId, tierCodes, partnerId)) {
    const list = tiersByPartner.get(m.partnerId) ?? [];
    list.push(m);
    tiersByPartner.set(m.partnerId, list);
  }
  const { tierOn, tierOfLine } = tierReader(tiersByPartner, floorTier, range.to);

  // A return mirrors its sale: it takes the new-business fact of the line it returns and the tier of that
  // line's period, so it reverses what the sale earned (and no more: see the clawback limits).
  const originals = new Map(
    (
      await repo.lineDates(r.vendorId, [
        ...new Set(rows.map((l) => l.returnsLineId).filter((x): x is string => x !== null)),
      ])
    ).map((o) => [o.id, o]),
  );
  const nb = program.components.find((c): c is NewBusinessComponent => c.kind === 'new-business');
  const { isNew, lastPurchases } = await newBusinessOracle(
    db,
    store,
    r.vendorId,
    nb,
    range,
    partnerId ? [...new Set(rows.map((l) => l.customerId))] : null,
    [...originals.values()].filter((o) => o.orderDate < range.from),
    options,
  );
  // The last day of the period of a returned sale's day (by day: a period's range is worked out once).
  const periodEnds = new Map<string, string>();
  const periodEndOf = (day: string): string => {
    let end = periodEnds.get(day);
    if (end === undefined) {
      const p = periodOf(program, day);
      periodEnds.set(day, (end = p ? periodRange(program, p).to : range.to));
    }
    return end;
  };
  const factsDay = (l: (typeof rows)[number]) => {
    const o = l.returnsLineId ? originals.get(l.returnsLineId) : undefined;
    if (!o)
      return { tier: tierOfLine(l.resellerId, l.orderDate), newBusiness: isNew(l.customerId, l.orderDate) };
    const end = periodEndOf(o.orderDate);
    const tier =
      tierOn(l.resellerId, end) ?? tierOn(l.resellerId, o.orderDate) ?? tierOfLine(l.resellerId, l.orderDate);
    return { tier, newBusiness: isNew(o.customerId, o.orderDate) };
  };

  // The registered-deal benefit (src/core/deals/benefit.ts), read only when the program pays one.
  const dealFact = program.components.some((c) => c.kind === 'deal-registration')
    ? await periodDealFacts(db, r.vendorId, rows)
    : () => false;
  // The product attributes programs test (line.licensing, line.solution), as real-time accrual read them.
  const attributes = await productRepository(db).attributes(r.vendorId);
  // Lines of one partner and order context with the same tier and facts share one facts object. The
  // order's part of the key (and, for its sales, the day's facts) is worked out once per order.
  // (Keyed in two levels: the order's part, then the line's own (deal, attributes), so that a line hashes
  // a short key, not the order's long one.)
  const factsCache = new Map<string, Map<string, LineFacts>>();
  const attributeKey = new Map<string, string>();
  type OrderPart = { day: { tier: string; newBusiness: boolean }; facts: Map<string, LineFacts> };
  const orderPart = new Map<string, OrderPart>();
  // Each row is let go as soon as its line is made, so that a period's rows and its lines are not held
  // together (a large quarter: two million of each).
  const loaded: LoadedLine[] = [];
  for (let i = 0; i < rows.length; i++) {
    const l = rows[i] as (typeof rows)[number];
    (rows as unknown[])[i] = undefined;
    const sale = l.returnsLineId === null;
    let part = sale ? orderPart.get(l.orderId) : undefined;
    if (!part) {
      const day = factsDay(l);
      const prefix = `${l.resellerId}|${l.channel}|${l.country}|${l.region}|${l.segment}|${day.tier}|${day.newBusiness ? 1 : 0}`;
      let facts = factsCache.get(prefix);
      if (!facts) factsCache.set(prefix, (facts = new Map()));
      part = { day, facts };
      if (sale) orderPart.set(l.orderId, part);
    }
    const { day } = part;
    const deal = dealFact(l);
    const attrs = attributes.get(l.productId) ?? NO_ATTRIBUTES;
    let attrKey = attributeKey.get(l.productId);
    if (attrKey === undefined)
      attributeKey.set(l.productId, (attrKey = `${attrs.licensing ?? ''}|${attrs.solution ?? ''}`));
    const key = `${deal ? 1 : 0}|${attrKey}`;
    let facts = part.facts.get(key);
    if (!facts) {
      facts = {
        ...accrualFacts(
          program,
          { ...l, channel: l.channel as never },
          enrolments.get(l.resellerId) as EnrolmentFacts,
          day.tier,
          day.newBusiness,
        ),
        registeredDeal: deal,
        ...productFacts(attrs),
      };
      part.facts.set(key, facts);
    }
    loaded.push({
      orderId: l.orderId,
      returnsLineId: l.returnsLineId,
      line: {
        lineId: l.id,
        partnerId: l.resellerId,
        customerId: l.customerId,
        orderDate: l.orderDate,
        family: l.family as ProductFamily,
        amountMinor: l.amountMinor,
        quantity: l.quantity,
        orderTotalMinor: l.totalMinor,
        facts,
      },
    });
  }
  rows.length = 0;
  const returnsFor = await clawbackLimits(repo, range, loaded, originals);
  // Built outside this function's scope: a closure made here would keep everything the lines were worked
  // out with (the purchase history, the orders' facts) alive as long as the facts are (a close's plan, a
  // simulation's history cache).
  return loadedFacts(
    engine,
    loaded.map((l) => l.line),
    returnsFor,
    partnersReader(repo, subject, enrolments, tierOfLine),
    lastPurchases,
  );
}

/** The tier a partner holds on a day, and the tier a line of the period is paid at (the final tier first). */
function tierReader(
  tiersByPartner: ReadonlyMap<
    string,
    readonly { tierCode: string; validFrom: string; validTo: string | null }[]
  >,
  floorTier: string,
  periodEnd: string,
) {
  const tierOn = (partnerId: string, day: string): string | null =>
    tierHeldOn(tiersByPartner.get(partnerId) ?? [], day);
  const finalTier = new Map<string, string | null>();
  const tierOfLine = (partnerId: string, day: string): string => {
    if (!finalTier.has(partnerId)) finalTier.set(partnerId, tierOn(partnerId, periodEnd));
    return finalTier.get(partnerId) ?? tierOn(partnerId, day) ?? floorTier;
  };
  return { tierOn, tierOfLine };
}

function partnersReader(
  repo: ReturnType<typeof settlementRepository>,
  subject: PeriodSubject,
  enrolments: Map<string, EnrolmentFacts>,
  tierOfLine: (partnerId: string, day: string) => string,
): LoadedPeriodFacts['partners'] {
  return (ids) => periodFacts(repo, subject, [...ids], enrolments, (p) => tierOfLine(p, subject.range.to));
}

function loadedFacts(
  engine: IncentiveEngine,
  lines: readonly IncentiveLine[],
  returnsFor: ReturnsFor,
  partners: LoadedPeriodFacts['partners'],
  lastPurchases: LastPurchases | null,
): LoadedPeriodFacts {
  const linesFor = (other: IncentiveEngine) => {
    const out = [...lines];
    for (const r of returnsFor(other)) out[r.at] = r.line;
    return out;
  };
  const own = linesFor(engine);
  return {
    lines: own,
    linesFor: (other) => (other === engine ? own : linesFor(other)),
    returnsFor,
    partners,
    lastPurchases,
  };
}

/**
 * New business (core/incentives/new-business.ts) with every purchase now known. For the days of the period
 * only the last purchase of each customer and family before it matters (a window reaching back from a day
 * of the period holds an earlier purchase only if it holds the last one), plus the purchases in the
 * period; returns of lines sold before the period ask about their sale's day, so their customers' purchases
 * are read in full from the look-back before the earliest such sale. Over the whole vendor, the last
 * purchases may come from the period before (`options.lastPurchases`: a simulation's consecutive periods
 * read each look-back once), and this period's may be handed over to the next (`options.handOver`).
 */
async function newBusinessOracle(
  db: Kysely<Database>,
  store: Store,
  vendorId: string,
  nb: NewBusinessComponent | undefined,
  range: { from: string; to: string },
  customers: string[] | null,
  earlierSales: readonly { customerId: string; orderDate: string }[],
  options: PeriodFactsOptions,
): Promise<{ isNew: (customerId: string, day: string) => boolean; lastPurchases: LastPurchases | null }> {
  if (!nb) return { isNew: () => false, lastPurchases: null };
  const history = new PurchaseHistory();
  const add = (customerId: string, family: string, day: string) => history.add(customerId, family, day);
  const windowFrom = newBusinessWindow(nb, range.from).from;
  const whole = customers === null;
  const carried = whole ? (options.lastPurchases ?? null) : null;
  options.lastPurchases = null;
  if (!carried || !history.addLast(carried, nb.families, windowFrom, range.from))
    await eachPurchase(db, store, 'last', vendorId, nb.families, windowFrom, range.from, customers, add);
  // The period's own purchases (a day's purchases count only for the days after it, so the last day's are
  // read only to hand them over).
  const handOver = whole && options.handOver === true;
  const before = handOver ? addDays(range.to, 1) : range.to;
  await eachPurchase(db, store, 'every', vendorId, nb.families, range.from, before, customers, add);
  if (earlierSales.length > 0) {
    const earliest = earlierSales.reduce((m, o) => (o.orderDate < m ? o.orderDate : m), range.from);
    const buyers = [...new Set(earlierSales.map((o) => o.customerId))];
    const from = newBusinessWindow(nb, earliest).from;
    await eachPurchase(db, store, 'every', vendorId, nb.families, from, range.from, buyers, add);
  }
  return {
    isNew: (customerId, day) => history.isNew(nb, customerId, day),
    lastPurchases: handOver ? history.lastPurchases(nb.families, windowFrom, before) : null,
  };
}

/**
 * Clawback limits (core/ledger/clawback.ts) for the period's returns: per accrual component, what the
 * partner kept of the returned line less what earlier returns of it clawed back. For a line sold before
 * the period, what it kept is its credits scaled by what its period's close kept of the component (read
 * once, whatever the engine); for a line sold in the period, what it earns under the engine applied.
 * Returns of the same line in this period take their turn in date order, each limited by what the previous
 * ones left. `apply(engine)` returns the period's lines, returns carrying their limits under that engine.
 */
async function clawbackLimits(
  repo: ReturnType<typeof settlementRepository>,
  range: PeriodRange,
  loaded: readonly LoadedLine[],
  /** The returned lines' days, as already read (every line a line of the period returns). */
  saleDays: ReadonlyMap<string, { orderDate: string }>,
): Promise<ReturnsFor> {
  const returns = loaded.flatMap((l, at) =>
    l.returnsLineId !== null && l.line.amountMinor < 0 ? [{ l, at }] : [],
  );
  if (returns.length === 0) return () => [];
  const originals = [...new Set(returns.map((r) => r.l.returnsLineId as string))];
  const earlier = originals.filter((o) => (saleDays.get(o)?.orderDate ?? range.from) < range.from);
  const isEarlier = new Set(earlier);
  const fromLedger = new Map<string, Map<string, number>>(); // earlier sale -> component -> kept - clawed
  if (earlier.length > 0) {
    const siblings = (await repo.returnsOf(earlier)).filter((s) => s.orderDate < range.from);
    const credits = await repo.lineCredits([...earlier, ...siblings.map((s) => s.id)]);
    const splitKeys = new Map<string, Set<string>>();
    for (const c of credits)
      if (isEarlier.has(c.lineId)) {
        const set = splitKeys.get(c.programId) ?? new Set<string>();
        set.add(c.period);
        splitKeys.set(c.programId, set);
      }
    const split = new Map<string, { lineMinor: number; closeMinor: number }>();
    const partners = [...new Set(credits.map((c) => c.partnerId).filter((p): p is string => p !== null))];
    for (const [programId, periods] of splitKeys)
      for (const s of await repo.componentSplit(programId, [...periods], partners))
        split.set(`${programId}\u0000${s.partnerId}\u0000${s.period}\u0000${s.component}`, s);
    const originalOf = new Map(siblings.map((s) => [s.id, s.returnsLineId as string]));
    // Each earlier sale's own credits, and its earlier returns' credits.
    const creditsOf = new Map<string, typeof credits>();
    const clawedOf = new Map<string, typeof credits>();
    for (const c of credits) {
      const sale = originalOf.get(c.lineId);
      const into = sale === undefined ? creditsOf : clawedOf;
      const key = sale ?? c.lineId;
      const list = into.get(key);
      if (list) list.push(c);
      else into.set(key, [c]);
    }
    for (const o of earlier) {
      const kept = (creditsOf.get(o) ?? []).map((c) => {
        const sp = split.get(`${c.programId}\u0000${c.partnerId}\u0000${c.period}\u0000${c.component}`);
        return {
          component: c.component,
          amountMinor: keptOfLine(c.amountMinor, sp?.lineMinor ?? 0, sp?.closeMinor ?? 0),
        };
      });
      // A return's credit is negative.
      fromLedger.set(o, leftOfSale(kept, clawedOf.get(o) ?? []));
    }
  }
  // Sold in the period: what the sale earns under the engine (a sale not in the period's lines earned
  // nothing here, so its return claws nothing back). Only the returned sales are kept.
  const returned = new Set(originals);
  const inPeriod = new Map<string, IncentiveLine>();
  for (const l of loaded) if (returned.has(l.line.lineId)) inPeriod.set(l.line.lineId, l.line);
  const turns = inTurnOrder(
    returns.map((r) => ({
      line: r.l.line,
      returnsLineId: r.l.returnsLineId as string,
      at: r.at,
      lineId: r.l.line.lineId,
      orderDate: r.l.line.orderDate,
    })),
  );
  return returnsInTurn(originals, fromLedger, isEarlier, inPeriod, turns);
}

/** `ReturnsFor` over what it needs only (nothing else of the period stays reachable from it). */
function returnsInTurn(
  originals: readonly string[],
  fromLedger: ReadonlyMap<string, Map<string, number>>,
  isEarlier: ReadonlySet<string>,
  inPeriod: ReadonlyMap<string, IncentiveLine>,
  turns: readonly { line: IncentiveLine; returnsLineId: string; at: number }[],
): ReturnsFor {
  return (engine) => {
    const accrue = engine.lineAccruals();
    const left = new Map<string, Map<string, number>>();
    for (const o of originals) {
      const ledger = fromLedger.get(o);
      if (ledger) left.set(o, new Map(ledger));
      else if (!isEarlier.has(o)) {
        const sale = inPeriod.get(o);
        left.set(o, leftOfSale(sale && sale.amountMinor > 0 ? accrue(sale) : []));
      } else left.set(o, new Map());
    }
    const out: { at: number; line: IncentiveLine }[] = [];
    for (const { line, returnsLineId, at } of turns)
      returnInTurn(left.get(returnsLineId) as Map<string, number>, (limits) => {
        const limited = { ...line, clawbackLimitMinor: limits };
        out.push({ at, line: limited });
        return accrue(limited);
      });
    return out;
  };
}

/** Partner facts at the period's end, and growth comparisons when the program has growth accelerators. */
async function periodFacts(
  repo: ReturnType<typeof settlementRepository>,
  r: PeriodSubject,
  partnerIds: string[],
  enrolments: Map<string, EnrolmentFacts>,
  finalTier: (partnerId: string) => string,
): Promise<PartnerPeriodFacts[]> {
  // No partner (a partner's projection with nothing sold in the period): nothing to read; reading the
  // growth base with no partner filter would read every partner's revenue.
  if (partnerIds.length === 0) return [];
  const program = r.definition;
  const { range } = r;
  const growth = program.components.filter((c) => c.kind === 'growth-accelerator');
  const comparisons = new Map<string, Record<string, Partial<Record<ProductFamily, number>>>>();
  const only = partnerIds.length === 1 ? (partnerIds[0] ?? null) : null;
  const months = program.periods === 'month' ? 1 : 3;
  const ranges: Record<string, [string, string]> = {
    'same-period-last-year': [
      addDuration(range.from, { months: -12, days: 0 }),
      addDuration(range.to, { months: -12, days: 0 }),
    ],
    'previous-period': [addDuration(range.from, { months: -months, days: 0 }), addDays(range.from, -1)],
  };
  for (const kind of new Set(growth.map((g) => (g as { comparedWith: string }).comparedWith))) {
    const span = ranges[kind];
    if (!span) continue;
    for (const row of await repo.revenue(r.vendorId, span[0], span[1], only)) {
      const byKind = comparisons.get(row.partnerId) ?? {};
      const fam = byKind[kind] ?? {};
      fam[row.family as ProductFamily] = (fam[row.family as ProductFamily] ?? 0) + row.amountMinor;
      byKind[kind] = fam;
      comparisons.set(row.partnerId, byKind);
    }
  }
  return partnerIds.map((partnerId) => {
    const e = enrolments.get(partnerId);
    const facts: LineFacts | null = e ? partnerFacts(program, e, finalTier(partnerId)) : null;
    const c = comparisons.get(partnerId);
    return {
      partnerId,
      facts,
      comparison:
        growth.length === 0
          ? null
          : {
              'same-period-last-year': (c?.['same-period-last-year'] as FamilyRevenue | undefined) ?? {},
              'previous-period': (c?.['previous-period'] as FamilyRevenue | undefined) ?? {},
            },
    };
  });
}
