import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppContext } from '../../src/app/context.js';
import { publishDocument } from '../../src/app/programs/publish-document.js';
import { writeMemberships } from '../../src/app/tiers/write-memberships.js';
import { fixedClock } from '../../src/core/shared/clock.js';
import { ROOT } from './fixtures.js';

const T0 = new Date('2017-01-15T00:00:00.000Z');

/**
 * NewCo: a vendor spun off with a copy of Dell's program (same tiers, rates and multipliers) under its own
 * vendor and code, from 2017-02-01: a split of Dell's partner base into it must leave every partner's
 * standing identical. It sells storage, servers, networking and data protection.
 */
export async function publishNewco(ctx: AppContext): Promise<{ vendorId: string; programId: string }> {
  return publishDellClone(ctx, 'newco', 'newco-partner-program');
}

/** A copy of Dell's FY18 (or VMware's FY22) program under another vendor and code, the vendor selling four families. */
export async function publishDellClone(
  ctx: AppContext,
  slug: string,
  code: string,
  of: 'dell' | 'vmware' = 'dell',
): Promise<{ vendorId: string; programId: string }> {
  const file = of === 'dell' ? 'programs/dell-emc-fy18.yaml' : 'programs/vmware-partner-connect-fy22.yaml';
  const text = (await readFile(join(ROOT, file), 'utf8'))
    .replace(/slug: (dell|vmware)/, `slug: ${slug}`)
    .replace(/name: (Dell Technologies|VMware)\n/, `name: ${slug.toUpperCase()}\n`)
    .replace(/code: (dell-emc-partner-program|vmware-partner-connect)/, `code: ${code}`)
    .replace(/name: (Dell EMC Partner Program|VMware Partner Connect)/, `name: ${code}`);
  const out = await publishDocument(
    ctx.store.db,
    { clock: fixedClock(T0), ids: ctx.ids },
    text,
    `${code}.yaml`,
  );
  if (out.kind !== 'program') throw new Error(`${code} is a program`);
  await ctx.store.db
    .insertInto('products')
    .values(
      (['storage', 'servers', 'networking', 'data-protection'] as const).map((family) => ({
        id: ctx.ids.next('product'),
        vendorId: out.vendorId,
        sku: `${slug}-${family}`,
        name: `${slug} ${family}`,
        family,
        listPriceMinor: 100_000,
        currency: 'USD',
        createdAt: T0.toISOString(),
      })),
    )
    .execute();
  return { vendorId: out.vendorId, programId: out.programId };
}

/** A legacy program (FY17, ending 2017-01-31) of a vendor, with the tiers its status match maps. */
export function legacyProgramYaml(vendor: string, code: string, tiers: readonly string[]): string {
  return `apiVersion: trellis/v1
kind: Program
vendor: { slug: ${vendor}, name: ${vendor.toUpperCase()}, currency: USD }
code: ${code}
name: ${code}
version: FY17
effective: { from: 2016-02-01, to: 2017-01-31 }
currency: USD
fiscalYearStart: 02-01
periods: quarter
zones:
  - { code: global, name: Worldwide, regions: [na, latam, emea, apj] }
defaultZone: global
tiers:
${tiers
  .map((t, i) =>
    i === 0
      ? `  - { code: ${t}, name: ${t} }`
      : `  - code: ${t}\n    name: ${t}\n    requirements: [{ zones: [global], paths: [{ revenue: USD ${i}M }] }]`,
  )
  .join('\n')}
qualification: { window: P12M, reevaluate: daily, auditDate: 02-01, downgrade: at-audit, grandfathering: P12M }
components:
  - code: base-rebate
    name: Rebate
    kind: base-rebate
    priority: 10
    settlement: accrual
    rates:
${tiers.map((t, i) => `      ${t}: { storage: ${i + 1}% }`).join('\n')}
payouts: { period: quarter, closeAfterDays: 15, payAfterDays: 45, currency: USD }
dealRegistration:
  minimumDealSize: { default: USD 10K }
  protectionDays: 90
  extensions: { days: 30, maxCount: 1, onRequest: true }
  reviewSlaHours: { default: 48 }
  netNewOnly: true
  oneDealOneCustomer: true
  conflictScope: [account, family, region]
  conflictRule: first-to-register
coverage:
  channelExclusiveWindow: P1Y
  directNamedAccounts: { accounts: [] }
  routing: { threshold: USD 100K, order: [highest-tier], offerHours: 72 }
`;
}

