import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProductFamily } from '../model/catalog.js';
import { PRODUCT_FAMILIES } from '../model/catalog.js';
import type { CertificationKind } from '../model/people.js';
import { parseProgramDocument } from '../programs/parse.js';
import type { ProgramDefinition } from '../programs/types.js';
import { certificationIndex, deriveCertificationFacts } from './certifications.js';
import { TrellisError } from '../shared/errors.js';
import { compileTierEvaluator } from './evaluator.js';
import { serviceDelivery } from './service-delivery.js';
import type { PartnerTierFacts, PersonCertification, RevenueSlice } from './types.js';

function loadProgram(file: string): ProgramDefinition {
  const path = join(import.meta.dirname, '..', '..', '..', 'programs', file);
  const parsed = parseProgramDocument(readFileSync(path, 'utf8'), path);
  if (!parsed.ok || parsed.document.kind !== 'Program') throw new Error(`cannot load ${file}`);
  return parsed.document;
}

const dell = loadProgram('dell-emc-fy18.yaml');
const vmware = loadProgram('vmware-partner-connect-fy22.yaml');
const AS_OF = '2017-11-15';
const usd = (dollars: number) => Math.round(dollars * 100);

function revenue(byFamily: Partial<Record<ProductFamily, number>>): number[] {
  return PRODUCT_FAMILIES.map((f) => usd(byFamily[f] ?? 0));
}

let nextPerson = 0;
/** `n` people each holding one active certification of kind/family. */
function certified(n: number, kind: CertificationKind, family: string): PersonCertification[] {
  return Array.from({ length: n }, () => ({
    personId: `person-${++nextPerson}`,
    kind,
    family,
    earnedOn: '2016-05-01',
    expiresOn: '2018-05-01',
  }));
}

function partner(opts: {
  country?: string;
  exclusive?: boolean;
  revenue: Partial<Record<ProductFamily, number>>;
  certifications?: PersonCertification[];
  slices?: RevenueSlice[];
}): PartnerTierFacts {
  const facts: PartnerTierFacts = {
    partnerId: 'p-1',
    country: opts.country ?? 'GB',
    kind: 'reseller',
    exclusive: opts.exclusive ?? false,
    revenueByFamily: revenue(opts.revenue),
    certifications: deriveCertificationFacts(opts.certifications ?? [], AS_OF),
  };
  return opts.slices ? { ...facts, revenueSlices: opts.slices } : facts;
}

const ONE_COMPANY_CERT = () => certified(1, 'technical', 'storage');
/** Path 2 of Gold: one company certification, 2 sales and 2 technical people. */
const PATH_2_GOLD = () => [...certified(2, 'sales', 'storage'), ...certified(2, 'technical', 'storage')];

