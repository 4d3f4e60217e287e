import type { PersonActor } from '../../core/access/actor.js';
import { scopeOf } from '../../core/access/policy.js';
import type { Scope } from '../../core/access/scope.js';
import { DEAL_STATUSES } from '../../core/deals/lifecycle.js';
import { reviewSlaHours } from '../../core/deals/policy.js';
import { registrationVariant, type RegistrationVariantKind } from '../../core/demo/deal-variants.js';
import { FIXED_PARTNERS } from '../../core/demo/partners.js';
import { customerName, slugify } from '../../core/demo/names.js';
import { randomNameVariant } from '../../core/demo/name-variants.js';
import { pickWeighted, streamFor } from '../../core/demo/random-tools.js';
import type { DemoScale } from '../../core/demo/types.js';
import { regionOf, type Region, type Segment } from '../../core/model/geography.js';
import type { Role } from '../../core/model/people.js';
import { zoneOf } from '../../core/programs/zones.js';
import type { Clock } from '../../core/shared/clock.js';
import { TrellisError } from '../../core/shared/errors.js';
import { sequentialIds } from '../../core/shared/ids.js';
import { demoRepository } from '../../db/repositories/demo-repository.js';
import type { Random } from '../../core/shared/random.js';
import { SYSTEM_SCOPE } from '../../core/access/scope.js';
import { createContext, type AppContext } from '../context.js';
import { createDeal, editDeal, partnerDealAction, reviewDeal, submitDeal } from '../deals/deals.js';
import { sweepDeals } from '../deals/sweep.js';
import { ingestOrder } from '../orders/ingest-order.js';
import { programInForce } from '../programs/program-in-force.js';

/**
 * The demo's deal registrations, made through the real use cases (register, review, extend, withdraw,
 * lose, win by order, sweep) with a clock set for each step, so conflicts, claims, history, audit and
 * abuse flags are what the application makes of them. The timeline is relative to `now` (the load time):
 * registrations submitted over the last five months, reviews pending for minutes or hours (some past the
 * review SLA, so the sweep escalates them), protections counting down (some within two weeks of their end,
 * some extended), expired ones swept on the day after their last protected day.
 *
 * Won registrations, and the abuse cases that need an order, are registered 95 to 165 days before `now`,
 * approved and sold within their protection, before `now`: the demo publishes every program version up to
 * the one in force on `now`, so their orders fall in a published program period.
 *
 * Deterministic for a seed and `now` (ids are sequential in their own namespace).
 */

export interface DemoDealsSummary {
  registrations: number;
  byStatus: Record<string, number>;
  /** Registrations whose submission found a conflict (evidence recorded for the reviewer). */
  withConflicts: number;
  /** Registrations answered "conflict" at once: an earlier registration or a direct account covers the customer. */
  rejectedAsConflict: number;
  /** Reviews past their SLA (flagged, escalated). */
  slaBreached: number;
  flags: Record<string, number>;
  /** Orders naming a registration. */
  orders: number;
  /** Planned steps the use cases refused (e.g. a registration the matcher found covered); they are skipped. */
  skipped: number;
  seconds: number;
}

/** How many base registrations each scale holds (variants and abuse cases come on top). */
const REGISTRATIONS: Record<DemoScale, number> = { small: 40, medium: 260, large: 900 };
const DELL_PROGRAM = 'dell-emc-partner-program';
const HOUR = 3_600_000;
const DAY = 86_400_000;

type Story =
  | 'draft'
  | 'submitted'
  | 'breached'
  | 'under-review'
  | 'info-requested'
  | 'resubmitted'
  | 'approved'
  | 'expiring'
  | 'extended'
  | 'rejected'
  | 'expired'
  | 'lost'
  | 'withdrawn'
  | 'won'
  | 'variant'
  | 'direct'
  | 'mismatch'
  | 'sold-by-other';

