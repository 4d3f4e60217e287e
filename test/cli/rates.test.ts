import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { openAppStore } from '../../src/app/store.js';
import { trellis } from '../support/cli.js';
import { loadFixture } from '../support/fixtures.js';

/** `trellis rates import | list | convert` on a store with two vendors (the fixture's dell and vmware). */
describe('trellis rates', () => {
  let dir: string;
  let env: Record<string, string>;

  async function storedRates() {
    const store = await openAppStore({ kind: 'sqlite', file: join(dir, 'trellis.db') }, { migrate: false });
    try {
      return await store.db
        .selectFrom('exchangeRates')
        .innerJoin('vendors', 'vendors.id', 'exchangeRates.vendorId')
        .select(['vendors.slug', 'base', 'quote', 'day', 'rate', 'source', 'loadedBy'])
        .orderBy('day')
        .orderBy('quote')
        .execute();
    } finally {
      await store.close();
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trellis-rates-'));
    const store = await openAppStore({ kind: 'sqlite', file: join(dir, 'trellis.db') });
    try {
      await loadFixture(createContext(store));
    } finally {
      await store.close();
    }
    env = { TRELLIS_DATA_DIR: dir };
  }, 60_000);

  it('imports a central bank table with --base, reports counts, and importing it again changes nothing', () => {
    const file = join(dir, 'eurofxref.csv');
    writeFileSync(file, 'Date,USD,GBP,CYP,\n2026-03-03,1.0698,0.8571,N/A,\n2026-03-02,1.0712,0.8563,N/A,\n');
    const first = trellis(['rates', 'import', file, '--base', 'EUR', '--vendor', 'dell'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/4 rates read \(a table against EUR\)/);
    expect(first.stdout).toMatch(/added\s+4\n\s+unchanged\s+0\n\s+replaced\s+0/);
    expect(first.stdout).toMatch(/columns not read: CYP/);
    const again = trellis(['rates', 'import', file, '--base', 'EUR', '--vendor', 'dell', '--json'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, unchanged: 4, replaced: 0 });
  });

  it('refuses a bad file as file:line:column: message, writing nothing', async () => {
    const before = await storedRates();
    const file = join(dir, 'bad.csv');
    writeFileSync(
      file,
      'base,quote,day,rate\nEUR,USD,2026-04-01,0\nEUR,XYZ,2026-04-01,1.1\nEUR,GBP,2026-04-01,0.85\nEUR,GBP,2026-04-01,0.86\n',
    );
    const res = trellis(['rates', 'import', file, '--vendor', 'dell'], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`${file}:2:rate: "0" is not a rate: a rate must be greater than zero`);
    expect(res.stderr).toContain(`${file}:3:quote: unknown currency "XYZ"`);
    expect(res.stderr).toContain(`${file}:5:day: a second EUR/GBP rate for 2026-04-01`);
    expect(res.stderr).toMatch(/bad\.csv was not imported: 3 problems; nothing was written/);
    expect(await storedRates()).toEqual(before);
  });

  it('refuses a differing rate unless --replace; a vendor must be named when the store has several', async () => {
    const file = join(dir, 'fix.csv');
    writeFileSync(file, 'base,quote,day,rate\nEUR,USD,2026-03-02,1.0750\n');
    const noVendor = trellis(['rates', 'import', file], env);
    expect(noVendor.code).toBe(1);
    expect(noVendor.stderr).toMatch(/--vendor <slug>/);
    const refused = trellis(['rates', 'import', file, '--vendor', 'dell'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `${file}:2:rate: EUR/USD is already loaded as 1.0712 on 2026-03-02; pass replace to correct it`,
    );
    const replaced = trellis(['rates', 'import', file, '--vendor', 'dell', '--replace'], env);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toContain('replaced EUR/USD 2026-03-02: 1.0712 -> 1.075');
    const rows = await storedRates();
    expect(rows.find((r) => r.day === '2026-03-02' && r.quote === 'USD')).toMatchObject({
      slug: 'dell',
      rate: '1.075',
      source: 'fix.csv',
      loadedBy: 'system:cli',
    });
  });

  it('shows its progress on a large file (a line per phase and every tenth when not on a terminal)', () => {
    const file = join(dir, 'large.csv');
    const rows = ['base,quote,day,rate'];
    const start = Date.parse('1990-01-01T00:00:00Z');
    for (let d = 0; d < 9_000; d++) {
      const day = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
      for (const q of ['USD', 'GBP', 'JPY', 'CHF', 'SEK'])
        rows.push(`EUR,${q},${day},1.${1000 + (d % 8000)}`);
    }
    writeFileSync(file, `${rows.join('\n')}\n`);
    const res = trellis(['rates', 'import', file, '--vendor', 'vmware', '--json'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ rates: 45_000, added: 45_000 });
    expect(res.stderr).toMatch(/^reading \(bytes\): 0\/\d+$/m);
    expect(res.stderr).toMatch(/^writing: 0\/45000$/m);
    expect(res.stderr).toMatch(/^writing: 45000\/45000 \(100%/m);
  });

  it('lists and converts (direct, inverse, cross), and refuses a day without a rate', () => {
    const list = trellis(['rates', 'list', '--vendor', 'dell', '--quote', 'GBP'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.trim().split('\n')).toEqual([
      'day         pair      rate            source',
      '2026-03-02  EUR/GBP   0.8563          eurofxref.csv',
      '2026-03-03  EUR/GBP   0.8571          eurofxref.csv',
    ]);
    const json = trellis(['rates', 'list', '--vendor', 'dell', '--from', '2026-03-03', '--json'], env);
    expect(
      json.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { quote: string }).quote),
    ).toEqual(['GBP', 'USD']);
    const cross = trellis(
      [
        'rates',
        'convert',
        '1000000',
        '--from',
        'GBP',
        '--to',
        'USD',
        '--day',
        '2026-03-03',
        '--vendor',
        'dell',
      ],
      env,
    );
    expect(cross.code, cross.stderr).toBe(0);
    // 1.0698 / 0.8571 = 1.24816240812... rounded to 10 decimals: 1.2481624081.
    expect(cross.stdout).toContain('GBP 10,000.00 at 1.2481624081 = USD 12,481.62');
    expect(cross.stdout).toContain('a cross through EUR, of 2026-03-03');
    const missing = trellis(
      ['rates', 'convert', '100', '--from', 'EUR', '--to', 'USD', '--day', '2026-03-08', '--vendor', 'dell'],
      env,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no EUR\/USD rate on 2026-03-08/);
    const other = trellis(['rates', 'list', '--vendor', 'vmware', '--to', '1989-12-31'], env);
    expect(other.stdout.trim().split('\n')).toHaveLength(1);
    const vmware = trellis(['rates', 'list', '--vendor', 'vmware', '--quote', 'GBP', '--limit', '2'], env);
    expect(vmware.stdout).not.toContain('eurofxref.csv');
    expect(vmware.stdout.trim().split('\n')).toHaveLength(3);
  });
});