describe('tier evaluation, Dell EMC FY18 (golden)', () => {
  const ev = compileTierEvaluator(dell);

  it('UK partner, USD 3.2M incl. 450K services, 1 company certification: Gold by path 1', () => {
    const facts = partner({
      revenue: { storage: 2_000_000, servers: 750_000, services: 450_000 },
      certifications: ONE_COMPANY_CERT(),
    });
    const e = ev.evaluate(facts, AS_OF);
    expect(e.zone).toBe('emea-1');
    expect(e.tier).toBe('gold');
    expect(e.qualifiedBy).toEqual({ tier: 'gold', path: 0, name: 'Path 1' });
    expect(e.measures).toMatchObject({
      revenueMinor: usd(3_200_000),
      servicesRevenueMinor: usd(450_000),
      credits: null,
      multipliers: [],
    });
    const gold = e.tiers.find((t) => t.tier === 'gold');
    expect(gold?.paths.map((p) => p.met)).toEqual([true, false]);
    expect(gold?.paths[0]?.checks).toEqual([
      {
        measure: 'revenue',
        family: null,
        kind: null,
        target: usd(3_000_000),
        actual: usd(3_200_000),
        met: true,
      },
      {
        measure: 'servicesRevenue',
        family: null,
        kind: null,
        target: usd(400_000),
        actual: usd(450_000),
        met: true,
      },
      { measure: 'companyCertifications', family: null, kind: null, target: 1, actual: 1, met: true },
    ]);
    expect(e.tiers.map((t) => t.tier)).toEqual(['titanium', 'platinum', 'gold']);
    expect(ev.qualify(facts)).toEqual({ rank: 1, path: 0 });
  });

  it('UK partner, USD 600K incl. 70K services with the path-2 certifications: Gold by path 2', () => {
    const facts = partner({ revenue: { storage: 530_000, services: 70_000 }, certifications: PATH_2_GOLD() });
    const e = ev.evaluate(facts, AS_OF);
    expect(e.tier).toBe('gold');
    expect(e.qualifiedBy).toEqual({ tier: 'gold', path: 1, name: 'Path 2' });
    const path2 = e.tiers.find((t) => t.tier === 'gold')?.paths[1];
    expect(path2?.checks.filter((c) => c.measure === 'certifiedPeople')).toEqual([
      { measure: 'certifiedPeople', family: null, kind: 'sales', target: 2, actual: 2, met: true },
      { measure: 'certifiedPeople', family: null, kind: 'technical', target: 2, actual: 2, met: true },
    ]);
    // Without the people, path 2 fails and path 1 asks for more revenue.
    const fewer = partner({
      revenue: { storage: 530_000, services: 70_000 },
      certifications: ONE_COMPANY_CERT(),
    });
    expect(ev.evaluate(fewer, AS_OF).tier).toBe('authorized');
  });

  it('just below Platinum: x1.25 exclusivity reaches Platinum, not otherwise', () => {
    const certs = [...certified(1, 'technical', 'storage'), ...certified(1, 'technical', 'servers')];
    const base = {
      revenue: { storage: 9_000_000, servers: 3_600_000, services: 1_400_000 },
      certifications: certs,
    };
    const plain = ev.evaluate(partner(base), AS_OF);
    expect(plain.tier).toBe('gold');
    expect(plain.measures.revenueMinor).toBe(usd(14_000_000));
    const exclusive = ev.evaluate(partner({ ...base, exclusive: true }), AS_OF);
    expect(exclusive.tier).toBe('platinum');
    expect(exclusive.qualifiedBy?.name).toBe('Path 1');
    expect(exclusive.measures).toMatchObject({
      rawRevenueMinor: usd(14_000_000),
      revenueMinor: usd(17_500_000),
      servicesRevenueMinor: usd(1_750_000),
      multipliers: ['exclusivity'],
    });
  });

  it('exact boundary: USD 12M x1.25 = 15M meets Platinum exactly; one cent less does not', () => {
    const certs = [...certified(1, 'technical', 'storage'), ...certified(1, 'sales', 'storage')];
    const at = partner({
      exclusive: true,
      revenue: { storage: 10_720_000, services: 1_280_000 },
      certifications: certs,
    });
    expect(ev.evaluate(at, AS_OF).tier).toBe('platinum');
    const below = { ...at, revenueByFamily: Array.from(at.revenueByFamily, (v, i) => (i === 1 ? v - 1 : v)) };
    // 11,999,999.99 x 1.25 = 14,999,999.9875 -> rounds to 14,999,999.99 (half-even on the cent).
    expect(ev.measure(below).revenueMinor).toBe(1_499_999_999);
    expect(ev.evaluate(below, AS_OF).tier).toBe('gold');
  });

  it('the same revenue in another zone gives that zone’s tier', () => {
    const base = {
      revenue: { storage: 2_000_000, servers: 750_000, services: 450_000 },
      certifications: ONE_COMPANY_CERT(),
    };
    expect(ev.evaluate(partner({ ...base, country: 'GB' }), AS_OF).tier).toBe('gold');
    expect(ev.evaluate(partner({ ...base, country: 'US' }), AS_OF)).toMatchObject({
      zone: 'north-america',
      tier: 'authorized',
    });
    expect(ev.evaluate(partner({ ...base, country: 'IT' }), AS_OF)).toMatchObject({
      zone: 'emea-2',
      tier: 'gold',
    });
    const big = {
      revenue: { storage: 12_600_000, services: 1_400_000 },
      certifications: [...certified(1, 'technical', 'storage'), ...certified(1, 'technical', 'servers')],
    };
    expect(ev.evaluate(partner({ ...big, country: 'GB' }), AS_OF).tier).toBe('gold');
    expect(ev.evaluate(partner({ ...big, country: 'IT' }), AS_OF).tier).toBe('platinum');
    expect(ev.evaluate(partner({ ...big, country: 'JP' }), AS_OF)).toMatchObject({
      zone: 'rest-of-world',
      tier: 'platinum',
    });
    expect(ev.evaluate(partner({ ...big, country: 'US' }), AS_OF)).toMatchObject({
      zone: 'north-america',
      tier: 'gold',
    });
  });

  it('certifications "1-2-3": 1 for Gold, 2 for Platinum, 3 for Titanium', () => {
    const revenueOf = { storage: 40_000_000, servers: 6_000_000, services: 4_000_000 };
    const certs = [
      ...certified(1, 'technical', 'storage'),
      ...certified(1, 'technical', 'servers'),
      ...certified(1, 'sales', 'storage'),
    ];
    const tierWith = (n: number) =>
      ev.evaluate(partner({ revenue: revenueOf, certifications: certs.slice(0, n) }), AS_OF).tier;
    expect([0, 1, 2, 3].map(tierWith)).toEqual(['authorized', 'gold', 'platinum', 'titanium']);
    // Three people holding the same certification are one company certification.
    expect(
      ev.evaluate(
        partner({ revenue: revenueOf, certifications: certified(3, 'technical', 'storage') }),
        AS_OF,
      ).tier,
    ).toBe('gold');
  });

  it('a country with no zone would stay on the floor; every Trellis country has one here', () => {
    expect(ev.zoneOf('ZZ')).toBe('rest-of-world');
    expect(ev.zoneOf('FR')).toBe('emea-1');
  });

  it('progress: gaps are target - current, and a pending deal shows what it would change', () => {
    const facts = partner({
      revenue: { storage: 1_700_000, services: 300_000 },
      certifications: ONE_COMPANY_CERT(),
    });
    const p = ev.progress(facts, AS_OF, {
      revenueByFamily: revenue({ storage: 1_100_000, services: 120_000 }),
    });
    expect(p.currentTier).toBe('authorized');
    expect(p.targets.map((t) => t.tier)).toEqual(['gold']);
    const [path1, path2] = p.targets[0]?.paths ?? [];
    expect(path1?.requirements.map((r) => [r.measure, r.target, r.current, r.gap, r.met])).toEqual([
      ['revenue', usd(3_000_000), usd(2_000_000), usd(1_000_000), false],
      ['servicesRevenue', usd(400_000), usd(300_000), usd(100_000), false],
      ['companyCertifications', 1, 1, 0, true],
    ]);
    for (const t of p.targets)
      for (const path of t.paths)
        for (const r of path.requirements) {
          expect(r.gap).toBe(Math.max(0, r.target - r.current));
          if (r.withPending) expect(r.withPending.gap).toBe(Math.max(0, r.target - r.withPending.current));
        }
    expect(path1?.met).toBe(false);
    expect(path1?.metWithPending).toBe(true);
    expect(path2?.metWithPending).toBe(false); // no certified people
    expect(p.withPending?.tier).toBe('gold');
    expect(p.withPending?.measures.revenueMinor).toBe(usd(3_220_000));

    const all = ev.progress(facts, AS_OF, null, { allHigher: true });
    expect(all.targets.map((t) => t.tier)).toEqual(['gold', 'platinum', 'titanium']);
    expect(all.withPending).toBeUndefined();
    const top = partner({
      revenue: { storage: 46_000_000, services: 4_000_000 },
      certifications: certified(1, 'sales', 'storage').concat(
        certified(1, 'technical', 'storage'),
        certified(1, 'services', 'services'),
      ),
    });
    expect(ev.progress(top, AS_OF).targets).toEqual([]);
  });

  it('thresholds in another currency need a converter', () => {
    const eur: ProgramDefinition = {
      ...dell,
      additionalCurrencies: ['EUR'],
      tiers: dell.tiers.map((t, i) =>
        i !== 1
          ? t
          : {
              ...t,
              requirements: t.requirements.map((r, ri) =>
                ri !== 0
                  ? r
                  : {
                      ...r,
                      paths: r.paths.map((p) => ({
                        ...p,
                        revenue: { amountMinor: 50_000_000, currency: 'EUR' },
                      })),
                    },
              ),
            },
      ),
    };
    expect(() => compileTierEvaluator(eur)).toThrow(TrellisError);
    const ev2 = compileTierEvaluator(eur, { toProgramCurrency: (m) => Math.round(m.amountMinor * 1.1) });
    const facts = partner({ revenue: { storage: 500_000, services: 60_000 }, certifications: PATH_2_GOLD() });
    expect(ev2.evaluate(facts, AS_OF).tier).toBe('gold'); // 560K >= EUR 500K x 1.1
  });
});

