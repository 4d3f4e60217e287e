import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { trellis } from '../support/cli.js';

describe('trellis close and statements', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-close-'));
  const env = { TRELLIS_DATA_DIR: dir };

  beforeAll(() => {
    const demo = trellis(['demo', '--scale', 'small'], env);
    expect(demo.code, demo.stderr).toBe(0);
  }, 120_000);

  it('closes a period, reconciles, and a second close posts nothing', () => {
    const first = trellis(['close', 'dell-emc-partner-program', 'FY18-Q1', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    const r1 = JSON.parse(first.stdout.trim().split('\n').at(-1) as string) as Record<string, unknown>;
    expect(r1).toMatchObject({ period: 'FY18-Q1', reconciled: true, dryRun: false });
    expect(r1.lines as number).toBeGreaterThan(1000);
    expect(r1.statements as number).toBeGreaterThan(10);
    const second = trellis(['close', 'dell-emc-partner-program', 'FY18-Q1', '--json'], env);
    const r2 = JSON.parse(second.stdout.trim().split('\n').at(-1) as string) as Record<string, unknown>;
    expect(r2).toMatchObject({ transactions: 0, entries: 0, netMinor: 0, totalMinor: r1.totalMinor });
  }, 120_000);

  it('issues, approves and pays statements, and downloads one as CSV', () => {
    expect(
      trellis(['statements', 'issue', '--program', 'dell-emc-partner-program', '--period', 'FY18-Q1'], env)
        .stdout,
    ).toMatch(/statement\(s\): \d+ issued/);
    const list = trellis(['statements', 'list', '--period', 'FY18-Q1', '--json'], env);
    const first = JSON.parse(list.stdout.split('\n')[0] as string) as {
      id: string;
      totalMinor: number;
      lines: number;
    };
    expect(trellis(['statements', 'approve', first.id], env).stdout).toMatch(/1 approved/);
    expect(trellis(['statements', 'pay', first.id, '--reference', 'WIRE-7'], env).stdout).toMatch(/1 paid/);
    const out = join(dir, 'statement.csv');
    const dl = trellis(['statements', 'download', first.id, '--out', out], env);
    expect(dl.code, dl.stderr).toBe(0);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows[0]).toMatch(/^line_no,kind,period,/);
    expect(rows).toHaveLength(first.lines + 1);
    const refused = trellis(['statements', 'pay', first.id], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/paid only when approved; this one is paid/);
  }, 120_000);

  it('refuses an unknown period naming the periods that exist', () => {
    const res = trellis(['close', 'dell-emc-partner-program', 'FY19-Q1'], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/FY18-Q1, FY18-Q2, FY18-Q3, FY18-Q4/);
  });
});
