import type { ProductFamily } from '../model/catalog.js';
import { PRODUCT_FAMILIES } from '../model/catalog.js';
import type { CertificationKind } from '../model/people.js';
import { CERTIFICATION_KINDS } from '../model/people.js';
import type { IsoDate } from '../programs/types.js';
import type { CertificationFacts, PersonCertification } from './types.js';

const FAMILY_SLOTS = PRODUCT_FAMILIES.length + 1; // + any
const KIND_SLOTS = CERTIFICATION_KINDS.length + 1; // + any
export const CERTIFICATION_SLOTS = FAMILY_SLOTS * KIND_SLOTS;
const ANY_FAMILY = PRODUCT_FAMILIES.length;
const ANY_KIND = CERTIFICATION_KINDS.length;

const FAMILY_INDEX = new Map<string, number>(PRODUCT_FAMILIES.map((f, i) => [f, i]));
const KIND_INDEX = new Map<string, number>(CERTIFICATION_KINDS.map((k, i) => [k, i]));

/** The slot of a (kind, family) pair in CertificationCounts; null = any. */
export function certificationIndex(kind: CertificationKind | null, family: ProductFamily | null): number {
  const k = kind === null ? ANY_KIND : (KIND_INDEX.get(kind) ?? ANY_KIND);
  const f = family === null ? ANY_FAMILY : (FAMILY_INDEX.get(family) ?? ANY_FAMILY);
  return k * FAMILY_SLOTS + f;
}

/** No certifications at all. */
export function noCertifications(): CertificationFacts {
  return {
    people: new Array<number>(CERTIFICATION_SLOTS).fill(0),
    company: new Array<number>(CERTIFICATION_SLOTS).fill(0),
  };
}

/**
 * Turns people's certifications into the counts the engine compares.
 *
 * - A certification is active on asOf when earnedOn <= asOf < expiresOn.
 * - certifiedPeople(kind, family) = distinct people holding at least one active certification matching
 *   the kind and family (null = any).
 * - companyCertifications(kind, family) = distinct (kind, family) pairs the company holds, a pair being
 *   held when at least one person holds an active certification of that kind in that family. So
 *   "companyCertifications: 2" asks for two different certifications (e.g. storage sales and storage
 *   technical, or storage technical and servers technical), however many people hold them.
 * - A family outside PRODUCT_FAMILIES counts only toward "any family".
 */
export function deriveCertificationFacts(
  certifications: readonly PersonCertification[],
  asOf: IsoDate,
): CertificationFacts {
  const people = new Array<number>(CERTIFICATION_SLOTS).fill(0);
  const company = new Array<number>(CERTIFICATION_SLOTS).fill(0);
  // Per person: the slots already counted for them (a person counts once per slot).
  const seenPerson = new Map<string, Set<number>>();
  // Distinct (kind, family) pairs held, family as written (an unknown family is still a distinct pair).
  const pairs = new Set<string>();
  for (const c of certifications) {
    if (!(c.earnedOn <= asOf && asOf < c.expiresOn)) continue;
    const k = KIND_INDEX.get(c.kind);
    if (k === undefined) continue;
    const f = FAMILY_INDEX.get(c.family);
    let seen = seenPerson.get(c.personId);
    if (!seen) {
      seen = new Set();
      seenPerson.set(c.personId, seen);
    }
    const slots =
      f === undefined
        ? [k * FAMILY_SLOTS + ANY_FAMILY, ANY_KIND * FAMILY_SLOTS + ANY_FAMILY]
        : [
            k * FAMILY_SLOTS + f,
            k * FAMILY_SLOTS + ANY_FAMILY,
            ANY_KIND * FAMILY_SLOTS + f,
            ANY_KIND * FAMILY_SLOTS + ANY_FAMILY,
          ];
    for (const s of slots) {
      if (seen.has(s)) continue;
      seen.add(s);
      people[s] = (people[s] ?? 0) + 1;
    }
    const pair = `${c.kind}\u0000${c.family}`;
    if (!pairs.has(pair)) {
      pairs.add(pair);
      for (const s of slots) company[s] = (company[s] ?? 0) + 1;
    }
  }
  return { people, company };
}
