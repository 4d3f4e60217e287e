import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../../src/app/context.js';
import { assessConflicts } from '../../src/app/deals/deals.js';
import { publishDocument } from '../../src/app/programs/publish-document.js';
import { programInForce } from '../../src/app/programs/program-in-force.js';
import { openAppStore } from '../../src/app/store.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import type { IndexEntry } from '../../src/core/matching/index.js';
import { regionOf } from '../../src/core/model/geography.js';
import type { Party } from './generator.js';

const PROGRAM_FILE = join(import.meta.dirname, '..', '..', 'programs', 'dell-emc-fy18.yaml');

/**
 * The conflict check as the product runs it: a SQLite store (a temporary file) holding the Dell program
 * and N active registrations of one partner, and for each submission of another partner the use case a
 * submission and the live hint call (`assessConflicts`, src/app/deals/deals.ts): the vendor's in-memory
 * index brought up to date from the store, searched, and the candidates' states read back from the store.
 * `build_s` is the first check, which builds the index from the store.
 */
export async function useCaseCheck(
  registrations: readonly IndexEntry[],
  log: (line: string) => void,
): Promise<{
  check: (party: Party) => Promise<string[]>;
  buildS: number;
  loadS: number;
  close: () => Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-bench-dealcheck-'));
  const store = await openAppStore({ kind: 'sqlite', file: join(dir, 'trellis.db') });
  const ctx = createContext(store);
  const l0 = performance.now();
  const published = await publishDocument(store.db, ctx, readFileSync(PROGRAM_FILE, 'utf8'), PROGRAM_FILE);
  if (published.kind !== 'program') throw new Error('the Dell program file did not publish as a program');
  const { vendorId, programId } = published;
  const now = new Date().toISOString();
  for (const [id, name] of [
    ['ptn_benchholder', 'Bench Holder Ltd'],
    ['ptn_benchsubmitter', 'Bench Submitter Ltd'],
  ] as const)
    await store.db
      .insertInto('partners')
      .values({ id, name, kind: 'reseller', country: 'GB', region: 'emea', domain: null, createdAt: now })
      .execute();
  const db = store.sqlite;
  if (!db) throw new Error('the dealcheck bench needs a SQLite store');
  const insert = db.prepare(
    `insert into deal_registrations (id, vendor_id, program_id, partner_id, status, customer_name, customer_domain,
       customer_address_line, customer_city, customer_postal_code, customer_country, customer_region, customer_segment,
       claim_key, currency, total_minor, expected_close_date, description, submitted_at, review_due_at, sequence,
       created_at, updated_at)
     values (?, ?, ?, 'ptn_benchholder', 'submitted', ?, ?, ?, ?, ?, ?, ?, 'commercial', ?, 'USD', 2500000, '2099-12-31',
       'bench', ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    registrations.forEach((r, i) => {
      const p = r.party;
      const country = p.country ?? 'GB';
      insert.run(
        r.id,
        vendorId,
        programId,
        p.name,
        p.domain ?? null,
        p.addressLine ?? null,
        p.city ?? null,
        p.postalCode ?? null,
        country,
        regionOf(country) ?? '',
        r.id,
        now,
        now,
        i + 1,
        now,
        now,
      );
    });
  })();
  db.exec(`insert into deal_sequences (vendor_id, sequence) values ('${vendorId}', ${registrations.length})`);
  const loadS = (performance.now() - l0) / 1000;
  log(`stored ${registrations.length} registrations in ${loadS.toFixed(1)} s`);
  const program = await programInForce(ctx, SYSTEM_SCOPE, programId, undefined);
  const check = async (party: Party) => {
    const country = party.country ?? 'GB';
    const found = await assessConflicts(ctx, store.db, program, {
      partnerId: 'ptn_benchsubmitter',
      region: regionOf(country) ?? '',
      families: null,
      party: { ...party, name: party.name },
    });
    return found.relevant.filter((c) => c.kind === 'registration').map((c) => c.id);
  };
  const b0 = performance.now();
  await check({ name: 'Warm-up Probe Holdings', country: 'GB' });
  const buildS = (performance.now() - b0) / 1000;
  return {
    check,
    buildS,
    loadS,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
