import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProgramDocument } from '../programs/parse.js';
import type { ProgramDefinition } from '../programs/types.js';
import { benefitRates, checkPartner, compileForRates } from './continuity.js';
import {
  familiesSold,
  planPartnerCarry,
  resolveTierMap,
  type OpenDeal,
  type SplitPartnerFacts,
} from './split-plan.js';

function program(file: string): ProgramDefinition {
  const path = join(import.meta.dirname, '..', '..', '..', 'programs', file);
  const parsed = parseProgramDocument(readFileSync(path, 'utf8'), path);
  if (!parsed.ok || parsed.document.kind !== 'Program') throw new Error(`cannot read ${file}`);
  return parsed.document;
}

const dell = program('dell-emc-fy18.yaml');
const vmware = program('vmware-partner-connect-fy22.yaml');

const facts = (over: Partial<SplitPartnerFacts> = {}): SplitPartnerFacts => ({
  partnerId: 'ptn_a',
  enrolment: { partnerNumber: 'D-1', status: 'active', exclusive: false },
  sourceTier: { code: 'platinum', validFrom: '2017-02-01', grandfatheredUntil: null },
  sourceStatuses: [],
  targetEnrolled: false,
  targetTier: null,
  certifications: [],
  targetCertificationKeys: new Set(),
  openDeals: [],
  openOffers: [],
  ...over,
});

const deal = (id: string, over: Partial<OpenDeal>): OpenDeal => ({
  id,
  what: `registration ${id}`,
  status: 'approved',
  currency: 'USD',
  families: ['software'],
  region: 'emea',
  equivalent: { customerId: 'cus_v', name: 'Acme' },
  claimTaken: false,
  ...over,
});

const options = {
  day: '2021-11-01',
  map: { authorized: 'registered', gold: 'advantage', platinum: 'advantage-plus', titanium: 'premier' },
  grandfatherUntil: null,
  targetFamilies: new Set(['software']),
};

describe('resolveTierMap', () => {
  it('defaults to the same rank when both programs have as many tiers', () => {
    expect(resolveTierMap(dell, vmware, undefined)).toEqual({ map: options.map, errors: [] });
  });
  it('names every unknown, unmapped or status entry, where', () => {
    const { errors } = resolveTierMap(dell, vmware, {
      authorized: 'registered',
      gold: 'gold',
      'titanium-black': 'premier',
      platinum: 'premier',
    });
    expect(errors.map((e) => e.location)).toEqual([
      'tierMap.gold',
      'tierMap.titanium-black',
      'tierMap.titanium',
    ]);
    expect(errors[1]?.message).toContain('invitation-only status');
  });
});

