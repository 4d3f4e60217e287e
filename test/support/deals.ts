import { hashPassword } from '../../src/app/access/secrets.js';
import type { AppContext } from '../../src/app/context.js';
import { FIXTURE_PASSWORD } from './fixtures.js';

let hash: Promise<string> | undefined;

/**
 * Adds reseller partners enrolled in a program, each with a partner admin `admin@<id>.test` (fixture
 * password), for tests that need several partners of one zone.
 */
export async function addResellers(
  ctx: AppContext,
  program: { vendorId: string; programId: string },
  partners: { id: string; name: string; country: string; region: string }[],
): Promise<void> {
  hash ??= hashPassword(FIXTURE_PASSWORD);
  const pw = await hash;
  const now = new Date('2017-01-01T00:00:00Z').toISOString();
  const db = ctx.store.db;
  for (const p of partners) {
    const key = p.id.replace(/^ptn_/, '');
    await db
      .insertInto('partners')
      .values({
        id: p.id,
        name: p.name,
        kind: 'reseller',
        country: p.country,
        region: p.region,
        domain: null,
        createdAt: now,
      })
      .execute();
    await db
      .insertInto('enrolments')
      .values({
        id: `enr_${key}`,
        vendorId: program.vendorId,
        programId: program.programId,
        partnerId: p.id,
        partnerNumber: `T-${key}`,
        status: 'active',
        exclusive: 0,
        enrolledAt: now,
      })
      .execute();
    await db
      .insertInto('people')
      .values({
        id: `per_${key}`,
        email: `admin@${key}.test`,
        name: `admin ${key}`,
        vendorId: null,
        partnerId: p.id,
        createdAt: now,
      } as never)
      .execute();
    await db
      .insertInto('roleGrants')
      .values({
        id: `rgr_${key}`,
        personId: `per_${key}`,
        role: 'partner-admin',
        vendorId: null,
        partnerId: p.id,
        regions: '[]',
      } as never)
      .execute();
    await db
      .insertInto('credentials')
      .values({ personId: `per_${key}`, passwordHash: pw, updatedAt: now })
      .execute();
  }
}

/** A reseller made by `addResellersInBulk`: its partner admin acts for it. */
export interface BulkReseller {
  partnerId: string;
  personId: string;
  email: string;
}

/**
 * Adds `count` reseller partners of one zone enrolled in a program, in a few multi-row inserts (for tests
 * that need hundreds of partners), each with a partner admin `admin@<prefix><n>.test`; `credentials`
 * also gives them the fixture password so they can sign in.
 */
export async function addResellersInBulk(
  ctx: AppContext,
  program: { vendorId: string; programId: string },
  options: {
    count: number;
    prefix: string;
    countries: { country: string; region: string }[];
    credentials?: boolean;
  },
): Promise<BulkReseller[]> {
  const now = new Date('2017-01-01T00:00:00Z').toISOString();
  const pw = options.credentials ? await (hash ??= hashPassword(FIXTURE_PASSWORD)) : null;
  const all = Array.from({ length: options.count }, (_, i) => {
    const key = `${options.prefix}${String(i).padStart(4, '0')}`;
    const where = options.countries[i % options.countries.length]!;
    return { key, ...where };
  });
  const db = ctx.store.db;
  const CHUNK = 250;
  for (let at = 0; at < all.length; at += CHUNK) {
    const chunk = all.slice(at, at + CHUNK);
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('partners')
        .values(
          chunk.map((p) => ({
            id: `ptn_${p.key}`,
            name: `Reseller ${p.key}`,
            kind: 'reseller',
            country: p.country,
            region: p.region,
            domain: null,
            createdAt: now,
          })),
        )
        .execute();
      await trx
        .insertInto('enrolments')
        .values(
          chunk.map((p) => ({
            id: `enr_${p.key}`,
            vendorId: program.vendorId,
            programId: program.programId,
            partnerId: `ptn_${p.key}`,
            partnerNumber: `B-${p.key}`,
            status: 'active',
            exclusive: 0,
            enrolledAt: now,
          })),
        )
        .execute();
      await trx
        .insertInto('people')
        .values(
          chunk.map(
            (p) =>
              ({
                id: `per_${p.key}`,
                email: `admin@${p.key}.test`,
                name: `admin ${p.key}`,
                vendorId: null,
                partnerId: `ptn_${p.key}`,
                createdAt: now,
              }) as never,
          ),
        )
        .execute();
      await trx
        .insertInto('roleGrants')
        .values(
          chunk.map(
            (p) =>
              ({
                id: `rgr_${p.key}`,
                personId: `per_${p.key}`,
                role: 'partner-admin',
                vendorId: null,
                partnerId: `ptn_${p.key}`,
                regions: '[]',
              }) as never,
          ),
        )
        .execute();
      if (pw)
        await trx
          .insertInto('credentials')
          .values(chunk.map((p) => ({ personId: `per_${p.key}`, passwordHash: pw, updatedAt: now })))
          .execute();
    });
  }
  return all.map((p) => ({
    partnerId: `ptn_${p.key}`,
    personId: `per_${p.key}`,
    email: `admin@${p.key}.test`,
  }));
}
