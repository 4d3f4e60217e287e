import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { TrellisError } from '../../core/shared/errors.js';
import { redactUrl, openStore } from '../../db/connection.js';
import { currentSchemaVersion, migrateToLatest } from '../../db/migrator.js';
import { vendorRepository } from '../../db/repositories/vendor-repository.js';
import { backupSqliteFile, inspectSqliteFile } from '../../db/sqlite/backup.js';
import type { Config } from '../config.js';

/** What `trellis db backup` wrote, also kept as `manifest.json` in the backup's folder. */
export interface BackupManifest {
  format: 'trellis-backup/1';
  createdAt: string;
  store: { kind: 'sqlite' | 'postgres'; location: string; file: string; bytes: number; sha256: string };
  schemaVersion: string | null;
  vendors: number | null;
  /** Uploaded files' bytes (`<data dir>/files`), copied as they are. */
  files: { count: number; bytes: number };
  /** Whether `secrets.key` was copied (it seals stored secrets; unset when TRELLIS_SECRETS_KEY is used). */
  secretsKey: boolean;
}

export interface BackupProgress {
  (phase: 'database' | 'files', done: number, total: number): void;
}

/**
 * Backs up everything a Trellis installation keeps into a new folder: the database (SQLite's online backup,
 * or `pg_dump --format=custom` on PostgreSQL), the stored files, the secrets key when it lives in the data
 * directory, and a manifest with the schema version and checksums. The server may keep running: SQLite's
 * backup and pg_dump both read one consistent snapshot. Refuses a folder that exists and is not empty.
 */
export async function backupInstallation(
  config: Config,
  destination: string,
  options: { now?: Date; onProgress?: BackupProgress } = {},
): Promise<BackupManifest> {
  const dir = resolve(destination);
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0))
    throw new TrellisError(
      'conflict',
      `backup folder ${dir} already exists and is not empty: name a new folder`,
      [{ location: 'destination', message: 'exists and is not empty' }],
    );
  const dataDir = resolve(config.dataDir);
  if (dir === dataDir || dir.startsWith(dataDir + '/'))
    throw new TrellisError('invalid_input', `backup folder ${dir} is inside the data directory ${dataDir}`, [
      { location: 'destination', message: 'must be outside TRELLIS_DATA_DIR' },
    ]);

  let store: BackupManifest['store'];
  let schemaVersion: string | null;
  let vendors: number | null;
  if (config.store.kind === 'sqlite') {
    const source = config.store.file;
    if (source === ':memory:' || !existsSync(source))
      throw new TrellisError('not_found', `no SQLite store at ${source}: nothing to back up`, [
        { location: 'TRELLIS_DATA_DIR', message: 'holds no trellis.db' },
      ]);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'trellis.db');
    await backupSqliteFile(source, file, (done, total) => options.onProgress?.('database', done, total));
    const report = inspectSqliteFile(file);
    if (report.check !== 'ok')
      throw new TrellisError(
        'store_unreachable',
        `the backup ${file} failed its integrity check: ${report.check}`,
      );
    schemaVersion = report.schemaVersion;
    vendors = report.vendors;
    store = {
      kind: 'sqlite',
      location: source,
      file: 'trellis.db',
      bytes: statSync(file).size,
      sha256: await sha256(file),
    };
  } else {
    const url = config.store.url;
    const live = await openStore(config.store);
    try {
      schemaVersion = await currentSchemaVersion(live.db);
      vendors = await vendorRepository(live.db).count();
    } finally {
      await live.close();
    }
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'trellis.pgdump');
    options.onProgress?.('database', 0, 1);
    await pgDump(url, file);
    options.onProgress?.('database', 1, 1);
    store = {
      kind: 'postgres',
      location: redactUrl(url),
      file: 'trellis.pgdump',
      bytes: statSync(file).size,
      sha256: await sha256(file),
    };
  }

  const files = { count: 0, bytes: 0 };
  if (existsSync(config.files.dir)) {
    const all = listFiles(config.files.dir);
    files.count = all.length;
    files.bytes = all.reduce((s, f) => s + f.bytes, 0);
    options.onProgress?.('files', 0, files.count);
    cpSync(config.files.dir, join(dir, 'files'), { recursive: true, errorOnExist: true });
    options.onProgress?.('files', files.count, files.count);
  }
  const keyFile = join(dataDir, 'secrets.key');
  const secretsKey = config.secretsKey === null && existsSync(keyFile);
  if (secretsKey) copyFileSync(keyFile, join(dir, 'secrets.key'));

  const manifest: BackupManifest = {
    format: 'trellis-backup/1',
    createdAt: (options.now ?? new Date()).toISOString(),
    store,
    schemaVersion,
    vendors,
    files,
    secretsKey,
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
  return manifest;
}

function listFiles(root: string): { bytes: number }[] {
  const out: { bytes: number }[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) out.push({ bytes: statSync(join(entry.parentPath, entry.name)).size });
  return out;
}

