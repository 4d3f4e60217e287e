import type { PersonActor } from '../../core/access/actor.js';
import { SYSTEM_SCOPE, type Scope } from '../../core/access/scope.js';
import { FIXED_PARTNERS } from '../../core/demo/partners.js';
import { streamFor } from '../../core/demo/random-tools.js';
import type { Role } from '../../core/model/people.js';
import { addDays } from '../../core/programs/dates.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import type { Clock } from '../../core/shared/clock.js';
import { TrellisError } from '../../core/shared/errors.js';
import { sequentialIds } from '../../core/shared/ids.js';
import type { Random } from '../../core/shared/random.js';
import { demoRepository } from '../../db/repositories/demo-repository.js';
import { createContext, type AppContext } from '../context.js';
import { storeFile } from '../files/files.js';
import {
  claimMdfActivity,
  decideMdfActivity,
  linkMdfActivity,
  proposeActivity,
  type MdfCaller,
} from '../mdf/activities.js';
import { fundBalances } from '../mdf/funds.js';
import { programInForce } from '../programs/program-in-force.js';

/**
 * Market development funds in the demo (docs/marketing-funds.md): for each program in force today that
 * runs MDF, a few of its partners (the named demo partners first) with activities in every state a
 * person meets: paid with its proof files and the payment in the ledger, a claim waiting for review, one
 * running, one proposed, one refused with its reason, one whose claim was rejected. Made through the use
 * cases with the clock set on each step's day; funds are a proposal fund open to the partner's zone when
 * the program has one, else the partner's earned MDF (skipped when it has too little).
 */

export interface DemoMdfSummary {
  activities: number;
  byStatus: Record<string, number>;
  files: number;
  /** Activities not made: no fund with enough available, or a step the program refused. */
  skipped: number;
  seconds: number;
}

type Scenario = 'paid' | 'claimed' | 'preapproved' | 'proposed' | 'refused' | 'claim-rejected';

/** Days from today of each step: propose, decide, start, end, claim, review (null = not taken). */
const TIMELINE: Record<
  Scenario,
  {
    propose: number;
    decide: number | null;
    start: number;
    end: number;
    claim: number | null;
    review: number | null;
  }
> = {
  paid: { propose: -85, decide: -82, start: -70, end: -66, claim: -58, review: -51 },
  'claim-rejected': { propose: -60, decide: -57, start: -42, end: -40, claim: -24, review: -18 },
  claimed: { propose: -48, decide: -45, start: -30, end: -27, claim: -4, review: null },
  preapproved: { propose: -21, decide: -18, start: -3, end: 12, claim: null, review: null },
  refused: { propose: -36, decide: -33, start: -10, end: -9, claim: null, review: null },
  proposed: { propose: -2, decide: null, start: 24, end: 26, claim: null, review: null },
};

/** What each partner runs, in turn: the named partners get the fullest set. */
const ROTATION: readonly (readonly Scenario[])[] = [
  ['paid', 'claimed', 'preapproved', 'proposed'],
  ['paid', 'claim-rejected', 'proposed'],
  ['paid', 'refused', 'preapproved'],
  ['claimed', 'proposed'],
  ['paid', 'preapproved'],
  ['claim-rejected', 'refused'],
];

const TITLES: Record<string, readonly string[]> = {
  event: ['Customer roundtable', 'Executive briefing breakfast', 'Hands-on lab day', 'Partner summit booth'],
  digital: ['LinkedIn campaign', 'Webinar series promotion', 'Search campaign', 'Email nurture campaign'],
  training: ['Sales bootcamp', 'Technical certification week', 'Pre-sales workshop'],
  telemarketing: ['Lead generation sprint', 'Renewal call campaign'],
  print: ['Direct mail to install base', 'Solution brochure'],
};

const REFUSALS = [
  'Overlaps the regional event already funded this quarter; join that one instead.',
  'The audience is existing customers only; the fund pays for new business.',
];
const REJECTIONS = [
  'The attendee list does not show the customers’ companies: attach it with company names.',
  'The invoice is addressed to another company: attach the invoice made out to you.',
];

/** A one-page PDF naming what it proves (its bytes start as a PDF's: the store checks them). */
function pdf(text: string): Buffer {
  const safe = text.replace(/[()\\]/g, ' ');
  const stream = `BT /F1 12 Tf 72 720 Td (${safe}) Tj ET`;
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n` +
      `3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >> endobj\n` +
      `4 0 obj << /Length ${stream.length} >> stream\n${stream}\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}

/** A list as CSV (attendees, leads). */
function csv(rng: Random, header: string, rows: number): Buffer {
  const first = ['Ada', 'Grace', 'Alan', 'Katherine', 'Linus', 'Margaret', 'Tim', 'Barbara'];
  const last = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Torvalds', 'Hamilton', 'Berners-Lee', 'Liskov'];
  const companies = ['Globex', 'Initech', 'Umbrella Health', 'Stark Logistics', 'Wayne Foods', 'Hooli'];
  const lines = [header];
  for (let i = 0; i < rows; i++) lines.push(`${rng.pick(first)} ${rng.pick(last)},${rng.pick(companies)}`);
  return Buffer.from(`${lines.join('\n')}\n`);
}

