import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trellis } from '../support/cli.js';
import { ROOT } from '../support/fixtures.js';

describe('trellis CLI', () => {
  it('prints help for every command', () => {
    for (const args of [
      ['--help'],
      ['serve', '--help'],
      ['db', 'migrate', '--help'],
      ['demo', '--help'],
      ['program', 'validate', '--help'],
    ]) {
      const res = trellis(args);
      expect(res.code, args.join(' ')).toBe(0);
      expect(res.stdout).toMatch(/Usage: trellis/);
    }
  });

  it('says which store it opened and that it is empty when a command finds nothing there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-empty-'));
    const res = trellis(['tiers', 'evaluate', 'dell-emc-partner-program'], {
      TRELLIS_DATA_DIR: join(dir, 'data'),
      DATABASE_URL: '',
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/program .*not found/i);
    expect(res.stderr).toContain(join(dir, 'data', 'trellis.db'));
    expect(res.stderr).toMatch(/created just now, and it is empty/);
    expect(res.stderr).toMatch(/TRELLIS_DATA_DIR/);
  });

  it('validates the shipped program files', () => {
    const res = trellis([
      'program',
      'validate',
      'programs/dell-emc-fy18.yaml',
      'programs/vmware-partner-connect-fy22.yaml',
      'programs/agreements/dell-vmware-2021.yaml',
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/dell-emc-fy18.yaml: ok/);
  });

  it('rejects a broken copy with file:line:column and exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-cli-'));
    const broken = join(dir, 'broken.yaml');
    const text = readFileSync(join(ROOT, 'programs', 'dell-emc-fy18.yaml'), 'utf8').replace(
      'servicesRevenue: USD 400K',
      'servicesRevenue: lots',
    );
    writeFileSync(broken, text);
    const res = trellis(['program', 'validate', broken]);
    expect(res.code).toBe(1);
    const line = text.split('\n').findIndex((l) => l.includes('servicesRevenue: lots')) + 1;
    expect(res.stderr).toMatch(new RegExp(`broken\\.yaml:${line}:\\d+: .*`));
    expect(res.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace without --verbose
  });

  it('refuses an invalid environment variable with one message naming it', () => {
    const res = trellis(['db', 'migrate'], { PORT: 'eighty' });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/PORT/);
    expect(res.stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
  });

  it('refuses an unreachable DATABASE_URL with a clear message', () => {
    const res = trellis(['db', 'migrate'], { DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/none' });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/cannot reach PostgreSQL at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none/);
    expect(res.stderr).not.toMatch(/secret/);
  });

  it('refuses a DATABASE_URL that is not a postgres URL', () => {
    const res = trellis(['db', 'migrate'], { DATABASE_URL: 'mysql://x@y/z' });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/DATABASE_URL/);
  });

  it('migrates an empty SQLite database, up then down', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-cli-'));
    const up = trellis(['db', 'migrate'], { TRELLIS_DATA_DIR: dir });
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/up\s+20261122-0001-foundation: Success/);
    const again = trellis(['db', 'migrate'], { TRELLIS_DATA_DIR: dir });
    expect(again.stdout).toMatch(/nothing to do/);
    const down = trellis(['db', 'migrate', '--down'], { TRELLIS_DATA_DIR: dir });
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/schema version: \(empty\)/);
  });

  it('loads the demo once, then refuses a non-empty database and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-cli-'));
    const first = trellis(['demo', '--scale', 'small', '--seed', '7', '--json'], { TRELLIS_DATA_DIR: dir });
    expect(first.stderr.includes('trellis:')).toBe(false);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout.trim().split('\n').at(-1) ?? '{}') as {
      orderLines: number;
      recentOrderLines: number;
      partners: number;
    };
    expect(summary.orderLines).toBeGreaterThan(50_000);
    expect(summary.recentOrderLines).toBe(50_000);
    copyFileSync(join(dir, 'trellis.db'), join(dir, 'before.db'));
    const second = trellis(['demo', '--scale', 'small'], { TRELLIS_DATA_DIR: dir });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/already holds data/);
    const bad = trellis(['demo', '--scale', 'huge'], { TRELLIS_DATA_DIR: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/unknown scale "huge"/);
  }, 120_000);
});
