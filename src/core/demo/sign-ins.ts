import type { Role } from '../model/people.js';
import { FIXED_PARTNERS } from './partners.js';
import type { DemoWorld } from './types.js';

export interface DemoSignIn {
  email: string;
  role: Role;
  vendorSlug?: string;
  partnerName?: string;
}

/**
 * The demo sign-ins worth listing in a README: per vendor its admin, channel managers and auditor
 * (admin@dell.demo, channel.emea@dell.demo, ...), then the first two partners' admin and sales rep
 * (admin@northwind.demo, sales@northwind.demo, admin@bluepeak.demo, ...) and the first distributor's
 * people (admin@meridian.demo, orders@meridian.demo). The same for every seed and scale.
 */
export function demoSignIns(world: DemoWorld): DemoSignIn[] {
  const people = world.people();
  const grants = world.roleGrants();
  const partners = world.partners();
  const slugOf = new Map(world.options.vendors.map((v) => [v.id, v.slug]));
  const out: DemoSignIn[] = [];
  const personById = new Map(people.map((p) => [p.id, p]));
  const wanted = (email: string): boolean => {
    const [local, domain] = email.split('@') as [string, string];
    if (world.options.vendors.some((v) => domain === `${v.slug}.demo`)) return true;
    return FIXED_PARTNERS.some((f) => f.domain === domain) && /^(admin|sales|orders)$/.test(local);
  };
  const seen = new Set<string>();
  for (const grant of grants) {
    const person = personById.get(grant.personId);
    if (person === undefined || !wanted(person.email) || seen.has(person.email)) continue;
    seen.add(person.email);
    // The most telling role of the person: 'distributor' over 'partner-admin' for a distributor's staff.
    const roles = grants.filter((g) => g.personId === person.id).map((g) => g.role);
    const role = roles.includes('distributor') ? 'distributor' : grant.role;
    const entry: DemoSignIn = { email: person.email, role };
    const slug = grant.vendorId === null ? undefined : slugOf.get(grant.vendorId);
    if (slug !== undefined) entry.vendorSlug = slug;
    const partner = grant.partnerId === null ? undefined : partners.find((p) => p.id === grant.partnerId);
    if (partner !== undefined) entry.partnerName = partner.name;
    out.push(entry);
  }
  return out;
}