export async function publishYaml(ctx: AppContext, text: string, file: string) {
  const out = await publishDocument(ctx.store.db, { clock: fixedClock(T0), ids: ctx.ids }, text, file);
  if (out.kind !== 'program') throw new Error(`${file} is not a program`);
  return { vendorId: out.vendorId, programId: out.programId };
}

export async function publishShippedAgreement(ctx: AppContext): Promise<void> {
  const text = await readFile(join(ROOT, 'programs/agreements/dell-vmware-2021.yaml'), 'utf8');
  await publishDocument(
    ctx.store.db,
    { clock: fixedClock(T0), ids: ctx.ids },
    text,
    'programs/agreements/dell-vmware-2021.yaml',
  );
}

/** Gives partners tiers in a program from a day (earned records, as an evaluation writes them). */
export async function holdTiers(
  ctx: AppContext,
  program: { vendorId: string; programId: string },
  tiers: readonly string[],
  from: string,
  held: Record<string, string>,
): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    await writeMemberships(trx, {
      vendorId: program.vendorId,
      programId: program.programId,
      statusCodes: new Set(),
      tiers,
      partnerIds: Object.keys(held),
      decide: () =>
        Object.entries(held).map(([partnerId, tierCode]) => ({
          id: ctx.ids.next('membership'),
          vendorId: program.vendorId,
          programId: program.programId,
          partnerId,
          tierCode,
          validFrom: from,
          validTo: null,
          source: 'earned',
          reason: 'test',
          createdAt: T0.toISOString(),
          grandfatheredUntil: null,
          sponsor: null,
          detail: '{}',
        })),
    });
  });
}

/** Enrols partners in a program. */
export async function enrol(
  ctx: AppContext,
  program: { vendorId: string; programId: string },
  partners: readonly string[],
): Promise<void> {
  await ctx.store.db
    .insertInto('enrolments')
    .values(
      partners.map((partnerId, i) => ({
        id: ctx.ids.next('enrolment'),
        vendorId: program.vendorId,
        programId: program.programId,
        partnerId,
        partnerNumber: `L-${i}`,
        status: 'active',
        exclusive: 0,
        enrolledAt: T0.toISOString(),
      })),
    )
    .execute();
}

/** A deal registration of a partner with a vendor, stored as a reviewer would leave it (one line). */
export async function insertDeal(
  ctx: AppContext,
  program: { vendorId: string; programId: string },
  d: {
    id: string;
    partnerId: string;
    status: string;
    customerName: string;
    customerDomain: string | null;
    customerCountry: string;
    customerRegion: string;
    family: string;
    protectedUntil: string | null;
  },
): Promise<void> {
  const at = '2017-05-01T10:00:00.000Z';
  await ctx.store.db
    .insertInto('dealRegistrations')
    .values({
      id: d.id,
      vendorId: program.vendorId,
      programId: program.programId,
      partnerId: d.partnerId,
      ownerPersonId: null,
      status: d.status,
      customerName: d.customerName,
      customerDomain: d.customerDomain,
      customerAddressLine: null,
      customerCity: null,
      customerPostalCode: null,
      customerCountry: d.customerCountry,
      customerRegion: d.customerRegion,
      customerSegment: 'enterprise',
      customerId: null,
      claimKey: null,
      currency: 'USD',
      totalMinor: 4_000_000,
      expectedCloseDate: '2017-09-30',
      description: 'test',
      externalRef: null,
      submittedAt: at,
      reviewDueAt: null,
      slaBreachedAt: null,
      escalated: 0,
      decidedBy: null,
      decidedAt: d.protectedUntil ? at : null,
      approvedOn: d.protectedUntil ? '2017-05-01' : null,
      protectedUntil: d.protectedUntil,
      extensionsGranted: 0,
      extensionRequestedAt: null,
      extensionReason: null,
      reasonCode: null,
      reasonText: null,
      wonOrderId: null,
      closedAt: null,
      sequence: null,
      version: 1,
      createdAt: at,
      updatedAt: at,
    })
    .execute();
  await ctx.store.db
    .insertInto('dealRegistrationLines')
    .values({
      id: ctx.ids.next('dealLine'),
      registrationId: d.id,
      vendorId: program.vendorId,
      lineNo: 1,
      family: d.family,
      productId: null,
      quantity: null,
      amountMinor: 4_000_000,
      currency: 'USD',
      description: null,
    })
    .execute();
}