/** Share of each story (percent of the scale's registrations) and its minimum count. */
const STORIES: readonly (readonly [Story, number, number])[] = [
  ['draft', 5, 2],
  ['submitted', 6, 2],
  ['breached', 5, 2],
  ['under-review', 6, 2],
  ['info-requested', 5, 2],
  ['resubmitted', 3, 1],
  ['approved', 12, 3],
  ['expiring', 6, 2],
  ['extended', 7, 2],
  ['rejected', 8, 3],
  ['expired', 7, 2],
  ['lost', 5, 2],
  ['withdrawn', 5, 2],
  ['won', 6, 3],
  ['variant', 10, 6],
  ['direct', 1, 3],
  ['mismatch', 1, 1],
  ['sold-by-other', 1, 1],
];
/** Stories whose registration still holds its customer at the load time: variants conflict with them. */
const ACTIVE_STORIES: ReadonlySet<Story> = new Set([
  'submitted',
  'breached',
  'under-review',
  'info-requested',
  'approved',
  'expiring',
  'extended',
]);
/** The variant kinds of the conflicts, most telling first. */
const VARIANT_ORDER: readonly RegistrationVariantKind[] = [
  'typo',
  'legal-form',
  'accent',
  'abbreviation',
  'word-order',
  'suffix-drop',
  'ampersand',
  'case',
  'suffix-change',
  'domain',
];
/** Stories set in the demo's program year (they need an order). */
const SOLD_STORIES: ReadonlySet<Story> = new Set(['won', 'mismatch', 'sold-by-other']);

type Family = 'servers' | 'storage' | 'networking' | 'data-protection' | 'services';
const FAMILY_WEIGHTS: readonly (readonly [Family, number])[] = [
  ['servers', 35],
  ['storage', 30],
  ['networking', 12],
  ['data-protection', 13],
  ['services', 10],
];
const DESCRIPTIONS: Record<Family, readonly string[]> = {
  servers: [
    'PowerEdge refresh of the primary data centre',
    'Server consolidation ahead of the ERP upgrade',
    'New VDI cluster for the contact centre',
  ],
  storage: [
    'Unity all-flash array replacing end-of-support SAN',
    'Isilon scale-out storage for the imaging archive',
    'Storage tiering project for the analytics platform',
  ],
  networking: ['Campus switching refresh across three sites', 'Data-centre spine-leaf upgrade'],
  'data-protection': [
    'Data Domain backup appliances for the DR site',
    'Ransomware recovery vault and backup modernisation',
  ],
  services: ['Deployment and ProSupport Plus for the rollout', 'Migration services for the storage move'],
};
/** USD amounts (whole dollars) per segment: the range of one line. */
const AMOUNTS: Record<Segment, readonly [number, number]> = {
  enterprise: [60_000, 600_000],
  commercial: [20_000, 180_000],
  'small-business': [12_000, 45_000],
  'public-sector': [30_000, 300_000],
};
const REJECTIONS: readonly (readonly [string, string])[] = [
  [
    'not-net-new',
    'The customer bought these product families from us this year; this is a renewal, not new business.',
  ],
  [
    'customer-not-qualified',
    'No budget or project confirmed by the customer; register again once the opportunity is qualified.',
  ],
  ['incomplete-information', 'The registration names no decision maker and no project timeline.'],
  ['end-of-life-product', 'The registered arrays are end of life; quote the current Unity XT range instead.'],
  ['other', 'The customer asked us to handle this tender directly through its framework agreement.'],
];
const INFO_REQUESTS = [
  "Please add the customer's web domain and the name of the project sponsor.",
  'Which sites does the refresh cover? Please add the delivery address.',
  'Please confirm the expected close date; the tender timeline we know ends later.',
];
const LOSS_REASONS = [
  'The customer chose a competitor on price.',
  'Budget frozen until next fiscal year.',
  'The project was cancelled after a merger.',
];
const WITHDRAW_REASONS = [
  'Registered by mistake under the wrong customer.',
  'The customer postponed the project indefinitely.',
];
const EXTENSION_REASONS = [
  'The customer moved the purchase committee to next month.',
  'Procurement asked for a second round of quotes.',
  'Legal review of the framework contract takes longer than planned.',
];

interface DemoCustomer {
  id: string | null;
  name: string;
  domain: string | null;
  addressLine: string | null;
  city: string | null;
  postalCode: string | null;
  country: string;
  region: string;
  segment: string;
}

interface DemoPartner {
  id: string;
  country: string;
  zone: string;
  admin: PersonActor;
  reps: PersonActor[];
  fixed: boolean;
}

interface Script {
  story: Story;
  steps: { at: number; run: () => Promise<void> }[];
  id: string | null;
  broken: boolean;
}

function movableClock(start: number): Clock & { set(ms: number): void } {
  let now = start;
  return { now: () => new Date(now), set: (ms) => (now = ms) };
}