/** The proof of one kind, as a file. */
function proofFile(rng: Random, kind: string, title: string): { fileName: string; bytes: Buffer } {
  if (kind === 'attendee-list')
    return { fileName: 'attendees.csv', bytes: csv(rng, 'name,company', rng.int(12, 40)) };
  if (kind === 'lead-list')
    return { fileName: 'leads.csv', bytes: csv(rng, 'contact,company', rng.int(20, 60)) };
  return { fileName: `${kind}.pdf`, bytes: pdf(`${title}: ${kind}`) };
}

function movableClock(start: number): Clock & { set(ms: number): void } {
  let now = start;
  return { now: () => new Date(now), set: (ms) => (now = ms) };
}

export async function loadDemoMdf(
  base: AppContext,
  options: { seed: number; now: Date; onProgress?: (done: number, total: number) => void },
): Promise<DemoMdfSummary> {
  const started = performance.now();
  const today = options.now.toISOString().slice(0, 10);
  const clock = movableClock(options.now.getTime());
  const ctx = createContext(base.store, {
    clock,
    ids: sequentialIds(`m${options.seed.toString(36)}`),
    files: base.settings.files,
    webhooks: base.settings.webhooks,
    secretsKey: base.settings.secretsKey,
  });
  const at = (days: number, hour: number) =>
    clock.set(Date.parse(`${addDays(today, days)}T${String(hour).padStart(2, '0')}:00:00.000Z`));
  const rng = streamFor(options.seed, 'marketing-funds');
  const demo = demoRepository(ctx.store.db);
  const summary: DemoMdfSummary = { activities: 0, byStatus: {}, files: 0, skipped: 0, seconds: 0 };

  // The programs in force today that run MDF activities.
  const codes = new Set<string>();
  for (const v of await base.repos.programs.publishedDefinitionsFrom(today)) {
    const def = JSON.parse(v.definition) as ProgramDefinition;
    if (def.marketingFunds && (def.effective.to === null || def.effective.to >= today)) codes.add(def.code);
  }
  const plans: {
    programCode: string;
    vendorId: string;
    programId: string;
    def: ProgramDefinition;
    partnerIds: string[];
  }[] = [];
  for (const code of codes) {
    const p = await programInForce(ctx, SYSTEM_SCOPE, code, today).catch(() => null);
    if (!p?.definition.marketingFunds) continue;
    const sellers = await demo.activeSellersOf(p.programId);
    const named = new Set<string>(FIXED_PARTNERS.map((f) => f.domain));
    const first = sellers.filter((s) => s.domain !== null && named.has(s.domain)).map((s) => s.id);
    const rest = sellers.filter((s) => !first.includes(s.id)).map((s) => s.id);
    // Without proposal funds, activities spend earned MDF: the partners holding some (a seeded sample).
    const earnedOnly = p.definition.marketingFunds.proposalFunds.length === 0;
    const others: string[] = [];
    for (let tries = 0; others.length < Math.min(4, rest.length) && tries < 60; tries++) {
      const id = rest[rng.int(0, rest.length - 1)] as string;
      if (others.includes(id)) continue;
      if (earnedOnly) {
        const f = await fundBalances(ctx, SYSTEM_SCOPE, {
          programId: p.programId,
          partnerId: id,
          asOf: today,
        });
        if ((f.earned?.earnedMinor ?? 0) < 100_000) continue;
      }
      others.push(id);
    }
    plans.push({
      programCode: code,
      vendorId: p.vendorId,
      programId: p.programId,
      def: p.definition,
      partnerIds: [...first, ...others],
    });
  }

  const total = plans.reduce((n, p) => n + p.partnerIds.length, 0);
  let done = 0;
  for (const plan of plans) {
    const mdf = plan.def.marketingFunds;
    if (!mdf) continue;
    const people = await demo.vendorAndPartnerAdmins(plan.vendorId);
    const actor = (p: (typeof people)[number], role: Role): PersonActor => ({
      kind: 'person',
      personId: p.id,
      sessionId: 'demo-load',
      email: p.email,
      name: p.name,
      vendorId: p.vendorId,
      partnerId: p.partnerId,
      roles: [role],
      regions: [],
    });
    const admin = people.find((p) => p.vendorId === plan.vendorId && p.role === 'vendor-admin');
    if (!admin) continue;
    const vendor: MdfCaller = {
      actor: actor(admin, 'vendor-admin'),
      scope: { kind: 'vendor', vendorId: plan.vendorId, regions: [] },
    };
    for (const [i, partnerId] of plan.partnerIds.entries()) {
      options.onProgress?.(done++, total);
      const person = people.find((p) => p.partnerId === partnerId && p.role === 'partner-admin');
      if (!person) continue;
      const partner: MdfCaller = {
        actor: actor(person, 'partner-admin'),
        scope: { kind: 'partner', partnerId, ownerPersonId: null } satisfies Scope,
      };
      for (const scenario of ROTATION[i % ROTATION.length] ?? []) {
        const made = await runScenario(ctx, at, rng, { plan, mdf, vendor, partner, scenario }).catch(
          (e: unknown) => {
            // A step the program refuses (no fund left, a date outside its versions) skips the activity.
            if (e instanceof TrellisError) return null;
            throw e;
          },
        );
        if (!made) {
          summary.skipped++;
          continue;
        }
        summary.activities++;
        summary.files += made.files;
        summary.byStatus[made.status] = (summary.byStatus[made.status] ?? 0) + 1;
      }
    }
  }
  options.onProgress?.(total, total);
  clock.set(options.now.getTime());
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

async function runScenario(
  ctx: AppContext,
  at: (days: number, hour: number) => void,
  rng: Random,
  s: {
    plan: { programCode: string; vendorId: string; programId: string; def: ProgramDefinition };
    mdf: NonNullable<ProgramDefinition['marketingFunds']>;
    vendor: MdfCaller;
    partner: MdfCaller;
    scenario: Scenario;
  },
): Promise<{ status: string; files: number } | null> {
  const when = TIMELINE[s.scenario];
  const type = rng.pick(s.mdf.activityTypes);
  const title = rng.pick(TITLES[type.code] ?? [type.name]);
  let amountMinor = rng.int(30, 240) * 5_000;
  // The fund: a proposal fund open to the partner's zone, else its earned MDF when it holds enough.
  at(when.propose, 9);
  const funds = await fundBalances(ctx, s.partner.scope, { programId: s.plan.programId, asOf: ctxDay(ctx) });
  const proposal = funds.proposalFunds.find((f) => f.leftMinor >= amountMinor);
  // On earned MDF, a share of what the partner holds (it runs several activities).
  const earnedShare = Math.floor((funds.earned?.availableMinor ?? 0) / 3 / 5_000) * 5_000;
  if (!proposal && earnedShare < 20_000) return null;
  if (!proposal) amountMinor = Math.min(amountMinor, earnedShare);
  const activity = await proposeActivity(ctx, s.partner, {
    programId: s.plan.programId,
    type: type.code,
    title,
    description: `${type.name}, run by the partner's marketing team with the vendor's brand guidelines.`,
    expectedOutcome: `${rng.int(5, 25)} qualified opportunities`,
    expectedRevenueMinor: amountMinor * rng.int(8, 30),
    expectedRegistrations: rng.int(2, 12),
    startsOn: addDays(ctxDay(ctx), when.start - when.propose),
    endsOn: addDays(ctxDay(ctx), when.end - when.propose),
    amountMinor,
    fund: proposal ? proposal.code : 'earned',
  });
  let status = activity.status as string;
  if (when.decide === null) return { status, files: 0 };
  at(when.decide, 11);
  if (s.scenario === 'refused') {
    const r = await decideMdfActivity(ctx, s.vendor, activity.id, {
      action: 'refuse',
      reason: rng.pick(REFUSALS),
    });
    return { status: r.status, files: 0 };
  }
  const preapproved = rng.chance(0.3) ? Math.round((amountMinor * 0.8) / 5_000) * 5_000 : amountMinor;
  status = (
    await decideMdfActivity(ctx, s.vendor, activity.id, { action: 'preapprove', amountMinor: preapproved })
  ).status;
  if (when.claim === null) return { status, files: 0 };
  at(when.claim, 14);
  const files: { fileId: string; kind: string }[] = [];
  for (const kind of type.proof) {
    const f = proofFile(rng, kind, title);
    const stored = await storeFile(
      ctx,
      { actor: s.partner.actor as PersonActor, scope: s.partner.scope },
      {
        purpose: 'mdf-proof',
        fileName: f.fileName,
        bytes: f.bytes,
        vendorId: s.plan.vendorId,
      },
    );
    files.push({ fileId: stored.id, kind });
  }
  const claimedMinor = Math.round((preapproved * rng.int(85, 100)) / 100);
  status = (await claimMdfActivity(ctx, s.partner, activity.id, { amountMinor: claimedMinor, files })).status;
  if (when.review === null) return { status, files: files.length };
  at(when.review, 10);
  const decided =
    s.scenario === 'claim-rejected'
      ? await decideMdfActivity(ctx, s.vendor, activity.id, {
          action: 'reject',
          reason: rng.pick(REJECTIONS),
        })
      : await decideMdfActivity(ctx, s.vendor, activity.id, { action: 'approve', amountMinor: claimedMinor });
  if (decided.status === 'paid') {
    // Its return, linked yesterday: some of the partner's orders with the vendor since it began.
    at(-1, 16);
    const orders = await demoRepository(ctx.store.db).partnerOrdersBetween(
      s.plan.vendorId,
      s.partner.scope.kind === 'partner' ? s.partner.scope.partnerId : '',
      activity.startsOn,
      ctxDay(ctx),
      rng.int(1, 4),
    );
    for (const o of orders)
      await linkMdfActivity(ctx, s.partner, activity.id, { kind: 'order', targetId: o.id });
  }
  return { status: decided.status, files: files.length };
}

function ctxDay(ctx: AppContext): string {
  return ctx.clock.now().toISOString().slice(0, 10);
}
