import type { PersonActor } from '../../core/access/actor.js';
import { scopeOf } from '../../core/access/policy.js';
import type { Scope } from '../../core/access/scope.js';
import { streamFor } from '../../core/demo/random-tools.js';
import { regionOf } from '../../core/model/geography.js';
import { TrellisError } from '../../core/shared/errors.js';
import { demoRepository } from '../../db/repositories/demo-repository.js';
import type { AppContext } from '../context.js';
import { ingestOrder } from '../orders/ingest-order.js';

/**
 * A dated event of the demo's story, replayed after the orders are loaded, in date order with the yearly
 * tier audits (see THE DEMO'S TIMELINE in loadDemo): its context's clock reads noon UTC of `date`.
 */
export interface DemoStoryEvent {
  /** ISO date the event happens (e.g. '2021-11-01', the Dell-VMware agreement). */
  date: string;
  name: string;
  run(ctx: AppContext, at: { date: string; today: string; seed: number }): Promise<unknown>;
}

/** The partner record that stands for Dell Technologies acting as a VMware distributor (fixed, readable id). */
export const DELL_DISTRIBUTION_ID = 'ptn_dellvmwaredist';
/** The shared partners Dell distributes VMware to (the 2017 arrangement for its top partners). */
const RESELLERS = 4;
/** The monthly VMware sell-out Dell reports for them: from the agreement to two months past its end. */
const FIRST_MONTH = '2021-11';
const LAST_MONTH = '2024-03';
const DAY_OF_MONTH = '15';

/** VMware's first vendor admin: who posts the sell-out Dell reports (as a vendor's integration would). */
async function vmwareAdmin(ctx: AppContext, vendorId: string): Promise<{ actor: PersonActor; scope: Scope }> {
  const p = await demoRepository(ctx.store.db).firstVendorAdmin(vendorId);
  if (!p) throw new TrellisError('not_found', 'the demo has no VMware vendor admin');
  const actor: PersonActor = {
    kind: 'person',
    personId: p.id,
    sessionId: 'demo-load',
    email: p.email,
    name: p.name,
    vendorId: p.vendorId,
    partnerId: p.partnerId,
    roles: ['vendor-admin'],
    regions: JSON.parse(p.regions) as string[],
  };
  return { actor, scope: scopeOf(actor) as Scope };
}

async function vendorIdOf(ctx: AppContext, slug: string): Promise<string> {
  const v = await ctx.repos.vendors.findBySlug(slug);
  if (!v) throw new TrellisError('not_found', `the demo has no vendor ${slug}`);
  return v.id;
}

/**
 * 1 November 2021: under the Commercial Framework Agreement Dell Technologies keeps distributing VMware to
 * its top partners (as since 2017), who get full credit in VMware Partner Connect for what they buy through
 * Dell (the agreement's `crossCredit`). A partner record stands for Dell as a distributor
 * (`representsVendorId`), enrolled in VMware's program and supplying the shared partners that sell the most
 * VMware software.
 */
async function dellBecomesDistributor(ctx: AppContext, at: { date: string }) {
  const demo = demoRepository(ctx.store.db);
  const dell = await vendorIdOf(ctx, 'dell');
  const vmware = await vendorIdOf(ctx, 'vmware');
  const program = await ctx.repos.programs.findByVendorAndCode(vmware, 'vmware-partner-connect');
  if (!program) throw new TrellisError('not_found', 'the demo has no VMware Partner Connect program');
  // The shared partners (enrolled with both vendors) that sold the most VMware lines before that day.
  const top = await demo.topSharedResellers(vmware, dell, at.date, RESELLERS);
  const createdAt = `${at.date}T12:00:00.000Z`;
  await ctx.store.db.transaction().execute(async (trx) => {
    await demoRepository(trx).insertDistributor(
      {
        id: DELL_DISTRIBUTION_ID,
        name: 'Dell Technologies (VMware distribution)',
        kind: 'distributor',
        country: 'US',
        region: regionOf('US') ?? 'na',
        domain: 'dell.com',
        createdAt,
        representsVendorId: dell,
      },
      {
        id: ctx.ids.next('enrolment'),
        vendorId: vmware,
        programId: program.id,
        partnerId: DELL_DISTRIBUTION_ID,
        partnerNumber: 'VMW-DIST-DELL',
        status: 'active',
        exclusive: 0,
        enrolledAt: createdAt,
      },
      top.map((t) => ({
        vendorId: vmware,
        distributorId: DELL_DISTRIBUTION_ID,
        resellerId: t.partnerId!,
        since: at.date,
      })),
    );
  });
  return { distributor: DELL_DISTRIBUTION_ID, resellers: top.map((t) => t.partnerId) };
}

/** One month of VMware sell-out Dell reports for the partners it supplies (subscriptions and SaaS mostly). */
async function dellSellOut(ctx: AppContext, at: { date: string; seed: number }) {
  const demo = demoRepository(ctx.store.db);
  const vmware = await vendorIdOf(ctx, 'vmware');
  const resellers = await demo.suppliedResellers(vmware, DELL_DISTRIBUTION_ID);
  const products = await demo.productsOfFamily(vmware, 'software');
  if (resellers.length === 0 || products.length === 0) return { orders: 0 };
  const who = await vmwareAdmin(ctx, vmware);
  const rng = streamFor(at.seed, `dell-distribution-${at.date}`);
  let orders = 0;
  for (const [k, r] of resellers.entries()) {
    // One of the customers the reseller already sells VMware to.
    const customers = await demo.lineCustomersOf(vmware, r.resellerId, 20);
    if (customers.length === 0) continue;
    const customer = rng.pick(customers).customerId;
    const lines = Array.from({ length: rng.int(1, 3) }, () => {
      const p = rng.pick(products);
      return { productId: p.id, quantity: rng.int(5, 40), unitPriceMinor: p.listPriceMinor };
    });
    const outcome = await ingestOrder(ctx, who, {
      source: `pos:${DELL_DISTRIBUTION_ID}`,
      externalId: `DELL-VMW-${at.date}-${k + 1}`,
      orderDate: at.date,
      currency: 'USD',
      customerId: customer,
      channel: 'distributor',
      resellerId: r.resellerId,
      distributorId: DELL_DISTRIBUTION_ID,
      lines,
    });
    if (outcome.status === 'created' || outcome.status === 'replayed') orders++;
  }
  return { orders };
}

function months(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/**
 * The story events the demo replays: Dell distributing VMware under the 2021 agreement (cross-credit in
 * VMware's program until the termination takes effect on 25 January 2024; the purchases after it earn no
 * qualifying credit, as the standing page says). The agreement itself and Dell's notice (26 November 2023,
 * effective 25 January 2024) come from the shipped agreement file, published with the programs; the
 * cross-vendor solution rewards are posted when the demo settles the agreement-era quarter
 * (STORY_PERIODS in load-demo.ts).
 */
export const DEMO_STORY_EVENTS: readonly DemoStoryEvent[] = [
  {
    date: '2021-11-01',
    name: 'Dell Technologies distributes VMware to its top partners, with full credit in VMware Partner Connect',
    run: (ctx, at) => dellBecomesDistributor(ctx, at),
  },
  ...months(FIRST_MONTH, LAST_MONTH).map((month): DemoStoryEvent => ({
    date: `${month}-${DAY_OF_MONTH}`,
    name: `VMware sell-out through Dell Technologies, ${month}`,
    run: (ctx, at) => dellSellOut(ctx, at),
  })),
];
