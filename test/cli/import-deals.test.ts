import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDeal } from '../../src/app/deals/deals.js';
import { openAppStore } from '../../src/app/store.js';
import { actingAs } from '../../src/app/access/acting-as.js';
import { trellis } from '../support/cli.js';
import { daysFromNow, dealDataDir, PROGRAM, registrationOf } from '../support/cli-deals.js';

const HEADER =
  'external_ref,program,customer_name,customer_domain,customer_country,customer_segment,currency,expected_close_date,description,family,amount,quantity';

/** Charlie's registrations in the store, by reference, with their lines. */
async function charlieDeals(dir: string) {
  const store = await openAppStore({ kind: 'sqlite', file: join(dir, 'trellis.db') }, { migrate: false });
  try {
    const rows = await store.db
      .selectFrom('dealRegistrations')
      .select(['id', 'externalRef', 'status', 'totalMinor', 'reasonCode'])
      .where('partnerId', '=', 'ptn_charlie')
      .orderBy('externalRef')
      .execute();
    return rows.map((r) => ({ ...r, totalMinor: Number(r.totalMinor) }));
  } finally {
    await store.close();
  }
}

describe('trellis import deals', () => {
  let dir: string;
  let env: Record<string, string>;
  const close = daysFromNow(200);
  const row = (cells: (string | number)[]) => cells.join(',');

  beforeAll(async () => {
    ({ dir, env } = await dealDataDir(async ({ ctx }) => {
      // Alpha registered Müller Maschinenbau first.
      const alpha = await actingAs(ctx, 'admin@alpha.test', { resource: 'deal', action: 'write' }, 'x');
      const r = await createDeal(
        ctx,
        alpha,
        registrationOf('Müller Maschinenbau GmbH', 'DE', {
          customer: {
            name: 'Müller Maschinenbau GmbH',
            country: 'DE',
            segment: 'commercial',
            domain: 'mueller-maschinenbau.de',
          },
        }),
      );
      expect(r.outcome).toBe('submitted');
    }));
  }, 60_000);

  it('registers and submits a good file in file order (a variant of a registered customer is a conflict); a re-import changes nothing', async () => {
    const good = join(dir, 'crm.csv');
    writeFileSync(
      good,
      [
        HEADER,
        // Two product-family lines of one registration; the second row leaves the registration's columns empty.
        row([
          'OPP-1',
          PROGRAM,
          'Globex Maschinen GmbH',
          'globex.example',
          'DE',
          'commercial',
          'USD',
          close,
          'Storage and servers',
          'storage',
          '25000.00',
          '',
        ]),
        row(['OPP-1', '', '', '', '', '', '', '', '', 'servers', '15000.50', '4']),
        row([
          'OPP-2',
          PROGRAM,
          '"Initech, S.A.R.L."',
          '',
          'FR',
          'commercial',
          'USD',
          close,
          'Server refresh',
          'servers',
          '12000',
          '',
        ]),
        row([
          'OPP-3',
          PROGRAM,
          'MUELLER MASCHINENBAU',
          'mueller-maschinenbau.de',
          'DE',
          'commercial',
          'USD',
          close,
          'Competing storage quote',
          'storage',
          '99000',
          '',
        ]),
        '',
      ].join('\n'),
    );

    const dry = trellis(['import', 'deals', good, '--partner', 'ptn_charlie', '--submit', '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(
      '(dry run: nothing was written): 3 would be registered (2 submitted, 1 conflict, 0 draft)',
    );
    expect(await charlieDeals(dir)).toEqual([]);

    const ok = trellis(['import', 'deals', good, '--partner', 'ptn_charlie', '--submit', '--json'], env);
    expect(ok.code, ok.stderr).toBe(0);
    const summary = JSON.parse(ok.stdout) as { items: Record<string, unknown>[] } & Record<string, unknown>;
    expect(summary).toMatchObject({
      rows: 4,
      registrations: 3,
      created: 3,
      submitted: 2,
      conflicts: 1,
      alreadyRegistered: 0,
    });
    expect(summary.items.map((i) => [i.line, i.externalRef, i.outcome, i.status, i.reasonCode])).toEqual([
      [2, 'OPP-1', 'submitted', 'submitted', null],
      [4, 'OPP-2', 'submitted', 'submitted', null],
      [5, 'OPP-3', 'conflict', 'rejected', 'duplicate-registration'],
    ]);
    // The conflict says only that an earlier registration covers the customer: nothing of Alpha's.
    expect(ok.stdout).not.toMatch(/alpha|Müller|4000000/i);
    const stored = await charlieDeals(dir);
    expect(stored.map((d) => [d.externalRef, d.status, d.totalMinor])).toEqual([
      ['OPP-1', 'submitted', 4_000_050],
      ['OPP-2', 'submitted', 1_200_000],
      ['OPP-3', 'rejected', 9_900_000],
    ]);

    const again = trellis(['import', 'deals', good, '--partner', 'ptn_charlie', '--submit'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/: 0 registered \(0 submitted, 0 conflict, 0 draft\), 3 already registered/);
    expect(await charlieDeals(dir)).toEqual(stored);
  }, 120_000);

  it('refuses a file with one bad cell, naming file:line:column, and registers nothing', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      [
        HEADER,
        row([
          'BAD-1',
          PROGRAM,
          'Contoso Pharma AG',
          '',
          'DE',
          'commercial',
          'USD',
          close,
          'Servers',
          'servers',
          '30000',
          '',
        ]),
        row([
          'BAD-2',
          PROGRAM,
          'Fourth Coffee Ltd',
          '',
          'GB',
          'smb',
          'USD',
          close,
          'Storage',
          'storage',
          '12000',
          '',
        ]),
        '',
      ].join('\n'),
    );
    const refused = trellis(['import', 'deals', bad, '--partner', 'ptn_charlie', '--submit'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `${bad}:3:6: expected one of enterprise, commercial, small-business, public-sector`,
    );
    expect(refused.stderr).toContain(`${bad}: 1 of 3 lines have problems; nothing was registered`);
    expect((await charlieDeals(dir)).some((d) => d.externalRef?.startsWith('BAD-'))).toBe(false);

    const checks = join(dir, 'checks.csv');
    writeFileSync(
      checks,
      [
        HEADER,
        row([
          'CHK-1',
          PROGRAM,
          'Woodgrove Labs GmbH',
          '',
          'DE',
          'commercial',
          'USD',
          close,
          'Storage',
          'storage',
          '12000',
          '',
        ]),
        row([
          'CHK-2',
          PROGRAM,
          'Tiny Shop Ltd',
          '',
          'GB',
          'commercial',
          'USD',
          close,
          'A small deal',
          'storage',
          '500.00',
          '',
        ]),
        row([
          'CHK-3',
          PROGRAM,
          'WOODGROVE LABS',
          '',
          'DE',
          'commercial',
          'USD',
          close,
          'Storage again',
          'storage',
          '15000',
          '',
        ]),
        row([
          'CHK-4',
          PROGRAM,
          'Proseware Inc',
          '',
          'XX',
          'enterprise',
          'USD',
          close,
          'Servers',
          'servers',
          '1.234',
          '',
        ]),
        '',
      ].join('\n'),
    );
    const many = trellis(['import', 'deals', checks, '--partner', 'ptn_charlie', '--submit'], env);
    expect(many.code).toBe(1);
    const lines = many.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^${checks}:3:11: .*minimum`)),
      `${checks}:4:3: your registration CHK-1 (line 2 of this file) covers this customer and these families`,
      `${checks}:5:5: "XX" is not a known ISO 3166 country code`,
      `${checks}:5:11: "1.234" has 3 decimals; this currency has 2`,
      `${checks}: 3 of 5 lines have problems; nothing was registered`,
    ]);
    expect((await charlieDeals(dir)).some((d) => d.externalRef?.startsWith('CHK-'))).toBe(false);
  }, 120_000);
});
