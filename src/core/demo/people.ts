import type { ProductFamily } from '../model/catalog.js';
import type { Partner } from '../model/partners.js';
import type { Certification, CertificationKind, Person, Role, RoleGrant } from '../model/people.js';
import type { IdGenerator } from '../shared/ids.js';
import { addDays } from './calendar.js';
import { emailLocalPart, personName } from './names.js';
import type { PartnerWorld } from './partners.js';
import { FIXED_PARTNERS, KIND_DISTRIBUTOR, vendorCode } from './partners.js';
import { FAMILY_PROFILES } from './products.js';
import { streamFor } from './random-tools.js';
import type { DemoVendorInput } from './types.js';

/** The vendor staff every world has, with their fixed e-mail local parts. */
export const VENDOR_STAFF = [
  { local: 'admin', role: 'vendor-admin', regions: [] },
  { local: 'channel.emea', role: 'channel-manager', regions: ['emea'] },
  { local: 'channel.na', role: 'channel-manager', regions: ['na'] },
  { local: 'auditor', role: 'auditor', regions: [] },
] as const satisfies readonly { local: string; role: Role; regions: readonly string[] }[];

/** The domain of a vendor's staff: "dell.demo". */
export function vendorDomain(vendor: DemoVendorInput): string {
  return `${vendor.slug}.demo`;
}

export interface PeopleWorld {
  people: Person[];
  roleGrants: RoleGrant[];
  certifications: Certification[];
}

const KIND_CODE: Readonly<Record<CertificationKind, string>> = {
  sales: 'SLS',
  technical: 'TEC',
  services: 'SVC',
};

export function generatePeople(args: {
  seed: number;
  vendors: readonly DemoVendorInput[];
  partners: PartnerWorld;
  createdAt: Date;
  /** Certifications are dated relative to this day: earned within the two years before, a few expired. */
  /** "Now": the latest certifications are earned in the two years before it. */
  referenceDate: string;
  /** The world's first day: certifications are renewed back to the vendor's first day of sales. */
  historyFrom: string;
  ids: IdGenerator;
}): PeopleWorld {
  const { vendors, partners: pw, ids } = args;
  const rng = streamFor(args.seed, 'people');
  const people: Person[] = [];
  const roleGrants: RoleGrant[] = [];
  const certifications: Certification[] = [];
  const emails = new Set<string>();
  const createdAtMs = args.createdAt.getTime();

  const addPerson = (
    local: string,
    domain: string,
    vendorId: string | null,
    partnerId: string | null,
  ): Person => {
    let email = `${local}@${domain}`;
    for (let n = 2; emails.has(email); n++) email = `${local}${n}@${domain}`;
    emails.add(email);
    const { first, last } = personName(rng);
    const person: Person = {
      id: ids.next('person'),
      email,
      name: `${first} ${last}`,
      vendorId,
      partnerId,
      createdAt: new Date(createdAtMs),
    };
    people.push(person);
    return person;
  };

  for (const vendor of vendors) {
    for (const staff of VENDOR_STAFF) {
      const person = addPerson(staff.local, vendorDomain(vendor), vendor.id, null);
      roleGrants.push({
        personId: person.id,
        role: staff.role,
        vendorId: vendor.id,
        partnerId: null,
        regions: [...staff.regions],
      });
    }
  }

  for (let p = 0; p < pw.P; p++) {
    const partner = pw.partners[p] as Partner;
    const pct = pw.percentile[p] as number;
    const distributor = pw.kind[p] === KIND_DISTRIBUTOR;
    const count =
      p < FIXED_PARTNERS.length ? 5 : Math.max(1, Math.min(5, Math.floor(1 + pct * 3.2 + rng.next())));
    const domain = partner.domain ?? `${partner.id}.demo`;
    for (let j = 0; j < count; j++) {
      // The fixed partners' first two people have predictable addresses for the README's sign-ins.
      let local: string;
      const fixed = p < FIXED_PARTNERS.length;
      if (fixed && j === 0) local = 'admin';
      else if (fixed && j === 1) local = distributor ? 'orders' : 'sales';
      else {
        const { first, last } = personName(rng);
        local = emailLocalPart(first, last);
      }
      const person = addPerson(local, domain, null, partner.id);
      const roles: Role[] = [];
      if (distributor) roles.push('distributor');
      if (j === 0) roles.push('partner-admin');
      else if (!distributor) roles.push('partner-sales-rep');
      for (const role of roles) {
        roleGrants.push({ personId: person.id, role, vendorId: null, partnerId: partner.id, regions: [] });
      }
      if (distributor) continue;

      // Certifications with each vendor the partner is enrolled with; larger partners hold more.
      for (let v = 0; v < vendors.length; v++) {
        if (pw.enrolled[v * pw.P + p] !== 1) continue;
        const vendor = vendors[v] as DemoVendorInput;
        const families = [...new Set(vendor.families)];
        const expected = 0.3 + 1.6 * pct;
        const n = Math.floor(expected + rng.next());
        const seen = new Set<string>();
        for (let c = 0; c < n; c++) {
          const family = pickFamily(families, rng.next());
          const kind: CertificationKind =
            family === 'services' && rng.chance(0.5) ? 'services' : rng.chance(0.5) ? 'sales' : 'technical';
          const key = `${family}/${kind}`;
          if (seen.has(key)) continue;
          seen.add(key);
          // Most earned in the last two years; ~8% earlier, hence already expired. Each was renewed every
          // two years before, back to the vendor's first day, so tiers evaluated in past years find theirs.
          const ago = rng.chance(0.08) ? rng.int(731, 900) : rng.int(0, 729);
          const code = `${vendorCode(vendor.slug)}-${FAMILY_PROFILES[family].code}-${KIND_CODE[kind]}`;
          const since = vendor.sellsFrom ?? args.historyFrom;
          for (
            let earnedOn = addDays(args.referenceDate, -ago);
            addDays(earnedOn, 730) >= since;
            earnedOn = addDays(earnedOn, -rng.int(640, 730))
          ) {
            certifications.push({
              id: ids.next('certification'),
              vendorId: vendor.id,
              partnerId: partner.id,
              personId: person.id,
              code,
              kind,
              family,
              earnedOn,
              expiresOn: addDays(earnedOn, 730),
            });
          }
        }
      }
    }
  }
  return { people, roleGrants, certifications };
}

function pickFamily(families: readonly ProductFamily[], u: number): ProductFamily {
  let total = 0;
  for (const f of families) total += FAMILY_PROFILES[f].share;
  let target = u * total;
  for (const f of families) {
    target -= FAMILY_PROFILES[f].share;
    if (target < 0) return f;
  }
  return families[families.length - 1] as ProductFamily;
}
