import type { PersonActor } from '../../core/access/actor.js';
import { SYSTEM_SCOPE, type Scope } from '../../core/access/scope.js';
import { FIXED_PARTNERS } from '../../core/demo/partners.js';
import { streamFor } from '../../core/demo/random-tools.js';
import { demoRates } from '../../core/demo/rates.js';
import { demoSettlementPlan, openPeriodsFrom } from '../../core/demo/settlement-plan.js';
import { periodRange } from '../../core/ledger/periods.js';
import { addDays } from '../../core/programs/dates.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import { convertMinor, formatFxRate, RateBook } from '../../core/money/fx.js';
import { TrellisError } from '../../core/shared/errors.js';
import { sequentialIds } from '../../core/shared/ids.js';
import { demoRepository } from '../../db/repositories/demo-repository.js';
import { createContext, type AppContext } from '../context.js';
import { loadRates } from '../currencies/rates.js';
import { setPayoutCurrency } from '../incentives/payout-currency.js';
import { ingestOrder } from '../orders/ingest-order.js';

/**
 * The demo's other currencies (issue 17, docs/currencies.md). Every vendor gets daily EUR/USD and EUR/GBP
 * rates from 2017 to now (`demoRates`: **demo assumptions, not real historical rates**), loaded through
 * the rates use case as a treasury file would be. Then four EMEA partners of Dell invoice in their own
 * currency through the order intake, one order a week in the quarters the demo settles and in those still
 * open (on small and medium FY24-Q4, then the last due quarter and this one; older periods are never closed,
 * and an accrual there would be swept into the next statement): Bluepeak IT Solutions (Germany) and the
 * first French reseller in euros, the first British reseller in pounds, Meridian Distribution (United
 * Kingdom) reporting its sell-out to British resellers in pounds; one of Bluepeak's lines is returned,
 * converted at its sale's rate. Bluepeak and the French reseller are paid in euros, the British reseller
 * and Meridian in pounds (their statements show both amounts and post the conversion and its rounding in
 * the ledger when the settlement pays them).
 * Deterministic for a seed and `now`.
 */
export interface DemoCurrenciesSummary {
  /** Rates loaded per vendor. */
  rates: number;
  /** Orders posted, by currency. */
  orders: Record<string, number>;
  returns: number;
  /** Partners paid in another currency than the program's. */
  payoutCurrencies: { partnerId: string; currency: string }[];
  /** Orders the intake refused (none expected). */
  skipped: number;
  seconds: number;
}

const DELL = 'dell';
const DELL_PROGRAM = 'dell-emc-partner-program';
/** Rates from the first business day of 2017 (before the merged program's first day). */
const RATES_FROM = '2017-01-02';
const DEMO_RATES_SOURCE = 'demo assumptions (not real rates)';

const system = { actor: { kind: 'system' as const, id: 'demo' }, scope: SYSTEM_SCOPE };

