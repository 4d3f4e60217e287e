import type { Kysely } from 'kysely';
import type { AppContext } from '../../src/app/context.js';
import type { Database } from '../../src/db/schema.js';

/** Every pair of records of one partner's tier (or one status) in a program that share a day. */
export async function overlappingMemberships(
  ctx: AppContext,
  statusCodes: readonly string[] = ['titanium-black'],
) {
  const rows = await ctx.store.db
    .selectFrom('memberships')
    .select(['id', 'programId', 'partnerId', 'tierCode', 'validFrom', 'validTo'])
    .execute();
  const live = rows.filter((r) => r.validTo === null || r.validFrom < r.validTo);
  const slot = (r: (typeof rows)[number]) =>
    `${r.programId}/${r.partnerId}/${statusCodes.includes(r.tierCode) ? r.tierCode : 'tier'}`;
  const pairs: string[] = [];
  for (const a of live)
    for (const b of live)
      if (
        a.id < b.id &&
        slot(a) === slot(b) &&
        (b.validTo === null || a.validFrom < b.validTo) &&
        (a.validTo === null || b.validFrom < a.validTo)
      )
        pairs.push(`${a.tierCode} ${a.validFrom}..${a.validTo} / ${b.tierCode} ${b.validFrom}..${b.validTo}`);
  return pairs;
}

/** A tier record of the fixture's Dell program, as an administrator enters one by hand. */
export function addMembership(
  db: Kysely<Database>,
  program: { vendorId: string; programId: string },
  id: string,
  partnerId: string,
  tier: string,
  from: string,
  to: string | null,
) {
  return db
    .insertInto('memberships')
    .values({
      id,
      vendorId: program.vendorId,
      programId: program.programId,
      partnerId,
      tierCode: tier,
      validFrom: from,
      validTo: to,
      source: 'manual',
      reason: 'test',
      createdAt: '2017-02-01T00:00:00.000Z',
      grandfatheredUntil: null,
      sponsor: null,
      detail: '{}',
    })
    .execute();
}
