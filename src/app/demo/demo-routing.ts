import type { PersonActor } from '../../core/access/actor.js';
import { scopeOf } from '../../core/access/policy.js';
import { SYSTEM_SCOPE, type Scope } from '../../core/access/scope.js';
import { customerName } from '../../core/demo/names.js';
import { FIXED_PARTNERS } from '../../core/demo/partners.js';
import { streamFor } from '../../core/demo/random-tools.js';
import { addDays } from '../../core/programs/dates.js';
import { regionOf } from '../../core/model/geography.js';
import type { Role } from '../../core/model/people.js';
import { zoneOf } from '../../core/programs/zones.js';
import type { Clock } from '../../core/shared/clock.js';
import { TrellisError } from '../../core/shared/errors.js';
import { sequentialIds } from '../../core/shared/ids.js';
import { demoRepository } from '../../db/repositories/demo-repository.js';
import { createContext, type AppContext } from '../context.js';
import { acceptOffer, declineOffer } from '../engagement/offers.js';
import { ingestOrder, type IngestOutcome } from '../orders/ingest-order.js';
import { programInForce } from '../programs/program-in-force.js';

/**
 * The demo's direct orders, posted through the order intake (`ingestOrder`) as Dell's vendor admin, so
 * that the routing log and the partners' offer inboxes have content: orders of a direct-named account
 * (booked direct), of channel-exclusive accounts (offered to their incumbent reseller, often one of the
 * README's partners), and of open accounts below the routing threshold (offered to the reseller network)
 * and at or above it (booked direct). Then a partner accepts one offer (the order is booked through it),
 * another declines one with a reason (it goes to the next candidate); the others stay open.
 *
 * The orders are dated in the week before `now` (inside the program version in force) and posted over the
 * day and a half before `now`, so the offers (48 hours to answer) are open at `now`.
 * Deterministic for a seed and `now` (ids are sequential in their own namespace).
 */
export interface DemoRoutingSummary {
  /** Direct orders posted. */
  directOrders: number;
  /** By the decision's reason (direct-named, channel-exclusive, below-threshold, at-or-above-threshold, ...). */
  byReason: Record<string, number>;
  /** Routed orders by status (offered, booked-partner, direct). */
  byStatus: Record<string, number>;
  /** Offers by status (open, accepted, declined). */
  offers: Record<string, number>;
  /** Orders or answers the use cases refused (skipped). */
  skipped: number;
  seconds: number;
}

const DELL_PROGRAM = 'dell-emc-partner-program';
const HOUR = 3_600_000;
/** USD amounts in minor units. */
const K = 100_000;

type Kind = 'named' | 'exclusive' | 'open-small' | 'open-large';
/** The orders posted, in this order: [kind, amount in USD thousands]. */
const PLAN: readonly (readonly [Kind, number])[] = [
  ['named', 1_200],
  ['exclusive', 85],
  ['open-small', 40],
  ['open-large', 480],
  ['exclusive', 160],
  ['named', 75],
  ['open-small', 120],
  ['exclusive', 640],
  ['open-large', 310],
  ['exclusive', 45],
  ['open-small', 210],
  ['named', 260],
  ['exclusive', 230],
  ['open-small', 65],
  ['open-large', 900],
  ['exclusive', 120],
];

const DECLINE_REASON =
  'No capacity for a deployment of this size this month; please offer it to another partner.';

function movableClock(start: number): Clock & { set(ms: number): void } {
  let now = start;
  return { now: () => new Date(now), set: (ms) => (now = ms) };
}