export async function loadDemoCurrencies(
  base: AppContext,
  options: {
    seed: number;
    now: Date;
    /** As the settlement is given (demoSettlementPlan): the orders fall in the periods it settles or leaves open. */
    perProgram: number;
    storyPeriods: readonly string[];
  },
): Promise<DemoCurrenciesSummary> {
  const started = performance.now();
  const today = options.now.toISOString().slice(0, 10);
  /** The instant the next step happens at (never after now): each order is posted on its day. */
  let at = options.now.getTime();
  const ctx = createContext(base.store, {
    clock: { now: () => new Date(Math.min(at, options.now.getTime())) },
    ids: sequentialIds(`x${options.seed.toString(36)}`),
  });
  const demo = demoRepository(ctx.store.db);
  const rates = demoRates(options.seed, RATES_FROM, today);
  const summary: DemoCurrenciesSummary = {
    rates: rates.length,
    orders: {},
    returns: 0,
    payoutCurrencies: [],
    skipped: 0,
    seconds: 0,
  };
  const rows = rates.map((r) => ({ base: r.base, quote: r.quote, day: r.day, rate: formatFxRate(r.rate) }));
  for (const slug of ['dell', 'vmware'])
    if (await ctx.repos.vendors.findBySlug(slug))
      await loadRates(ctx, system, rows, { vendor: slug, source: DEMO_RATES_SOURCE });

  const dell = await ctx.repos.vendors.findBySlug(DELL);
  if (!dell) return { ...summary, seconds: (performance.now() - started) / 1000 };
  const admin = await demo.firstVendorAdmin(dell.id);
  if (!admin) return { ...summary, seconds: (performance.now() - started) / 1000 };
  const actor: PersonActor = {
    kind: 'person',
    personId: admin.id,
    sessionId: 'demo-load',
    email: admin.email,
    name: admin.name,
    vendorId: admin.vendorId,
    partnerId: admin.partnerId,
    roles: ['vendor-admin'],
    regions: JSON.parse(admin.regions) as string[],
  };
  const who = { actor, scope: { kind: 'vendor', vendorId: dell.id, regions: [] } as Scope };

  // --- who invoices in what ---
  const byDomain = await demo.partnerIdsByDomain(FIXED_PARTNERS.map((f) => f.domain));
  const bluepeak = byDomain.get('bluepeak.demo');
  const meridian = byDomain.get('meridian.demo');
  const french = (await demo.resellersIn(dell.id, 'FR', 1))[0]?.id;
  type Seller = { partnerId: string; currency: string; country: string; distributor: boolean };
  const sellers: Seller[] = [];
  if (bluepeak) sellers.push({ partnerId: bluepeak, currency: 'EUR', country: 'DE', distributor: false });
  if (french) sellers.push({ partnerId: french, currency: 'EUR', country: 'FR', distributor: false });
  const british = (await demo.resellersIn(dell.id, 'GB', 1))[0]?.id;
  if (british) sellers.push({ partnerId: british, currency: 'GBP', country: 'GB', distributor: false });
  if (meridian) sellers.push({ partnerId: meridian, currency: 'GBP', country: 'GB', distributor: true });

  // --- their customers and what they sell ---
  const products = (await demo.products(dell.id)).filter((p) => Number(p.listPriceMinor) > 0);
  if (products.length === 0) return { ...summary, seconds: (performance.now() - started) / 1000 };
  const book = new RateBook(rates);
  const rng = streamFor(options.seed, 'currencies');
  /** Who a seller's order goes to: [reseller (null: the seller itself), customer]. */
  const buyers = new Map<string, { resellerId: string | null; customerId: string }[]>();
  for (const s of sellers) {
    const list: { resellerId: string | null; customerId: string }[] = [];
    if (s.distributor) {
      for (const r of (await demo.suppliedResellers(dell.id, s.partnerId)).slice(0, 40)) {
        for (const c of await demo.lineCustomersIn(dell.id, r.resellerId, s.country, 3))
          list.push({ resellerId: r.resellerId, customerId: c.customerId });
        if (list.length >= 12) break;
      }
    } else
      for (const c of await demo.lineCustomersIn(dell.id, s.partnerId, s.country, 12))
        list.push({ resellerId: null, customerId: c.customerId });
    buyers.set(s.partnerId, list);
  }

  // --- when: the periods the settlement closes and those still open (an accrual in a period never closed
  // would be swept into the next statement; the demo's older history has no ledger entries) ---
  const defs = (await ctx.repos.programs.publishedDefinitionsFrom(today))
    .map((v) => JSON.parse(v.definition) as ProgramDefinition)
    .filter((d) => d.code === DELL_PROGRAM);
  const windows = demoSettlementPlan(defs, today, options.perProgram, options.storyPeriods).flatMap(
    (step) => {
      const def = defs.find((d) => d.version === step.version);
      return def ? [periodRange(def, step.period)] : [];
    },
  );
  const openFrom = openPeriodsFrom(defs, today);
  if (openFrom !== null) windows.push({ code: 'open', from: openFrom, to: today });

  // The partners chose their payout currency before the first of those periods.
  const first = windows.map((w) => w.from).sort()[0];
  if (first) at = Date.parse(`${first}T09:00:00Z`);
  for (const s of sellers) {
    try {
      await setPayoutCurrency(ctx, system, s.partnerId, { program: DELL_PROGRAM, currency: s.currency });
      summary.payoutCurrencies.push({ partnerId: s.partnerId, currency: s.currency });
    } catch (e) {
      if (!(e instanceof TrellisError)) throw e;
    }
  }

  // --- one order a week each, in the seller's currency at the day's rate ---
  let returnable: {
    lineId: string;
    productId: string;
    customerId: string;
    resellerId: string;
    currency: string;
    unit: number;
  } | null = null;
  const weeks = windows.flatMap((w) => {
    const out: string[] = [];
    for (let d = w.from; d <= w.to && d <= today; d = addDays(d, 7)) out.push(d);
    return out;
  });
  for (const week of [...new Set(weeks)].sort()) {
    for (const s of sellers) {
      const options = buyers.get(s.partnerId) ?? [];
      if (options.length === 0) continue;
      const buyer = rng.pick(options);
      const w = windows.find((x) => x.from <= week && week <= x.to) as { to: string };
      const late = addDays(week, rng.int(0, 6));
      const day = late > w.to || late > today ? week : late;
      const usdToLocal = book.find('USD', s.currency, day, { policy: 'last-known', withinDays: 4 });
      if (!usdToLocal) continue;
      const lines = Array.from({ length: rng.int(1, 2) }, () => {
        const p = rng.pick(products);
        // The local price list: the list price at the day's rate, in whole units of the currency.
        const local = convertMinor(Number(p.listPriceMinor), 'USD', s.currency, usdToLocal.rate);
        return {
          productId: p.id,
          quantity: rng.int(1, 3),
          unitPriceMinor: Math.max(100, Math.round(local / 100) * 100),
        };
      });
      const resellerId = s.distributor ? (buyer.resellerId as string) : s.partnerId;
      at = Date.parse(`${day}T10:00:00Z`) + sellers.indexOf(s) * 17 * 60_000;
      try {
        const out = await ingestOrder(ctx, who, {
          source: s.distributor ? `pos:${s.partnerId}` : 'erp-local',
          externalId: `${s.distributor ? 'SO' : 'INV'}-${s.country}-${day.replaceAll('-', '')}-${sellers.indexOf(s) + 1}`,
          orderDate: day,
          currency: s.currency,
          customerId: buyer.customerId,
          channel: s.distributor ? 'distributor' : 'partner',
          resellerId,
          distributorId: s.distributor ? s.partnerId : null,
          lines,
        });
        summary.orders[s.currency] = (summary.orders[s.currency] ?? 0) + 1;
        if (out.status === 'created' && s.partnerId === bluepeak) {
          const l = out.order.lines.find((x) => x.quantity > 1);
          if (l)
            returnable = {
              lineId: l.id,
              productId: l.productId,
              customerId: buyer.customerId,
              resellerId,
              currency: s.currency,
              unit: lines[l.lineNo - 1]?.unitPriceMinor ?? 0,
            };
        }
      } catch (e) {
        if (!(e instanceof TrellisError)) throw e;
        summary.skipped++;
      }
    }
  }
  // --- a return of one unit of Bluepeak's last such line, converted at its sale's rate ---
  if (returnable) {
    const r = returnable as NonNullable<typeof returnable>;
    at = options.now.getTime();
    try {
      await ingestOrder(ctx, who, {
        source: 'erp-local',
        externalId: `RMA-${r.lineId}`,
        orderDate: today,
        currency: r.currency,
        customerId: r.customerId,
        channel: 'partner',
        resellerId: r.resellerId,
        lines: [{ productId: r.productId, quantity: -1, unitPriceMinor: r.unit, returnsLineId: r.lineId }],
      });
      summary.returns++;
    } catch (e) {
      if (!(e instanceof TrellisError)) throw e;
      summary.skipped++;
    }
  }
  return { ...summary, seconds: (performance.now() - started) / 1000 };
}