describe('planPartnerCarry', () => {
  it('golden: a platinum partner gets advantage-plus from the split day, enrolled with its number', () => {
    const plan = planPartnerCarry(dell, vmware, facts(), options);
    expect(plan).toMatchObject({
      enrol: true,
      sourceTier: 'platinum',
      promisedTier: 'advantage-plus',
      membership: {
        tierCode: 'advantage-plus',
        validFrom: '2021-11-01',
        source: 'transfer',
        grandfatheredUntil: null,
      },
      notCarried: [],
    });
  });
  it('a partner with no record carries the floor; grandfathering is recorded', () => {
    const plan = planPartnerCarry(dell, vmware, facts({ sourceTier: null }), {
      ...options,
      grandfatherUntil: '2022-11-01',
    });
    expect(plan.membership).toMatchObject({
      tierCode: 'registered',
      source: 'grandfathered',
      grandfatheredUntil: '2022-11-01',
    });
    expect(plan.membership?.reason).toBe(
      `carried from ${dell.code} authorized (the floor: no tier recorded) on ${options.day}; grandfathered until 2022-11-01`,
    );
    expect(plan.membership?.reasonMessage.key).toBe('transfers.carried');
    const held = planPartnerCarry(dell, vmware, facts({}), options);
    expect(held.membership?.reason).toBe(`carried from ${dell.code} ${held.sourceTier} on ${options.day}`);
  });
  it('keeps a higher tier already held in the target (a partner never loses by a split)', () => {
    const plan = planPartnerCarry(
      dell,
      vmware,
      facts({
        targetEnrolled: true,
        targetTier: { code: 'premier', validFrom: '2021-01-30', grandfatheredUntil: null },
      }),
      options,
    );
    expect(plan.enrol).toBe(false);
    expect(plan.membership).toBeNull();
    expect(plan.promisedTier).toBe('premier');
    expect(plan.notCarried[0]?.why).toContain('above the mapped advantage-plus');
  });
  it('lists statuses, certifications of families the target does not sell, deals and offers, with why', () => {
    const plan = planPartnerCarry(
      dell,
      vmware,
      facts({
        sourceStatuses: ['titanium-black'],
        certifications: [
          {
            id: 'crt_1',
            personId: 'per_1',
            code: 'S',
            kind: 'sales',
            family: 'storage',
            earnedOn: '2021-01-01',
            expiresOn: '2023-01-01',
          },
          {
            id: 'crt_2',
            personId: 'per_1',
            code: 'V',
            kind: 'sales',
            family: 'software',
            earnedOn: '2021-01-01',
            expiresOn: '2023-01-01',
          },
          {
            id: 'crt_3',
            personId: 'per_2',
            code: 'V',
            kind: 'sales',
            family: 'software',
            earnedOn: '2021-01-01',
            expiresOn: '2023-01-01',
          },
        ],
        targetCertificationKeys: new Set(['per_2|V|sales|software']),
        openDeals: [
          deal('deal_1', {}),
          deal('deal_2', { status: 'submitted' }),
          deal('deal_3', { equivalent: null }),
          deal('deal_4', { families: ['storage'] }),
          deal('deal_5', { claimTaken: true }),
          deal('deal_6', { currency: 'EUR' }),
        ],
        openOffers: [{ id: 'ofr_1', what: 'offer ofr_1' }],
      }),
      options,
    );
    expect(plan.certifications.map((c) => c.id)).toEqual(['crt_2']);
    expect(plan.deals.map((d) => d.id)).toEqual(['deal_1']);
    expect(plan.notCarried.map((n) => `${n.kind}:${n.id}`)).toEqual([
      'status:titanium-black',
      'certification:crt_1',
      'certification:crt_3',
      'deal:deal_2',
      'deal:deal_3',
      'deal:deal_4',
      'deal:deal_5',
      'deal:deal_6',
      'offer:ofr_1',
    ]);
    expect(plan.notCarried.find((n) => n.id === 'deal_2')?.why).toContain("awaits dell's decision");
    expect(plan.notCarried.map((n) => n.whyMessage?.key.split('.').pop())).toEqual([
      'status',
      'certificationNotSold',
      'certificationHeld',
      'dealPending',
      'dealNoCustomer',
      'dealFamilies',
      'dealClaimed',
      'dealCurrency',
      'offer',
    ]);
    expect(plan.notCarried.find((n) => n.id === 'deal_3')?.why).toContain('no customer matching');
    expect(plan.notCarried.find((n) => n.id === 'deal_4')?.why).toContain('does not sell storage');
    expect(plan.notCarried.find((n) => n.id === 'deal_5')?.why).toContain('already protects');
    expect(plan.notCarried.find((n) => n.id === 'deal_6')?.why).toContain('in EUR');
  });
});

describe('the promise', () => {
  const partner = { kind: 'reseller' as const, country: 'GB', region: 'emea' as const, exclusive: true };
  it('golden: benefit rates per family are what a reference line earns (Titanium storage 4% x1.25 exclusive)', () => {
    const rates = benefitRates(compileForRates(dell), 'titanium', '2017-06-01', partner, [
      'storage',
      'servers',
      'software',
    ]);
    expect(rates).toEqual({ storage: 50_000, servers: 37_500, software: 0 });
  });
  it('a different tier or rate is a difference; none is ok', () => {
    const ok = checkPartner({
      partnerId: 'ptn_a',
      checkedOn: '2021-11-02',
      sourceTier: 'platinum',
      promisedTier: 'advantage-plus',
      heldTier: 'advantage-plus',
      sourceRates: { software: 40_000 },
      targetRates: { software: 40_000 },
      families: ['software'],
    });
    expect(ok.ok).toBe(true);
    const bad = checkPartner({
      ...ok,
      heldTier: 'advantage',
      sourceRates: { software: 0 },
      targetRates: { software: 20_000 },
      families: ['software'],
    });
    expect(bad.ok).toBe(false);
    expect(bad.differences.map((d) => d.sentence)).toEqual([
      'holds advantage on 2021-11-02, promised advantage-plus',
      'software: earns 2% in the target, 0% in the source',
    ]);
    expect(bad.differences.map((d) => d.sentenceMessage?.key)).toEqual(['transfers.tier', 'transfers.rate']);
    const none = checkPartner({
      ...ok,
      heldTier: null,
      sourceRates: { software: 0 },
      targetRates: { software: 0 },
      families: ['software'],
    });
    expect(none.differences.map((d) => [d.held, d.sentence])).toEqual([
      ['none', 'holds no tier on 2021-11-02, promised advantage-plus'],
    ]);
  });
  it('families sold: the vendor products, else what the program pays on', () => {
    expect([...familiesSold(['software'], dell)]).toEqual(['software']);
    expect([...familiesSold([], vmware)].sort()).toEqual(['services', 'software']);
  });
});
