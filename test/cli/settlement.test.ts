import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { trellis } from '../support/cli.js';

describe('trellis close and statements', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-close-'));
  const env = { TRELLIS_DATA_DIR: dir };

  /**
   * The demo runs to today: the Dell periods it settled (the story's FY24-Q4, then the last due quarter),
   * and the one before the last (left open: history).
   */
  let settled: { period: string; pay: boolean; payOn: string }[] = [];
  let older = '';

  /** The quarter before `code` (FY27-Q1 -> FY26-Q4). */
  const before = (code: string) => {
    const m = /^FY(\d+)-Q(\d)$/.exec(code);
    if (!m) throw new Error(code);
    const q = Number(m[2]);
    return q > 1 ? `FY${m[1]}-Q${q - 1}` : `FY${Number(m[1]) - 1}-Q4`;
  };

  beforeAll(() => {
    const demo = trellis(['demo', '--scale', 'small', '--json'], env);
    expect(demo.code, demo.stderr).toBe(0);
    const summary = JSON.parse(demo.stdout.trim().split('\n').at(-1) as string) as {
      settlement: { periods: { program: string; period: string; pay: boolean; payOn: string }[] };
    };
    settled = summary.settlement.periods.filter((p) => p.program === 'dell-emc-partner-program');
    older = before(settled.at(-1)?.period ?? '');
  }, 180_000);

  it('finds the demo settled on the calendar: the last due quarter closed, its statements paid or due, none overdue', () => {
    expect(settled.map((p) => p.period)[0]).toBe('FY24-Q4');
    expect(settled).toHaveLength(2);
    const due = settled.at(-1) as { period: string; pay: boolean };
    // Closed by the demo: a second close posts nothing.
    const again = trellis(['close', 'dell-emc-partner-program', due.period, '--json'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1) as string)).toMatchObject({
      transactions: 0,
      entries: 0,
      netMinor: 0,
      reconciled: true,
    });
    for (const p of settled) {
      const list = trellis(['statements', 'list', '--period', p.period, '--json'], env);
      const rows = list.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { status: string; overdue: boolean });
      expect(rows.length).toBeGreaterThan(10);
      for (const r of rows) {
        expect(r.overdue).toBe(false);
        expect(r.status).toMatch(p.pay ? /^(paid|carried)$/ : /^approved$/);
      }
    }
  }, 120_000);

  it('closes an older quarter, reconciles, and a second close posts nothing', () => {
    const first = trellis(['close', 'dell-emc-partner-program', older, '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    const r1 = JSON.parse(first.stdout.trim().split('\n').at(-1) as string) as Record<string, unknown>;
    expect(r1).toMatchObject({ period: older, reconciled: true, dryRun: false });
    expect(r1.lines as number).toBeGreaterThan(1000);
    expect(r1.statements as number).toBeGreaterThan(10);
    const second = trellis(['close', 'dell-emc-partner-program', older, '--json'], env);
    const r2 = JSON.parse(second.stdout.trim().split('\n').at(-1) as string) as Record<string, unknown>;
    expect(r2).toMatchObject({ transactions: 0, entries: 0, netMinor: 0, totalMinor: r1.totalMinor });
    // In shards of partners (each on a thread of its own): the same period, the same ledger.
    const sharded = trellis(['close', 'dell-emc-partner-program', older, '--json', '--shards', '2'], env);
    expect(sharded.code, sharded.stderr).toBe(0);
    const r3 = JSON.parse(sharded.stdout.trim().split('\n').at(-1) as string) as Record<string, unknown>;
    expect(r3).toMatchObject({ transactions: 0, netMinor: 0, totalMinor: r1.totalMinor, lines: r1.lines });
    const refused = trellis(['close', 'dell-emc-partner-program', older, '--shards', '40'], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/shards must be a whole number from 1 to 16/);
  }, 120_000);

  it('issues, approves and pays statements, and downloads one as CSV', () => {
    const select = ['--program', 'dell-emc-partner-program', '--period', older];
    // The dry run says what the run does, and writes nothing: the run then issues exactly that.
    const dry = trellis(['statements', 'issue', ...select, '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    const count =
      /^dry run, nothing written: issue would move (\d+) of \d+ statement\(s\) selected \(\1 issued\)/.exec(
        dry.stdout,
      )?.[1];
    expect(Number(count), dry.stdout).toBeGreaterThan(0);
    expect(trellis(['statements', 'issue', ...select], env).stdout).toMatch(
      new RegExp(`^issued: ${count} of \\d+ statement\\(s\\) selected \\(${count} issued\\)`),
    );
    const list = trellis(['statements', 'list', '--period', older, '--json'], env);
    const first = JSON.parse(list.stdout.split('\n')[0] as string) as {
      id: string;
      totalMinor: number;
      lines: number;
    };
    expect(trellis(['statements', 'approve', first.id], env).stdout).toMatch(/\(1 approved\)/);
    expect(trellis(['statements', 'pay', first.id, '--reference', 'WIRE-7'], env).stdout).toMatch(
      /\(1 (paid|carried)\)/,
    );
    const out = join(dir, 'statement.csv');
    const dl = trellis(['statements', 'download', first.id, '--out', out], env);
    expect(dl.code, dl.stderr).toBe(0);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows[0]).toMatch(/^line_no,kind,period,/);
    expect(rows).toHaveLength(first.lines + 1);
    const refused = trellis(['statements', 'pay', first.id], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/skipped 1: 1 already-done/);
    expect(refused.stderr).toMatch(/did not move: \S+ already-done \((paid|carried)\)/);
  }, 240_000);

  it('refuses an unknown period naming the periods that exist', () => {
    const res = trellis(['close', 'dell-emc-partner-program', 'FY17-Q1'], env);
    expect(res.code).toBe(1);
    // Every published year's periods, from the 2017 merge to the version in force.
    expect(res.stderr).toMatch(/FY18-Q1, FY18-Q2, FY18-Q3, FY18-Q4/);
    expect(res.stderr).toMatch(/FY19-Q1, FY19-Q2, FY19-Q3, FY19-Q4/);
  });

  it('lists a partner payout currency, and refuses one the program does not allow, writing nothing', () => {
    const list = trellis(['statements', 'list', '--program', 'dell-emc-partner-program', '--json'], env);
    const partner = (JSON.parse(list.stdout.split('\n')[0] as string) as { partnerId: string }).partnerId;
    const shown = trellis(['payout-currency', partner], env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(
      /dell-emc-partner-program\s+paid in USD \(the program's\); program currency USD/,
    );
    // The shipped programs pay in USD, EUR or GBP.
    const refused = trellis(
      ['payout-currency', partner, '--program', 'dell-emc-partner-program', '--currency', 'CHF'],
      env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/does not pay in CHF; it pays in USD, EUR, GBP/);
    expect(refused.stderr).toMatch(/body\.currency/);
    const half = trellis(['payout-currency', partner, '--currency', 'EUR'], env);
    expect(half.code).toBe(1);
    expect(half.stderr).toMatch(/give both --program and --currency/);
    const after = trellis(['payout-currency', partner, '--json'], env);
    expect(JSON.parse(after.stdout) as { currency: string; chosen: boolean }[]).toContainEqual(
      expect.objectContaining({ programCode: 'dell-emc-partner-program', currency: 'USD', chosen: false }),
    );
  });
});
