import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trellis } from '../support/cli.js';

describe('trellis import certifications', () => {
  it('imports a good file with a summary, and refuses a bad one with file:line:column, writing nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-cli-'));
    const env = { TRELLIS_DATA_DIR: dir };
    const demo = trellis(['demo', '--scale', 'small', '--seed', '7'], env);
    expect(demo.code, demo.stderr).toBe(0);
    const header = 'email,person_id,code,kind,family,earned_on,expires_on';

    const good = join(dir, 'good.csv');
    writeFileSync(
      good,
      [
        header,
        'admin@northwind.demo,,TEST-STOR-TEC,technical,storage,2017-03-01,2019-03-01',
        'sales@northwind.demo,,TEST-SRV-SLS,sales,servers,2016-01-01,2017-12-01',
        '',
      ].join('\n'),
    );
    const ok = trellis(['import', 'certifications', good, '--vendor', 'dell', '--as-of', '2017-11-01'], env);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      /good\.csv: recorded 2 certifications granted by Dell Technologies to 2 people of 1 partner/,
    );
    expect(ok.stdout).toMatch(/as of 2017-11-01: 2 active \(1 expiring within 60 days\), 0 already expired/);

    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      [
        header,
        'admin@northwind.demo,,TEST-NET-TEC,technical,networking,2017-03-01,2019-03-01',
        'nobody@nowhere.test,,TEST-1,technical,storage,2017-03-01,2019-03-01',
        'admin@northwind.demo,,TEST-2,technical,storage,2018-05-01,2018-04-30',
        'admin@northwind.demo,,TEST-3,technical,quantum,2017-03-01,2019-03-01',
        'admin@northwind.demo,,TEST-STOR-TEC,technical,storage,2017-03-01,2019-03-01',
        '',
      ].join('\n'),
    );
    const refused = trellis(['import', 'certifications', bad, '--vendor', 'dell'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`bad\\.csv:3:1: unknown person nobody@nowhere\\.test`));
    expect(refused.stderr).toMatch(new RegExp(`bad\\.csv:4:7: expiry before the grant date`));
    expect(refused.stderr).toMatch(new RegExp(`bad\\.csv:5:5: family "quantum" is not a product family`));
    expect(refused.stderr).toMatch(
      new RegExp(`bad\\.csv:6:3: the person already holds certification TEST-STOR-TEC`),
    );
    expect(refused.stderr).toMatch(/4 of 5 rows invalid; nothing was recorded/);
    expect(refused.stderr).not.toMatch(/at .*\.ts:\d+/);

    // Nothing of the bad file was written: its one good row imports on its own now.
    const alone = join(dir, 'alone.csv');
    writeFileSync(
      alone,
      `${header}\nadmin@northwind.demo,,TEST-NET-TEC,technical,networking,2017-03-01,2019-03-01\n`,
    );
    const retry = trellis(['import', 'certifications', alone, '--vendor', 'dell', '--json'], env);
    expect(retry.code, retry.stderr).toBe(0);
    expect(JSON.parse(retry.stdout.trim()) as { recorded: number }).toMatchObject({ recorded: 1 });

    const unknownVendor = trellis(['import', 'certifications', alone, '--vendor', 'nope'], env);
    expect(unknownVendor.code).toBe(1);
    expect(unknownVendor.stderr).toMatch(/no vendor has the slug nope/);
  }, 180_000);
});