function sha256(file: string): Promise<string> {
  return new Promise((done, fail) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', fail)
      .on('end', () => done(hash.digest('hex')));
  });
}

export interface RestoreReport {
  manifest: BackupManifest;
  /** The schema version after restoring: the backup's, moved forward by any newer migration. */
  schemaVersion: string | null;
  migrated: string[];
}

/**
 * Restores a folder written by {@link backupInstallation} into this configuration's store, which must be
 * empty (a new data directory, or a PostgreSQL database without Trellis tables), then applies the
 * migrations this version has that the backup had not. Checks the database file's checksum first; the
 * server must not be running on the target.
 */
export async function restoreInstallation(config: Config, source: string): Promise<RestoreReport> {
  const dir = resolve(source);
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile))
    throw new TrellisError('not_found', `${dir} holds no manifest.json: not a Trellis backup folder`, [
      { location: 'folder', message: 'no manifest.json' },
    ]);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as BackupManifest;
  } catch (e) {
    throw new TrellisError('invalid_input', `${manifestFile} is not valid JSON: ${(e as Error).message}`);
  }
  if (manifest.format !== 'trellis-backup/1' || !manifest.store || typeof manifest.store.file !== 'string')
    throw new TrellisError('invalid_input', `${manifestFile} is not a trellis-backup/1 manifest`);
  if (manifest.store.kind !== config.store.kind)
    throw new TrellisError(
      'invalid_input',
      `the backup holds a ${manifest.store.kind} store but this configuration uses ${config.store.kind}${
        config.store.kind === 'postgres' ? ' (DATABASE_URL is set)' : ' (DATABASE_URL is unset)'
      }`,
    );
  const dbFile = join(dir, manifest.store.file);
  if (!existsSync(dbFile) || (await sha256(dbFile)) !== manifest.store.sha256)
    throw new TrellisError(
      'invalid_input',
      `${dbFile} is missing or does not match the manifest's checksum`,
      [{ location: manifest.store.file, message: 'checksum mismatch' }],
    );

  if (config.store.kind === 'sqlite') {
    const target = config.store.file;
    if (existsSync(target))
      throw new TrellisError(
        'not_empty',
        `${target} exists: restore into a new TRELLIS_DATA_DIR, or move the current store away first`,
        [{ location: 'TRELLIS_DATA_DIR', message: 'already holds trellis.db' }],
      );
    mkdirSync(resolve(config.dataDir), { recursive: true });
    copyFileSync(dbFile, target);
  } else {
    const live = await openStore(config.store);
    try {
      if ((await currentSchemaVersion(live.db)) !== null)
        throw new TrellisError(
          'not_empty',
          `the database ${redactUrl(config.store.url)} already holds a Trellis schema: restore into an empty database`,
          [{ location: 'DATABASE_URL', message: 'not empty' }],
        );
    } finally {
      await live.close();
    }
    await runPgTool(
      'pg_restore',
      ['--no-owner', '--exit-on-error', `--dbname=${config.store.url}`, dbFile],
      config.store.url,
    );
  }

  if (existsSync(join(dir, 'files'))) {
    mkdirSync(config.files.dir, { recursive: true });
    cpSync(join(dir, 'files'), config.files.dir, { recursive: true, force: false });
  }
  const keyFile = join(resolve(config.dataDir), 'secrets.key');
  if (manifest.secretsKey && existsSync(join(dir, 'secrets.key')) && !existsSync(keyFile)) {
    mkdirSync(resolve(config.dataDir), { recursive: true });
    copyFileSync(join(dir, 'secrets.key'), keyFile);
  }

  const store = await openStore(config.store);
  try {
    const { error, results } = await migrateToLatest(store.db);
    if (error)
      throw new TrellisError(
        'store_unreachable',
        `restored, but migrating failed: ${(error as Error).message}`,
      );
    return {
      manifest,
      schemaVersion: await currentSchemaVersion(store.db),
      migrated: (results ?? []).map((r) => r.migrationName),
    };
  } finally {
    await store.close();
  }
}

/** Runs the PostgreSQL client's pg_dump (custom format: compressed, restorable table by table with pg_restore). */
function pgDump(url: string, file: string): Promise<void> {
  return runPgTool('pg_dump', ['--format=custom', '--no-owner', `--file=${file}`, `--dbname=${url}`], url);
}

function runPgTool(tool: 'pg_dump' | 'pg_restore', args: string[], url: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) =>
      fail(
        e.code === 'ENOENT'
          ? new TrellisError(
              'invalid_config',
              `${tool} was not found on PATH: install the PostgreSQL client of your server's major version (e.g. apt-get install postgresql-client-15), or use your provider's backups (docs/operations.md)`,
            )
          : e,
      ),
    );
    child.on('close', (code) =>
      code === 0
        ? done()
        : fail(
            new TrellisError(
              'store_unreachable',
              `${tool} failed (exit ${code}): ${stderr.trim().replace(url, redactUrl(url))}`,
            ),
          ),
    );
  });
}
