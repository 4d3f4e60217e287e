import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { trellis } from '../support/cli.js';
import { dealDataDir } from '../support/cli-deals.js';
import { SAMPLES } from '../support/multipart.js';
import { PG_URL } from '../support/stores.js';

interface Manifest {
  format: string;
  store: { kind: string; file: string; sha256: string };
  schemaVersion: string;
  vendors: number;
  files: { count: number };
}

describe('trellis db backup and restore (SQLite)', () => {
  let env: Record<string, string> = {};
  const work = mkdtempSync(join(tmpdir(), 'trellis-backup-'));
  let fileId = '';

  beforeAll(async () => {
    ({ env } = await dealDataDir());
    writeFileSync(join(work, 'invoice.pdf'), SAMPLES.pdf);
    const up = trellis(
      ['files', 'upload', join(work, 'invoice.pdf'), '--purpose', 'mdf-proof', '--vendor', 'dell'].concat([
        '--as',
        'admin@alpha.test',
        '--json',
      ]),
      env,
    );
    expect(up.code, up.stderr).toBe(0);
    fileId = (JSON.parse(up.stdout) as { id: string }).id;
  });

  it('backs up the store, its stored files and a manifest; a restore into a new data directory reads them back', () => {
    const folder = join(work, 'backup-1');
    const res = trellis(['db', 'backup', folder, '--json'], env);
    expect(res.code, res.stderr).toBe(0);
    const manifest = JSON.parse(res.stdout) as Manifest;
    expect(manifest).toMatchObject({
      format: 'trellis-backup/1',
      store: { kind: 'sqlite', file: 'trellis.db' },
    });
    expect(manifest.vendors).toBeGreaterThan(0);
    expect(manifest.files.count).toBe(1);
    expect(manifest.schemaVersion).toMatch(/^\d{8}-\d{4}-/);
    expect(JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'))).toEqual(manifest);

    const restoredDir = join(work, 'restored');
    const restored = trellis(['db', 'restore', folder], { TRELLIS_DATA_DIR: restoredDir, DATABASE_URL: '' });
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(`schema version: ${manifest.schemaVersion}`);

    const status = trellis(['db', 'status', '--json'], { TRELLIS_DATA_DIR: restoredDir, DATABASE_URL: '' });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      kind: 'sqlite',
      schemaVersion: manifest.schemaVersion,
      pending: [],
      vendors: manifest.vendors,
    });

    // The restored installation serves the same file to the same person.
    const out = join(work, 'back.pdf');
    const get = trellis(['files', 'get', fileId, '--as', 'admin@alpha.test', '--out', out], {
      TRELLIS_DATA_DIR: restoredDir,
      DATABASE_URL: '',
    });
    expect(get.code, get.stderr).toBe(0);
    expect(readFileSync(out)).toEqual(Buffer.from(SAMPLES.pdf));

    // A restore never overwrites a store.
    const again = trellis(['db', 'restore', folder], { TRELLIS_DATA_DIR: restoredDir, DATABASE_URL: '' });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/trellis\.db exists: restore into a new TRELLIS_DATA_DIR/);
  }, 120_000);

  it('refuses a folder that is not empty, a damaged backup and a folder that is not a backup', () => {
    const folder = join(work, 'backup-2');
    expect(trellis(['db', 'backup', folder], env).code).toBe(0);
    const twice = trellis(['db', 'backup', folder], env);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/already exists and is not empty/);

    const db = join(folder, 'trellis.db');
    const bytes = readFileSync(db);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 10) ^ 0xff, bytes.length - 10);
    writeFileSync(db, bytes);
    const damaged = trellis(['db', 'restore', folder], {
      TRELLIS_DATA_DIR: join(work, 'restored-2'),
      DATABASE_URL: '',
    });
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(/does not match the manifest's checksum/);

    const notBackup = trellis(['db', 'restore', work], {
      TRELLIS_DATA_DIR: join(work, 'restored-3'),
      DATABASE_URL: '',
    });
    expect(notBackup.code).toBe(1);
    expect(notBackup.stderr).toMatch(/holds no manifest\.json/);
  }, 120_000);
});

describe.runIf(PG_URL)('trellis db backup and restore (PostgreSQL, pg_dump)', () => {
  it('dumps a database and restores it into an empty one, refusing one that holds a schema', async () => {
    const suffix = randomBytes(4).toString('hex');
    const names = [`trellis_backup_${suffix}`, `trellis_restore_${suffix}`];
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      for (const n of names) await admin.query(`create database ${n}`);
      const url = (n: string) => {
        const u = new URL(PG_URL!);
        u.pathname = `/${n}`;
        return u.toString();
      };
      const work = mkdtempSync(join(tmpdir(), 'trellis-pg-backup-'));
      const source = { DATABASE_URL: url(names[0]!), TRELLIS_DATA_DIR: join(work, 'data') };
      expect(trellis(['db', 'migrate'], source).code).toBe(0);
      const backup = trellis(['db', 'backup', join(work, 'b'), '--json'], source);
      expect(backup.code, backup.stderr).toBe(0);
      const manifest = JSON.parse(backup.stdout) as Manifest;
      expect(manifest.store).toMatchObject({ kind: 'postgres', file: 'trellis.pgdump' });

      const target = { DATABASE_URL: url(names[1]!), TRELLIS_DATA_DIR: join(work, 'data2') };
      const restore = trellis(['db', 'restore', join(work, 'b')], target);
      expect(restore.code, restore.stderr).toBe(0);
      expect(restore.stdout).toContain(`schema version: ${manifest.schemaVersion}`);
      const refused = trellis(['db', 'restore', join(work, 'b')], target);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/already holds a Trellis schema/);
    } finally {
      for (const n of names) await admin.query(`drop database if exists ${n} with (force)`);
      await admin.end();
    }
  }, 120_000);
});
