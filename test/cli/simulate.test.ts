import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/fixtures.js';
import { trellis } from '../support/cli.js';

describe('trellis simulate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-simulate-'));
  const env = { TRELLIS_DATA_DIR: dir };

  beforeAll(() => {
    const demo = trellis(['demo', '--scale', 'small', '--json'], env);
    expect(demo.code, demo.stderr).toBe(0);
  }, 180_000);

  it('golden: the shipped FY24 program as its own draft equals the closed FY24-Q4 to the cent', () => {
    const r = trellis(
      ['simulate', 'programs/dell-emc-fy24.yaml', '--from', '2023-11-04', '--to', '2024-02-02', '--json'],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as {
      id: string;
      baselineEqualsLedger: boolean | null;
      periods: { code: string; closed: boolean }[];
      comparison: { totals: { baselineMinor: number; differenceMinor: number; partners: number } };
    };
    expect(out.periods.filter((p) => p.closed).map((p) => p.code)).toEqual(['FY24-Q4']);
    expect(out.baselineEqualsLedger).toBe(true);
    expect(out.comparison.totals.differenceMinor).toBe(0);
    expect(out.comparison.totals.partners).toBeGreaterThan(10);
  }, 120_000);

  it('prints totals with a draft that raises Gold storage, against a baseline file', () => {
    const shipped = readFileSync(join(ROOT, 'programs', 'dell-emc-fy24.yaml'), 'utf8');
    const draft = shipped.replace(/gold: \{ storage: 2%/, 'gold: { storage: 3%');
    expect(draft).not.toBe(shipped);
    const file = join(dir, 'draft.yaml');
    writeFileSync(file, draft);
    const r = trellis(
      [
        'simulate',
        file,
        '--baseline',
        'programs/dell-emc-fy24.yaml',
        '--from',
        '2023-11-04',
        '--to',
        '2024-02-02',
      ],
      env,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('baseline equals the ledger for the closed periods: yes, to the cent');
    expect(r.stdout).toMatch(/base-rebate/);
    expect(r.stdout).toMatch(/partners: [1-9]\d* gain, 0 lose/);
  }, 120_000);

  it('refuses an invalid draft with file:line:column', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      readFileSync(join(ROOT, 'programs', 'dell-emc-fy24.yaml'), 'utf8').replace(
        'periods: quarter',
        'periods: weekly',
      ),
    );
    const r = trellis(['simulate', file, '--from', '2023-11-04', '--to', '2024-02-02'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+`));
  }, 60_000);
});
