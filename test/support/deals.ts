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