describe('credits (VMware Partner Connect FY22)', () => {
  const ev = compileTierEvaluator(vmware);

  it('credits = qualifying revenue / creditValue, with multipliers per licensing model', () => {
    const certs = certified(2, 'sales', 'software');
    const plain = partner({ country: 'US', revenue: { software: 40_000 }, certifications: certs });
    expect(ev.evaluate(plain, AS_OF)).toMatchObject({ tier: 'registered', measures: { credits: 40_000 } });
    const subscription = partner({
      country: 'US',
      revenue: { software: 40_000 },
      certifications: certs,
      slices: [{ family: 'software', amountMinor: usd(30_000), licensing: 'subscription' }],
    });
    // 30K x1.5 + 10K = 55K credits.
    const e = ev.evaluate(subscription, AS_OF);
    expect(e.measures).toMatchObject({ credits: 55_000, multipliers: ['subscription'] });
    expect(e.tier).toBe('advantage');
    // Stacked: SaaS x2 and new customer x1.25 = x2.5.
    const saas = partner({
      country: 'DE',
      revenue: { software: 40_000 },
      certifications: certs,
      slices: [{ family: 'software', amountMinor: usd(40_000), licensing: 'saas', newBusiness: true }],
    });
    expect(ev.measure(saas)).toMatchObject({ credits: 100_000, multipliers: ['saas', 'new-customer'] });
  });

  it('partial credits do not count', () => {
    const facts = partner({
      country: 'US',
      revenue: { software: 49_999.99 },
      certifications: certified(2, 'sales', 'software'),
    });
    expect(ev.measure(facts).credits).toBe(49_999);
    expect(ev.evaluate(facts, AS_OF).tier).toBe('registered');
  });
});