export async function loadDemoRouting(
  base: AppContext,
  options: { seed: number; now: Date },
): Promise<DemoRoutingSummary> {
  const started = performance.now();
  const T = options.now.getTime();
  const clock = movableClock(T);
  const ctx = createContext(base.store, { clock, ids: sequentialIds(`e${options.seed.toString(36)}`) });
  const demo = demoRepository(ctx.store.db);
  const rng = streamFor(options.seed, 'direct-orders');
  const empty: DemoRoutingSummary = {
    directOrders: 0,
    byReason: {},
    byStatus: {},
    offers: {},
    skipped: 0,
    seconds: 0,
  };
  const program = await programInForce(ctx, SYSTEM_SCOPE, DELL_PROGRAM, undefined, 'program').catch(
    () => null,
  );
  if (!program) return empty;
  const def = program.definition;
  const vendorId = program.vendorId;
  const from = def.effective.from;
  const to = def.effective.to ?? def.effective.from;

  // --- who: Dell's admin posts the orders; each partner's admin answers its offers ---
  const people = await demo.vendorAndPartnerAdmins(vendorId);
  const actorOf = (p: (typeof people)[number], roles: Role[]): PersonActor => ({
    kind: 'person',
    personId: p.id,
    sessionId: 'demo-load',
    email: p.email,
    name: p.name,
    vendorId: p.vendorId,
    partnerId: p.partnerId,
    roles,
    regions: JSON.parse(p.regions) as string[],
  });
  let vendorAdmin: PersonActor | null = null;
  const adminOf = new Map<string, PersonActor>();
  for (const p of people) {
    if (p.vendorId === vendorId && p.role === 'vendor-admin') vendorAdmin ??= actorOf(p, ['vendor-admin']);
    else if (p.partnerId && p.role === 'partner-admin' && !adminOf.has(p.partnerId))
      adminOf.set(p.partnerId, actorOf(p, ['partner-admin']));
  }
  if (!vendorAdmin) return empty;
  const asWho = (actor: PersonActor): { actor: PersonActor; scope: Scope } => ({
    actor,
    scope: scopeOf(actor) as Scope,
  });
  const fixedIds = await demo.sellerIdsWithDomains(FIXED_PARTNERS.map((f) => f.domain));

  // --- whom: the named account, channel-exclusive accounts (the README's partners' first), open ones ---
  const named = def.coverage.directNamedAccounts.accounts.find((a) => a.country === 'US') ??
    def.coverage.directNamedAccounts.accounts[0] ?? {
      name: 'Northwind Global Bank',
      domain: null,
      country: 'US',
    };
  const namedName = `${named.name} PLC`;
  let namedCustomer = await demo.firstCustomerNamed(vendorId, named.name.toLowerCase());
  if (!namedCustomer) {
    // Created as the demo load creates its customers (a row of the vendor's customer list).
    const id = ctx.ids.next('customer');
    await demo.insertCustomer({
      id,
      vendorId,
      name: namedName,
      domain: named.domain,
      country: named.country,
      region: regionOf(named.country) ?? 'na',
      segment: 'enterprise',
      addressLine: null,
      city: null,
      postalCode: null,
      createdAt: '2017-01-01T00:00:00.000Z',
    });
    namedCustomer = { id };
  }
  const covered = await demo.channelCovered(vendorId, to, 4_000);
  // The README's partners' accounts in turn with the others', so both of their inboxes get offers.
  const groups = [
    ...fixedIds.map((id) => covered.filter((c) => c.lastPartnerId === id)),
    covered.filter((c) => !fixedIds.includes(c.lastPartnerId) && adminOf.has(c.lastPartnerId)),
  ].filter((g) => g.length > 0);
  let turn = 0;
  const openRows = (await demo.uncoveredCustomers(vendorId, named.name.toLowerCase(), 400)).filter(
    (c) => zoneOf(def, c.country) !== null,
  );
  const products = await demo.products(vendorId);
  if (products.length === 0) return empty;
  const families = [...new Set(products.map((p) => p.family))].sort();

  const linesFor = (amountMinor: number) => {
    const chosen = new Set<string>([rng.pick(families)]);
    if (rng.chance(0.4)) chosen.add(rng.pick(families));
    const per = Math.round(amountMinor / chosen.size);
    return [...chosen].map((family) => {
      const p = rng.pick(products.filter((x) => x.family === family));
      const quantity = Math.max(1, Math.round(per / Math.max(1, Number(p.listPriceMinor))));
      return { productId: p.id, quantity, unitPriceMinor: Math.round(per / quantity) };
    });
  };
  /**
   * A day of the week before now in the version in force (orders must fall in a published period and
   * never after now), not before `notBefore`.
   */
  const today = new Date(T).toISOString().slice(0, 10);
  const dayInYear = (notBefore: string) => {
    const day = addDays(today, -rng.int(0, 6));
    const d = day < notBefore ? notBefore : day < from ? from : day;
    return d > today ? today : d > to ? to : d;
  };

  // --- post the orders, over the 36 hours before now ---
  const used = new Set<string>();
  const take = <R>(rows: readonly R[], key: (r: R) => string): R | null => {
    const free = rows.filter((r) => !used.has(key(r)));
    if (free.length === 0) return null;
    const r = free[rng.int(0, Math.min(free.length, 6) - 1)] as R;
    used.add(key(r));
    return r;
  };
  const routed: { partnerId: string; offerId: string }[] = [];
  let skipped = 0;
  let posted = 0;
  for (const [i, [kind, thousands]] of PLAN.entries()) {
    clock.set(T - 36 * HOUR + i * 2 * HOUR + rng.int(0, 60) * 60_000);
    let customerId: string;
    let orderDate: string;
    if (kind === 'named') {
      customerId = namedCustomer.id;
      orderDate = dayInYear(from);
    } else if (kind === 'exclusive') {
      const c = groups.length > 0 ? take(groups[turn++ % groups.length] ?? [], (r) => r.customerId) : null;
      if (!c) continue;
      customerId = c.customerId;
      orderDate = dayInYear(c.lastChannelDate);
      if (orderDate >= c.channelUntil) continue;
    } else {
      let c = take(openRows, (r) => r.id);
      if (!c) {
        // No open account left: a new customer of the named account's country.
        const n = customerName(rng, 'commercial', named.country, true);
        const id = ctx.ids.next('customer');
        await demo.insertCustomer({
          id,
          vendorId,
          name: n.name,
          domain: null,
          country: named.country,
          region: regionOf(named.country) ?? 'na',
          segment: 'commercial',
          addressLine: null,
          city: null,
          postalCode: null,
          createdAt: '2017-01-01T00:00:00.000Z',
        });
        c = { id, country: named.country };
      }
      customerId = c.id;
      orderDate = dayInYear(from);
    }
    const amount = (thousands + rng.int(0, 9)) * K;
    let out: IngestOutcome;
    try {
      out = await ingestOrder(ctx, asWho(vendorAdmin), {
        source: 'erp-direct',
        externalId: `DEMO-DIRECT-${String(i + 1).padStart(4, '0')}`,
        orderDate,
        currency: def.currency,
        customerId,
        channel: 'direct',
        lines: linesFor(amount),
      });
    } catch (e) {
      if (!(e instanceof TrellisError)) throw e;
      skipped++;
      continue;
    }
    posted++;
    if (out.status === 'routed' && out.routing.offeredTo)
      routed.push({ partnerId: out.routing.offeredTo.partnerId, offerId: out.routing.offeredTo.offerId });
  }

  // --- answers: one accepted, one declined with a reason (the README's partners' when they have one) ---
  const answerable = routed.filter((r) => adminOf.has(r.partnerId));
  const preferred = [
    ...answerable.filter((r) => fixedIds.includes(r.partnerId)),
    ...answerable.filter((r) => !fixedIds.includes(r.partnerId)),
  ];
  // Decline one of the first README partner's offers (it keeps the other); accept another partner's.
  const toDecline = preferred.find((r) => r.partnerId === fixedIds[0]) ?? preferred[0];
  const toAccept =
    preferred.find((r) => r !== toDecline && r.partnerId !== toDecline?.partnerId) ??
    preferred.find((r) => r !== toDecline);
  clock.set(T - 2 * HOUR);
  for (const [offer, answer] of [
    [toAccept, 'accept'],
    [toDecline, 'decline'],
  ] as const) {
    if (!offer) continue;
    const admin = adminOf.get(offer.partnerId) as PersonActor;
    try {
      if (answer === 'accept') await acceptOffer(ctx, asWho(admin), offer.offerId);
      else await declineOffer(ctx, asWho(admin), offer.offerId, { reason: DECLINE_REASON });
    } catch (e) {
      if (!(e instanceof TrellisError)) throw e;
      skipped++;
    }
    clock.set(clock.now().getTime() + 20 * 60_000);
  }
  clock.set(T);
  return {
    ...(await summarise(ctx, vendorId)),
    directOrders: posted,
    skipped,
    seconds: (performance.now() - started) / 1000,
  };
}

async function summarise(
  ctx: AppContext,
  vendorId: string,
): Promise<Pick<DemoRoutingSummary, 'byReason' | 'byStatus' | 'offers'>> {
  const tally = (rows: { k: string; n: number | string }[]) => {
    const out: Record<string, number> = {};
    for (const r of rows.sort((a, b) => (a.k < b.k ? -1 : 1))) out[r.k] = Number(r.n);
    return out;
  };
  const { reasons, statuses, offers } = await demoRepository(ctx.store.db).routingTallies(vendorId);
  return { byReason: tally(reasons), byStatus: tally(statuses), offers: tally(offers) };
}
