import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRODUCT_FAMILIES } from '../model/catalog.js';
import { CERTIFICATION_KINDS } from '../model/people.js';
import { parseProgramDocument } from '../programs/parse.js';
import type { ProgramDefinition } from '../programs/types.js';
import { deriveCertificationFacts } from './certifications.js';
import { compileTierEvaluator } from './evaluator.js';
import type { PartnerTierFacts, PersonCertification } from './types.js';

function loadProgram(file: string): ProgramDefinition {
  const path = join(import.meta.dirname, '..', '..', '..', 'programs', file);
  const parsed = parseProgramDocument(readFileSync(path, 'utf8'), path);
  if (!parsed.ok || parsed.document.kind !== 'Program') throw new Error(`cannot load ${file}`);
  return parsed.document;
}

const AS_OF = '2017-11-15';
const programs = [loadProgram('dell-emc-fy18.yaml'), loadProgram('vmware-partner-connect-fy22.yaml')];

const certArb: fc.Arbitrary<PersonCertification> = fc.record({
  personId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'),
  kind: fc.constantFrom(...CERTIFICATION_KINDS),
  family: fc.constantFrom(...PRODUCT_FAMILIES),
  earnedOn: fc.constantFrom('2016-01-01', '2017-06-01', '2018-01-01'),
  expiresOn: fc.constantFrom('2017-06-01', '2018-06-01', '2019-06-01'),
});
// Up to USD 60M per family, with a bias to the thresholds' range.
const amountArb = fc.oneof(
  fc.integer({ min: 0, max: 6_000_000_000 }),
  fc.integer({ min: 0, max: 300_000_000 }),
);
const inputArb = fc.record({
  country: fc.constantFrom('GB', 'FR', 'IT', 'US', 'JP', 'BR', 'ZA'),
  exclusive: fc.boolean(),
  revenue: fc.array(amountArb, { minLength: 6, maxLength: 6 }),
  certs: fc.array(certArb, { maxLength: 40 }),
  slices: fc.array(
    fc.record({
      family: fc.constant('software' as const),
      share: fc.integer({ min: 0, max: 100 }),
      licensing: fc.constantFrom(
        'perpetual' as const,
        'term' as const,
        'subscription' as const,
        'saas' as const,
      ),
      newBusiness: fc.boolean(),
    }),
    { maxLength: 2 },
  ),
});
type Input = typeof inputArb extends fc.Arbitrary<infer T> ? T : never;

function factsOf(input: Input): PartnerTierFacts {
  // Slices split part of the software revenue (each a share of what is left).
  let left = input.revenue[5] ?? 0;
  const slices = input.slices.map((s) => {
    const amountMinor = Math.floor((left * s.share) / 100);
    left -= amountMinor;
    return { family: s.family, amountMinor, licensing: s.licensing, newBusiness: s.newBusiness };
  });
  return {
    partnerId: 'p',
    country: input.country,
    kind: 'reseller',
    exclusive: input.exclusive,
    revenueByFamily: input.revenue,
    revenueSlices: slices,
    certifications: deriveCertificationFacts(input.certs, AS_OF),
  };
}

describe.each(programs.map((p) => [p.code, p] as const))('tier properties: %s', (_code, program) => {
  const ev = compileTierEvaluator(program);

  it('more revenue never lowers the tier', () => {
    fc.assert(
      fc.property(inputArb, fc.nat({ max: 5 }), amountArb, (input, family, extra) => {
        const before = ev.qualify(factsOf(input)).rank;
        const more = input.revenue.map((v, i) => (i === family ? v + extra : v));
        const after = ev.qualify(factsOf({ ...input, revenue: more })).rank;
        expect(after).toBeGreaterThanOrEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it('adding a certification never lowers the tier', () => {
    fc.assert(
      fc.property(inputArb, certArb, (input, cert) => {
        const before = ev.qualify(factsOf(input)).rank;
        const after = ev.qualify(factsOf({ ...input, certs: [...input.certs, cert] })).rank;
        expect(after).toBeGreaterThanOrEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic and agrees between qualify, evaluate and a fresh compile', () => {
    const fresh = compileTierEvaluator(program);
    fc.assert(
      fc.property(inputArb, (input) => {
        const facts = factsOf(input);
        const a = ev.evaluate(facts, AS_OF);
        expect(ev.evaluate(facts, AS_OF)).toEqual(a);
        expect(fresh.evaluate(facts, AS_OF)).toEqual(a);
        expect(ev.qualify(facts).rank).toBe(a.rank);
        // The winning path really is met, and no higher tier is.
        const won = a.tiers.find((t) => t.rank === a.rank);
        if (a.qualifiedBy) expect(won?.paths[a.qualifiedBy.path]?.met).toBe(true);
        for (const t of a.tiers) if (t.rank > a.rank) expect(t.met).toBe(false);
        // Every path's met is the conjunction of its checks.
        for (const t of a.tiers) for (const p of t.paths) expect(p.met).toBe(p.checks.every((c) => c.met));
      }),
      { numRuns: 200 },
    );
  });
});