describe('certification facts', () => {
  it('counts active certifications only, distinct people per slot, distinct pairs for the company', () => {
    const certs: PersonCertification[] = [
      { personId: 'a', kind: 'sales', family: 'storage', earnedOn: '2016-01-01', expiresOn: '2018-01-01' },
      { personId: 'a', kind: 'sales', family: 'servers', earnedOn: '2016-01-01', expiresOn: '2018-01-01' },
      { personId: 'b', kind: 'sales', family: 'storage', earnedOn: '2016-01-01', expiresOn: '2018-01-01' },
      {
        personId: 'c',
        kind: 'technical',
        family: 'storage',
        earnedOn: '2016-01-01',
        expiresOn: '2017-11-15',
      }, // expired on asOf
      {
        personId: 'd',
        kind: 'technical',
        family: 'storage',
        earnedOn: '2017-12-01',
        expiresOn: '2019-12-01',
      }, // not yet earned
      {
        personId: 'e',
        kind: 'services',
        family: 'legacy-emc',
        earnedOn: '2016-01-01',
        expiresOn: '2019-01-01',
      },
    ];
    const c = deriveCertificationFacts(certs, AS_OF);
    expect(c.people[certificationIndex('sales', null)]).toBe(2);
    expect(c.people[certificationIndex('sales', 'storage')]).toBe(2);
    expect(c.people[certificationIndex('sales', 'servers')]).toBe(1);
    expect(c.people[certificationIndex(null, null)]).toBe(3);
    expect(c.people[certificationIndex('technical', null)]).toBe(0);
    expect(c.people[certificationIndex('services', null)]).toBe(1);
    expect(c.people[certificationIndex('services', 'services')]).toBe(0);
    expect(c.company[certificationIndex(null, null)]).toBe(3); // sales/storage, sales/servers, services/legacy-emc
    expect(c.company[certificationIndex(null, 'storage')]).toBe(1);
    expect(c.company[certificationIndex('sales', null)]).toBe(2);
  });
});

describe('service delivery', () => {
  it('delivers with an active services certification in the services family, else resells', () => {
    const trained = partner({ revenue: {}, certifications: certified(1, 'services', 'services') });
    const untrained = partner({ revenue: {}, certifications: certified(3, 'technical', 'services') });
    expect(serviceDelivery(dell, trained)).toMatchObject({
      mayDeliver: true,
      mode: 'deliver',
      components: [{ code: 'services-rebate', delivery: 'either', eligible: true }],
    });
    expect(serviceDelivery(dell, untrained)).toMatchObject({ mayDeliver: false, mode: 'resell' });
    expect(serviceDelivery(vmware, untrained).components).toEqual([
      { code: 'services-rebate', delivery: 'deliver', eligible: false },
    ]);
    expect(serviceDelivery(vmware, trained).components[0]?.eligible).toBe(true);
    expect(serviceDelivery(null, trained).families).toEqual(['services']);
  });
  it('says why in English as it always has, and as a message', () => {
    const trained = partner({ revenue: {}, certifications: certified(2, 'services', 'services') });
    const untrained = partner({ revenue: {}, certifications: certified(3, 'technical', 'services') });
    const may = serviceDelivery(dell, trained);
    expect(may.reason).toBe(
      '2 person(s) hold an active services certification in services: may deliver the services itself',
    );
    expect(may.reasonMessage).toEqual({
      key: 'tiers.mayDeliver',
      params: { count: 2, families: { list: ['services'] } },
    });
    expect(serviceDelivery(dell, untrained).reason).toBe(
      "no one holds an active services certification in services: must resell the vendor's services",
    );
  });
});
