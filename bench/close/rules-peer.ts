import { Engine } from 'json-rules-engine';
import type { RuleProperties } from 'json-rules-engine';
import { applyRate, multiplyFactors, PPM_ONE } from '../../src/core/money/rate.js';
import { PRODUCT_FAMILIES } from '../../src/core/model/catalog.js';
import { CHANNELS } from './generate.js';
import type { BenchColumns, PartnerTable } from './generate.js';
import type { PeerTotals } from './sql-peers.js';
import type { PeerSpec } from './spec.js';

/**
 * The same period close with json-rules-engine: the program's components as rules, run on every line
 * (base rebate by tier and family, new business, services, the exclusivity multiplier), on every
 * (partner, customer) of the period (cross-sell qualification) and on every partner (growth thresholds,
 * the multiplier at close). The sums and roundings around the rules are plain JavaScript with the
 * engine's `applyRate`, so the totals can be compared to the cent. Timed from the first rule run to the
 * totals.
 */
export async function rulesPeer(
  cols: BenchColumns,
  partners: PartnerTable,
  spec: PeerSpec,
  fromDay: number,
  toDay: number,
): Promise<{ totals: PeerTotals; ms: number }> {
  const F = PRODUCT_FAMILIES.length;
  const lineRules: RuleProperties[] = [];
  spec.tiers.forEach((tier, t) => {
    PRODUCT_FAMILIES.forEach((family, f) => {
      const ppm = spec.base.rates[t * F + f] ?? 0;
      if (ppm === 0) return;
      lineRules.push({
        name: `${spec.base.code} ${tier} ${family}`,
        conditions: {
          all: [
            { fact: 'channel', operator: 'in', value: [...spec.base.channels] },
            { fact: 'tier', operator: 'equal', value: tier },
            { fact: 'family', operator: 'equal', value: family },
          ],
        },
        event: { type: 'rate', params: { component: spec.base.code, ppm, close: false } },
      });
    });
  });
  const familyNames = (xs: readonly number[]) => xs.map((f) => PRODUCT_FAMILIES[f] as string);
  lineRules.push({
    name: spec.newBusiness.code,
    conditions: {
      all: [
        { fact: 'newBusiness', operator: 'equal', value: true },
        { fact: 'family', operator: 'in', value: familyNames(spec.newBusiness.families) },
      ],
    },
    event: {
      type: 'rate',
      params: { component: spec.newBusiness.code, ppm: spec.newBusiness.points, close: false },
    },
  });
  lineRules.push({
    name: spec.services.code,
    conditions: { all: [{ fact: 'family', operator: 'in', value: familyNames(spec.services.families) }] },
    event: {
      type: 'rate',
      params: { component: spec.services.code, ppm: spec.services.points, close: true },
    },
  });
  const multiplierRule: RuleProperties = {
    name: 'exclusivity-multiplier',
    conditions: { all: [{ fact: 'exclusive', operator: 'equal', value: true }] },
    event: { type: 'multiplier', params: { factor: spec.exclusiveFactor } },
  };
  const lineEngine = new Engine([...lineRules, multiplierRule]);

  const xs = spec.crossSell;
  const customerEngine = new Engine([
    {
      name: xs.code,
      conditions: {
        all: [
          { fact: 'positiveFamilies', operator: 'greaterThanInclusive', value: xs.minFamilies },
          ...(xs.combinations.length === 0
            ? []
            : [
                {
                  any: xs.combinations.map((combo) => ({
                    all: combo.map((f) => ({
                      fact: `net_${PRODUCT_FAMILIES[f]}`,
                      operator: 'greaterThan',
                      value: 0,
                    })),
                  })),
                },
              ]),
        ],
      },
      event: { type: 'qualifies' },
    },
  ]);

  const partnerEngine = new Engine(
    [
      ...spec.growth.thresholds.map((t) => ({
        name: `${spec.growth.code} above ${t.above}`,
        conditions: { all: [{ fact: 'sales', operator: 'growsAbove', value: t.above }] },
        event: { type: 'growth', params: { above: t.above, points: t.points } },
      })),
      multiplierRule,
    ],
    { allowUndefinedFacts: true },
  );
  // Growth strictly above a rate, compared exactly: (revenue - prior) / prior > above.
  partnerEngine.addOperator<{ revenue: number; prior: number | null }, number>(
    'growsAbove',
    (sales, above) =>
      sales.prior !== null &&
      sales.prior > 0 &&
      BigInt(sales.revenue - sales.prior) * BigInt(PPM_ONE) > BigInt(above) * BigInt(sales.prior),
  );

  const order = spec.order;
  const at = (code: string) => order.indexOf(code);
  const totals: PeerTotals = new Map();
  const row = (p: number) => {
    let r = totals.get(p);
    if (r === undefined) totals.set(p, (r = order.map(() => 0)));
    return r;
  };

  const t0 = performance.now();
  const serviceGroups = new Map<string, { partner: number; base: number; rate: number }>();
  const revenue = new Map<number, number>();
  let net = new Float64Array(F);
  let runPartner = -1;
  let runCustomer = -1;
  const xsBase = new Map<number, number>();
  const endRun = async () => {
    if (runPartner < 0) return;
    const facts: Record<string, number> = { positiveFamilies: 0 };
    PRODUCT_FAMILIES.forEach((family, f) => {
      facts[`net_${family}`] = net[f] as number;
      if ((net[f] as number) > 0) facts.positiveFamilies = (facts.positiveFamilies as number) + 1;
    });
    const { events } = await customerEngine.run(facts);
    if (events.length > 0) {
      let base = 0;
      for (const f of xs.families) base += net[f] as number;
      xsBase.set(runPartner, (xsBase.get(runPartner) ?? 0) + base);
    }
    net = new Float64Array(F);
  };

  for (let i = 0; i < cols.length; i++) {
    const day = cols.orderDay[i] as number;
    if (day < fromDay || day > toDay) continue;
    const partner = cols.partnerIndex[i] as number;
    const customer = cols.customerIndex[i] as number;
    if (partner !== runPartner || customer !== runCustomer) {
      await endRun();
      runPartner = partner;
      runCustomer = customer;
    }
    const amount = cols.amountMinor[i] as number;
    const f = cols.familyIndex[i] as number;
    net[f] = (net[f] as number) + amount;
    revenue.set(partner, (revenue.get(partner) ?? 0) + amount);
    row(partner);
    if (amount === 0) continue;
    const tier = spec.tiers[cols.tierIndex[i] as number] as string;
    const { events } = await lineEngine.run({
      channel: CHANNELS[cols.contextIndex[i] as number],
      tier,
      family: PRODUCT_FAMILIES[f],
      newBusiness: cols.newBusiness[i] === 1,
      exclusive: cols.exclusive[i] === 1,
    });
    let multiplier = PPM_ONE;
    for (const e of events)
      if (e.type === 'multiplier') multiplier = multiplyFactors(multiplier, e.params?.factor as number);
    for (const e of events) {
      if (e.type !== 'rate') continue;
      const component = e.params?.component as string;
      const rate = multiplyFactors(e.params?.ppm as number, multiplier);
      if (e.params?.close === true) {
        const key = `${partner}|${component}|${tier}|${rate}`;
        const g = serviceGroups.get(key) ?? { partner, base: 0, rate };
        g.base += amount;
        serviceGroups.set(key, g);
      } else {
        const r = row(partner);
        r[at(component)] = (r[at(component)] as number) + applyRate(amount, rate);
      }
    }
  }
  await endRun();
  for (const g of serviceGroups.values()) {
    if (g.base === 0) continue;
    const r = row(g.partner);
    r[at(spec.services.code)] = (r[at(spec.services.code)] as number) + applyRate(g.base, g.rate);
  }
  for (const [partner, r] of totals) {
    const prior = partners.prior[partner] as number;
    const { events } = await partnerEngine.run({
      sales: { revenue: revenue.get(partner) ?? 0, prior: Number.isNaN(prior) ? null : prior },
      exclusive: partners.exclusive[partner] === 1,
    });
    let multiplier = PPM_ONE;
    let points = 0;
    let above = -1;
    for (const e of events) {
      if (e.type === 'multiplier') multiplier = multiplyFactors(multiplier, e.params?.factor as number);
      if (e.type === 'growth' && (e.params?.above as number) > above) {
        above = e.params?.above as number;
        points = e.params?.points as number;
      }
    }
    const base = xsBase.get(partner) ?? 0;
    if (base !== 0) {
      let amount = applyRate(base, multiplyFactors(xs.points, multiplier));
      if (xs.capMinor !== null && amount > xs.capMinor) amount = xs.capMinor;
      r[at(xs.code)] = amount;
    }
    if (points > 0)
      r[at(spec.growth.code)] = applyRate(revenue.get(partner) ?? 0, multiplyFactors(points, multiplier));
  }
  return { totals, ms: performance.now() - t0 };
}