function between(rng: Random, lo: number, hi: number): number {
  return lo + rng.next() * (hi - lo);
}

/** Registrations, reviews, extensions, wins and abuse cases of the demo's Dell program (see the file comment). */
export async function loadDemoDeals(
  base: AppContext,
  options: { seed: number; scale: DemoScale; now: Date; onProgress?: (done: number, total: number) => void },
): Promise<DemoDealsSummary> {
  const started = performance.now();
  const T = options.now.getTime();
  const clock = movableClock(T);
  const ctx = createContext(base.store, { clock, ids: sequentialIds(`r${options.seed.toString(36)}`) });
  const demo = demoRepository(ctx.store.db);
  const rng = streamFor(options.seed, 'deal-registrations');

  const program = await programInForce(ctx, SYSTEM_SCOPE, DELL_PROGRAM, undefined, 'program').catch(
    () => null,
  );
  const empty: DemoDealsSummary = {
    registrations: 0,
    byStatus: {},
    withConflicts: 0,
    rejectedAsConflict: 0,
    slaBreached: 0,
    flags: {},
    orders: 0,
    skipped: 0,
    seconds: 0,
  };
  if (!program) return empty;
  const def = program.definition;
  const policy = def.dealRegistration;
  const vendorId = program.vendorId;

  // --- who: resellers and service providers enrolled with Dell, their people; Dell's reviewers ---
  const partnerRows = await demo.activeSellersOf(program.programId);
  const people = await demo.vendorStaffAndPartnerSellers(vendorId);
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
  const staffOf = new Map<string, { admin: PersonActor | null; reps: PersonActor[] }>();
  let vendorAdmin: PersonActor | null = null;
  const channelManagers: PersonActor[] = [];
  for (const p of people) {
    if (p.vendorId === vendorId) {
      if (p.role === 'vendor-admin') vendorAdmin = actorOf(p, ['vendor-admin']);
      if (p.role === 'channel-manager') channelManagers.push(actorOf(p, ['channel-manager']));
      continue;
    }
    if (!p.partnerId) continue;
    const s = staffOf.get(p.partnerId) ?? { admin: null, reps: [] };
    if (p.role === 'partner-admin') s.admin ??= actorOf(p, ['partner-admin']);
    else s.reps.push(actorOf(p, ['partner-sales-rep']));
    staffOf.set(p.partnerId, s);
  }
  if (!vendorAdmin) return empty;
  const fixedDomains = new Set<string>(FIXED_PARTNERS.map((f) => f.domain));
  const partners: DemoPartner[] = [];
  for (const r of partnerRows) {
    const s = staffOf.get(r.id);
    const zone = zoneOf(def, r.country);
    if (!s?.admin || zone === null) continue;
    partners.push({
      id: r.id,
      country: r.country,
      zone,
      admin: s.admin,
      reps: s.reps,
      fixed: r.domain !== null && fixedDomains.has(r.domain),
    });
  }
  const byZone = new Map<string, DemoPartner[]>();
  for (const p of partners) byZone.set(p.zone, [...(byZone.get(p.zone) ?? []), p]);
  const fixed = partners.filter((p) => p.fixed);
  const reviewerFor = (region: string): PersonActor =>
    channelManagers.find((c) => c.regions.includes(region)) ?? (vendorAdmin as PersonActor);
  const asWho = (actor: PersonActor): { actor: PersonActor; scope: Scope } => ({
    actor,
    scope: scopeOf(actor) as Scope,
  });

  // --- what: a sample of Dell's customers (ids are drawn in random order), its products ---
  const target = REGISTRATIONS[options.scale];
  // In primary-key order (the generator's random order) across vendors, then the vendor's: a scan of the
  // first rows, where the vendor's index would sort all of its customers.
  const customerRows = (await demo.firstCustomers(target * 12)).filter((c) => c.vendorId === vendorId);
  const customersByZone = new Map<string, DemoCustomer[]>();
  for (const c of customerRows) {
    const zone = zoneOf(def, c.country);
    if (zone === null || !byZone.has(zone)) continue;
    customersByZone.set(zone, [...(customersByZone.get(zone) ?? []), c]);
  }
  const products = await demo.products(vendorId);
  const productsOf = (family: string) => products.filter((p) => p.family === family);

  const used = new Set<string>();
  // The README's partners mostly register customers they already sell to (their incumbent accounts).
  const ownCustomers = new Map<string, DemoCustomer[]>();
  for (const p of fixed)
    ownCustomers.set(
      p.id,
      (await demo.orderCustomersOf(vendorId, p.id, target * 2)).filter(
        (c) => zoneOf(def, c.country) === p.zone,
      ),
    );
  const takeCustomer = (zone: string, partner?: DemoPartner): DemoCustomer | null => {
    const own = partner === undefined ? [] : (ownCustomers.get(partner.id) ?? []);
    const list = own.length > 0 && rng.chance(0.7) ? own : (customersByZone.get(zone) ?? []);
    for (let tries = 0; tries < 40 && list.length > 0; tries++) {
      const c = rng.pick(list);
      if (c.id !== null && !used.has(c.id)) {
        used.add(c.id);
        return c;
      }
    }
    return null;
  };
  const newCustomer = (partner: DemoPartner): DemoCustomer => {
    const segment = pickWeighted<Segment>(rng, [
      ['enterprise', 2],
      ['commercial', 4],
      ['small-business', 2],
      ['public-sector', 1],
    ]);
    const n = customerName(rng, segment, partner.country, true);
    return {
      id: null,
      name: n.name,
      domain: `${slugify(n.body)}.example`,
      addressLine: null,
      city: null,
      postalCode: null,
      country: partner.country,
      region: '',
      segment,
    };
  };
  let fixedTurn = 0;
  const pickPartner = (story: Story): DemoPartner | null => {
    // The README's partners (Northwind, Bluepeak) get a good share of every story.
    if (fixed.length > 0 && rng.chance(0.4)) return fixed[fixedTurn++ % fixed.length] as DemoPartner;
    const zones = [...byZone.entries()].filter(([, ps]) => ps.length >= (story === 'variant' ? 2 : 1));
    if (zones.length === 0) return null;
    return rng.pick(rng.pick(zones)[1]);
  };
  /** Who registers: the admin or a sales rep; at the README's partners often its first rep (sales@...). */
  const ownerOf = (p: DemoPartner): PersonActor => {
    if (p.reps.length === 0) return p.admin;
    const u = rng.next();
    if (p.fixed) return u < 0.45 ? (p.reps[0] as PersonActor) : u < 0.75 ? p.admin : rng.pick(p.reps);
    return u < 0.6 ? rng.pick(p.reps) : p.admin;
  };

  const lineFor = (segment: string) => {
    const families = new Set<Family>([pickWeighted(rng, FAMILY_WEIGHTS)]);
    if (rng.chance(0.35)) families.add(pickWeighted(rng, FAMILY_WEIGHTS));
    if (rng.chance(0.2)) families.add('services');
    const [lo, hi] = AMOUNTS[segment as Segment] ?? AMOUNTS.commercial;
    return [...families].map((family) => ({
      family,
      amountMinor: Math.round(between(rng, lo, hi) / 100) * 10_000,
    }));
  };

  // --- the stories ---
  const scripts: Script[] = [];
  let skipped = 0;
  const at = (ms: number, run: () => Promise<void>) => ({ at: ms, run });
  /** A working-hours instant `daysAgo` days before `now` (never after it). */
  const dayAt = (daysAgo: number): number => {
    const day = Math.floor((T - daysAgo * DAY) / DAY) * DAY;
    return Math.min(day + between(rng, 7.5, 17.5) * HOUR, T - between(rng, 0.5, 2) * HOUR);
  };
  const slaOf = (region: string) => reviewSlaHours(policy, region as Region) * HOUR;
  let orderNo = 0;

  interface Registration {
    partner: DemoPartner;
    owner: PersonActor;
    customer: DemoCustomer;
    name: string;
    domain: string | null;
    lines: { family: Family; amountMinor: number }[];
    closeAfterDays: number;
    description: string;
    externalRef: string | null;
  }
  const registration = (partner: DemoPartner, customer: DemoCustomer, exactShare = 0.6): Registration => {
    const lines = lineFor(customer.segment);
    const typed = randomNameVariant(customer.name, rng, exactShare).name.trim();
    return {
      partner,
      owner: ownerOf(partner),
      customer,
      name: typed,
      domain: customer.domain !== null && rng.chance(0.8) ? customer.domain : null,
      lines,
      closeAfterDays: rng.int(30, 150),
      description: rng.pick(DESCRIPTIONS[lines[0]?.family ?? 'servers']),
      externalRef: rng.chance(0.5) ? `OPP-${rng.int(100_000, 999_999)}` : null,
    };
  };

  const create =
    (s: Script, r: Registration, submit = true) =>
    async () => {
      const close = new Date(clock.now().getTime() + r.closeAfterDays * DAY).toISOString().slice(0, 10);
      const out = await createDeal(ctx, asWho(r.owner), {
        programId: program.programId,
        submit,
        externalRef: r.externalRef,
        customer: {
          name: r.name,
          domain: r.domain,
          addressLine: r.customer.addressLine,
          city: r.customer.city,
          postalCode: r.customer.postalCode,
          country: r.customer.country,
          segment: r.customer.segment,
        },
        currency: def.currency,
        lines: r.lines,
        expectedCloseDate: close,
        description: r.description,
      });
      s.id = out.deal.id;
      if (submit && out.outcome === 'conflict' && s.story !== 'variant' && s.story !== 'direct')
        s.broken = true;
    };
  const review =
    (
      s: Script,
      r: Registration,
      action: Parameters<typeof reviewDeal>[3]['action'],
      text?: string,
      reasonCode?: string,
    ) =>
    async () => {
      await reviewDeal(ctx, asWho(reviewerFor(regionFor(r.customer))), s.id as string, {
        action,
        text,
        reasonCode,
      });
    };
  const partnerMove =
    (s: Script, r: Registration, action: 'request-extension' | 'withdraw' | 'lose', text?: string) =>
    async () => {
      await partnerDealAction(ctx, asWho(r.owner), s.id as string, { action, text });
    };
  const sweep = async () => {
    await sweepDeals(ctx);
  };
  const order =
    (s: Script, r: Registration, input: { customerId: string; resellerId: string; named: boolean }) =>
    async () => {
      const day = clock.now().toISOString().slice(0, 10);
      const lines = r.lines.flatMap((l) => {
        const choice = productsOf(l.family);
        if (choice.length === 0) return [];
        const p = rng.pick(choice);
        const quantity = Math.max(1, Math.round(l.amountMinor / Math.max(1, p.listPriceMinor)));
        return [{ productId: p.id, quantity, unitPriceMinor: Math.round(l.amountMinor / quantity) }];
      });
      await ingestOrder(ctx, asWho(vendorAdmin as PersonActor), {
        source: 'crm-deals',
        externalId: `DEMO-DR-${String(++orderNo).padStart(5, '0')}`,
        orderDate: day,
        currency: def.currency,
        customerId: input.customerId,
        channel: 'partner',
        resellerId: input.resellerId,
        dealRegistrationId: input.named ? s.id : null,
        lines,
      });
    };

  const plan = (story: Story): { script: Script; reg: Registration } | null => {
    const s: Script = { story, steps: [], id: null, broken: false };
    const sold = SOLD_STORIES.has(story);
    let partner: DemoPartner | null = null;
    let customer: DemoCustomer | null = null;
    // A partner, then a customer of its zone (another partner when its zone has none left).
    for (let tries = 0; tries < 5 && customer === null; tries++) {
      partner = pickPartner(story);
      if (!partner) return null;
      customer = !sold && rng.chance(0.2) ? newCustomer(partner) : takeCustomer(partner.zone, partner);
    }
    if (!partner || !customer) return null;
    const r = registration(partner, customer);
    const region = regionFor(customer);
    const sla = slaOf(region);
    const step = (ms: number, run: () => Promise<void>) => s.steps.push(at(ms, run));
    switch (story) {
      case 'draft':
        step(dayAt(between(rng, 0, 20)), create(s, r, false));
        break;
      case 'submitted':
        step(T - between(rng, 0.05, 0.9) * sla, create(s, r));
        break;
      case 'breached': {
        const t0 = T - sla - between(rng, 0.5, 30) * HOUR;
        step(t0, create(s, r));
        step(t0 + sla + 60_000, sweep);
        break;
      }
      case 'under-review': {
        const late = rng.chance(0.5);
        const t0 = late ? T - sla - between(rng, 0.5, 20) * HOUR : T - between(rng, 0.3, 0.95) * sla;
        step(t0, create(s, r));
        step(t0 + between(rng, 0.05, 0.25) * sla, review(s, r, 'start-review'));
        if (late) step(t0 + sla + 60_000, sweep);
        break;
      }
      case 'info-requested': {
        const t0 = dayAt(between(rng, 1, 12));
        step(t0, create(s, r));
        step(t0 + between(rng, 0.1, 0.9) * sla, review(s, r, 'request-info', rng.pick(INFO_REQUESTS)));
        break;
      }
      case 'resubmitted': {
        const t0 = dayAt(between(rng, 6, 30));
        const asked = t0 + between(rng, 0.1, 0.9) * sla;
        const edited = asked + between(rng, 3, 48) * HOUR;
        step(t0, create(s, r));
        step(asked, review(s, r, 'request-info', rng.pick(INFO_REQUESTS)));
        step(edited, async () => {
          const close = new Date(clock.now().getTime() + r.closeAfterDays * DAY).toISOString().slice(0, 10);
          await editDeal(ctx, asWho(r.owner), s.id as string, {
            customer: {
              name: r.customer.name,
              domain: r.customer.domain ?? r.domain,
              addressLine: r.customer.addressLine,
              city: r.customer.city,
              postalCode: r.customer.postalCode,
              country: r.customer.country,
              segment: r.customer.segment,
            },
            currency: def.currency,
            lines: r.lines,
            expectedCloseDate: close,
            description: `${r.description} (sponsor and sites added)`,
          });
          await submitDeal(ctx, asWho(r.owner), s.id as string);
        });
        step(edited + between(rng, 0.2, 0.8) * sla, review(s, r, 'approve', 'Thanks for the details.'));
        break;
      }
      case 'approved':
      case 'expiring': {
        const ago = story === 'expiring' ? between(rng, 77, 89) : between(rng, 2, 70);
        const t0 = dayAt(ago);
        const approvedAt = t0 + between(rng, 0.1, 0.95) * sla;
        step(t0, create(s, r));
        if (rng.chance(0.4)) step(t0 + between(rng, 0.02, 0.08) * sla, review(s, r, 'start-review'));
        step(approvedAt, review(s, r, 'approve'));
        if (story === 'expiring' && rng.chance(0.5)) {
          const asked = T - between(rng, 2, 60) * HOUR;
          step(asked, partnerMove(s, r, 'request-extension', rng.pick(EXTENSION_REASONS)));
        } else if (story === 'approved' && ago > 40 && rng.chance(0.3)) {
          const asked = approvedAt + between(rng, 25, ago - 5) * DAY;
          step(asked, partnerMove(s, r, 'request-extension', rng.pick(EXTENSION_REASONS)));
          step(
            Math.min(asked + between(rng, 4, 40) * HOUR, T - HOUR),
            review(
              s,
              r,
              'refuse-extension',
              'Protection has more than a month left; ask again closer to its end.',
              'other',
            ),
          );
        }
        break;
      }
      case 'extended': {
        const twice = rng.chance(0.3);
        const ago = twice ? between(rng, 122, 140) : between(rng, 92, 117);
        const t0 = dayAt(ago);
        const approvedAt = t0 + between(rng, 0.1, 0.9) * sla;
        step(t0, create(s, r));
        step(approvedAt, review(s, r, 'approve'));
        for (let k = 0; k < (twice ? 2 : 1); k++) {
          const asked = approvedAt + between(rng, 80 + 30 * k, 87 + 30 * k) * DAY;
          step(asked, partnerMove(s, r, 'request-extension', rng.pick(EXTENSION_REASONS)));
          step(asked + between(rng, 2, 30) * HOUR, review(s, r, 'grant-extension'));
        }
        break;
      }
      case 'rejected': {
        const t0 = dayAt(between(rng, 2, 110));
        const [code, text] = rng.pick(REJECTIONS);
        step(t0, create(s, r));
        step(t0 + between(rng, 0.2, 1.4) * sla, review(s, r, 'reject', text, code));
        if (t0 + sla < T) step(t0 + sla + 60_000, sweep);
        break;
      }
      case 'expired': {
        const t0 = dayAt(between(rng, 92, 125));
        const approvedAt = t0 + between(rng, 0.1, 0.9) * sla;
        step(t0, create(s, r));
        step(approvedAt, review(s, r, 'approve'));
        // The sweep runs just after midnight UTC following the last protected day (approval day + 89).
        step(Math.floor(approvedAt / DAY) * DAY + 90 * DAY + 5 * 60_000, sweep);
        break;
      }
      case 'lost': {
        const ago = between(rng, 15, 110);
        const t0 = dayAt(ago);
        const approvedAt = t0 + between(rng, 0.1, 0.9) * sla;
        step(t0, create(s, r));
        step(approvedAt, review(s, r, 'approve'));
        step(
          approvedAt + between(rng, 3, Math.min(ago - 2, 85)) * DAY,
          partnerMove(s, r, 'lose', rng.pick(LOSS_REASONS)),
        );
        break;
      }
      case 'withdrawn': {
        const from = rng.int(0, 2);
        const t0 = dayAt(between(rng, 3, 60));
        step(t0, create(s, r, from !== 0));
        if (from === 2) step(t0 + between(rng, 0.1, 0.9) * sla, review(s, r, 'approve'));
        step(t0 + between(rng, 0.2, 2) * DAY, partnerMove(s, r, 'withdraw', rng.pick(WITHDRAW_REASONS)));
        break;
      }
      case 'won':
      case 'mismatch':
      case 'sold-by-other': {
        if (customer.id === null) return null;
        // Registered 95 to 165 days before now, sold within the protection (so before now), every step
        // inside a published program version (the demo publishes every year up to the one in force).
        const t0 = Math.floor(T / DAY) * DAY - rng.int(95, 165) * DAY + between(rng, 8, 16) * HOUR;
        const approvedAt = t0 + between(rng, 0.1, 0.9) * sla;
        const soldAt = Math.floor(approvedAt / DAY) * DAY + rng.int(10, 75) * DAY + 14 * HOUR;
        r.closeAfterDays = Math.max(r.closeAfterDays, 90);
        step(t0, create(s, r));
        step(approvedAt, review(s, r, 'approve'));
        if (story === 'won') {
          step(soldAt, order(s, r, { customerId: customer.id, resellerId: partner.id, named: true }));
        } else if (story === 'mismatch') {
          // Register customer A, sell to B naming A's registration (public cases got partners expelled).
          const other = takeCustomer(partner.zone);
          if (!other?.id) return null;
          step(soldAt, order(s, r, { customerId: other.id, resellerId: partner.id, named: true }));
        } else {
          // Another reseller of the zone sells to the customer this registration protects.
          const others = (byZone.get(partner.zone) ?? []).filter((p) => p.id !== partner.id);
          if (others.length === 0) return null;
          step(
            soldAt,
            order(s, r, { customerId: customer.id, resellerId: rng.pick(others).id, named: false }),
          );
        }
        step(Math.floor(approvedAt / DAY) * DAY + 90 * DAY + 5 * 60_000, sweep);
        break;
      }
      case 'variant':
      case 'direct':
        return null; // planned below, once the registrations they conflict with are known
    }
    scripts.push(s);
    return { script: s, reg: r };
  };

  const planned = new Map<Story, number>();
  for (const [story, share, min] of STORIES)
    planned.set(story, Math.max(min, Math.round((target * share) / 100)));
  const bases: { script: Script; reg: Registration }[] = [];
  for (const [story] of STORIES) {
    for (let i = 0; i < (planned.get(story) ?? 0); i++) {
      const p = plan(story);
      if (p && ACTIVE_STORIES.has(story)) bases.push(p);
    }
  }

  // A second partner of the zone registers a variant of a customer an active registration holds.
  const registered = new Set(bases.map((b) => `${b.reg.partner.id}|${b.reg.customer.name}`));
  for (let i = 0; i < (planned.get('variant') ?? 0) && bases.length > 0; i++) {
    const b = rng.pick(bases);
    const others = (byZone.get(b.reg.partner.zone) ?? []).filter(
      (p) => p.id !== b.reg.partner.id && !registered.has(`${p.id}|${b.reg.customer.name}`),
    );
    if (others.length === 0) continue;
    const partner = rng.pick(others);
    registered.add(`${partner.id}|${b.reg.customer.name}`);
    // The kinds in turn, so that even the small demo shows several; one that leaves this name as it is
    // gives way to the next.
    let typed = { name: b.reg.customer.name, domain: b.reg.customer.domain };
    for (let k = 0; k < VARIANT_ORDER.length; k++) {
      const kind = VARIANT_ORDER[(i + k) % VARIANT_ORDER.length] as RegistrationVariantKind;
      typed = registrationVariant(b.reg.customer, kind, rng);
      if (typed.name !== b.reg.customer.name || typed.domain !== b.reg.customer.domain) break;
    }
    // Half of the variants name the customer's domain; the others leave the name to match alone.
    const domain = typed.domain !== b.reg.customer.domain || rng.chance(0.5) ? typed.domain : null;
    const r: Registration = { ...registration(partner, b.reg.customer, 1), name: typed.name.trim(), domain };
    // Some of the families the first registration holds, with the second partner's own amounts.
    r.lines = b.reg.lines.slice(0, rng.int(1, b.reg.lines.length)).map((l) => ({
      family: l.family,
      // Above every program minimum (EMEA: USD 10K per deal).
      amountMinor: Math.max(
        1_500_000,
        Math.round((l.amountMinor * between(rng, 0.7, 1.3)) / 10_000) * 10_000,
      ),
    }));
    const first = b.script.steps[0]?.at ?? T;
    const s: Script = { story: 'variant', steps: [], id: null, broken: false };
    s.steps.push(at(first + between(rng, 0.05, 0.95) * (T - first), create(s, r)));
    scripts.push(s);
  }
  // The vendor's direct-named accounts, registered by partners of their zone under a variant name.
  const accounts = def.coverage.directNamedAccounts.accounts;
  const directKinds: RegistrationVariantKind[] = [
    'legal-form',
    'case',
    'typo',
    'suffix-drop',
    'abbreviation',
  ];
  for (let i = 0; i < (planned.get('direct') ?? 0) && accounts.length > 0; i++) {
    const account = accounts[i % accounts.length] as (typeof accounts)[number];
    const zone = zoneOf(def, account.country);
    const candidates = zone === null ? [] : (byZone.get(zone) ?? []);
    if (candidates.length === 0) continue;
    const partner = rng.pick(candidates);
    const customer: DemoCustomer = {
      id: null,
      name: account.name,
      domain: account.domain ?? null,
      addressLine: null,
      city: null,
      postalCode: null,
      country: account.country,
      region: '',
      segment: 'enterprise',
    };
    const typed = registrationVariant(
      customer,
      directKinds[i % directKinds.length] as RegistrationVariantKind,
      rng,
    );
    const r: Registration = {
      ...registration(partner, customer, 1),
      name: typed.name.trim(),
      domain: typed.domain,
    };
    const s: Script = { story: 'direct', steps: [], id: null, broken: false };
    s.steps.push(at(dayAt(between(rng, 1, 60)), create(s, r)));
    scripts.push(s);
  }

  // --- run every step in time order, the clock set to its instant ---
  const steps = scripts
    .flatMap((s, i) => s.steps.map((st, j) => ({ ...st, s, i, j })))
    .sort((a, b) => a.at - b.at || a.i - b.i || a.j - b.j);
  let done = 0;
  for (const st of steps) {
    options.onProgress?.(done++, steps.length);
    if (st.s.broken || st.at > T) continue;
    clock.set(Math.round(st.at));
    try {
      await st.run();
    } catch (e) {
      // A step the use case refuses (the matcher found the customer covered, say) ends its story.
      if (!(e instanceof TrellisError)) throw e;
      st.s.broken = true;
      skipped++;
    }
  }
  clock.set(T);
  for (let n = 0; n < 100; n++) {
    const r = await sweepDeals(ctx);
    if (r.expired + r.breached === 0) break;
  }
  options.onProgress?.(steps.length, steps.length);
  return { ...(await summarise(ctx, vendorId)), skipped, seconds: (performance.now() - started) / 1000 };
}

async function summarise(
  ctx: AppContext,
  vendorId: string,
): Promise<Omit<DemoDealsSummary, 'skipped' | 'seconds'>> {
  const t = await demoRepository(ctx.store.db).dealTallies(vendorId, [
    'duplicate-registration',
    'direct-account',
  ]);
  const byStatus: Record<string, number> = {};
  for (const s of DEAL_STATUSES) byStatus[s] = 0;
  for (const r of t.byStatus) byStatus[r.status] = r.n;
  const flags: Record<string, number> = {};
  for (const f of t.byRule) flags[f.rule] = f.n;
  return {
    registrations: Object.values(byStatus).reduce((a, b) => a + b, 0),
    byStatus,
    withConflicts: t.withConflicts,
    rejectedAsConflict: t.rejectedAsConflict,
    slaBreached: t.slaBreached,
    flags,
    orders: t.orders,
  };
}

/** The region of a customer: the one it carries, else its country's. */
function regionFor(c: { region: string; country: string }): string {
  return c.region || (regionOf(c.country) ?? 'na');
}
