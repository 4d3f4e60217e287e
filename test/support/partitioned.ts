import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { openStore } from '../../src/db/connection.js';
import { LATEST_MIGRATION, migrateToLatest } from '../../src/db/migrator.js';
import { checkTenantKeys, describeViolation } from '../../src/db/postgres/tenant-keys.js';

/**
 * The partitioned schema (issue 18): the latest schema with every distributed (vendor-owned) table
 * hash-partitioned by vendor_id into PARTITIONS partitions, its keys, indexes, foreign keys and triggers
 * as the migrations make them. PostgreSQL refuses a primary or unique key of a partitioned table that
 * does not include vendor_id, so the schema builds only when every key keeps the tenant-key rule; the
 * checker (src/db/postgres/tenant-keys.ts) runs first and names any table that breaks it.
 *
 * How: the migrations run once into a template schema, `pg_dump` writes it out (with the migrator's rows),
 * each distributed table's CREATE TABLE gains `partition by hash (vendor_id)` and its partitions, and the
 * text is replayed into each test store's schema. The text is cached on disk per migration, so the test
 * files of one run build it once.
 */
export const PARTITIONS = 4;

const run = promisify(execFile);

/** The partitioned schema's SQL for schema `target`. */
export async function partitionedSchemaSql(adminUrl: string, target: string): Promise<string> {
  const template = await templateSql(adminUrl);
  return template.split(TEMPLATE_SCHEMA).join(target);
}

const TEMPLATE_SCHEMA = 'tk_partitioned_template_schema';

async function templateSql(adminUrl: string): Promise<string> {
  const dir = join(tmpdir(), 'trellis-partitioned');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${LATEST_MIGRATION}-${PARTITIONS}-${schemaSourceHash()}.sql`);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    // built below
  }
  const text = await buildTemplate(adminUrl);
  const temp = `${file}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temp, text);
  renameSync(temp, file);
  return text;
}

/** A hash of the migrations' and the checker's sources: a cached schema is rebuilt when either changes. */
export function schemaSourceHash(): string {
  const hash = createHash('sha256');
  const db = fileURLToPath(new URL('../../src/db/', import.meta.url));
  for (const name of readdirSync(join(db, 'migrations')).sort())
    hash.update(readFileSync(join(db, 'migrations', name)));
  hash.update(readFileSync(join(db, 'postgres', 'tenant-keys.ts')));
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  return hash.digest('hex').slice(0, 16);
}

async function buildTemplate(adminUrl: string): Promise<string> {
  const schema = `t_tpl_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create schema ${schema}`);
    const u = new URL(adminUrl);
    u.searchParams.set('options', `-c search_path=${schema}`);
    const store = await openStore({ kind: 'postgres', url: u.toString() });
    let distributed: string[];
    try {
      const { error } = await migrateToLatest(store.db);
      if (error) throw error;
      const report = await checkTenantKeys(store.db);
      if (report.violations.length > 0)
        throw new Error(
          `the schema cannot be partitioned by vendor_id:\n${report.violations.map(describeViolation).join('\n')}`,
        );
      distributed = report.distributed;
    } finally {
      await store.close();
    }
    const { stdout } = await run(
      'pg_dump',
      ['--dbname', adminUrl, '--schema', schema, '--no-owner', '--no-privileges', '--inserts'],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    return partition(stdout, schema, new Set(distributed));
  } finally {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
}

/** Rewrites a plain schema's dump: each distributed table partitioned by hash of vendor_id. */
function partition(dump: string, schema: string, distributed: ReadonlySet<string>): string {
  const out: string[] = [];
  const lines = dump.split('\n');
  let creating: string | null = null;
  for (const line of lines) {
    if (line.includes(`SCHEMA ${schema}`)) continue; // the store's schema exists already
    if (line.startsWith('SELECT pg_catalog.set_config')) continue; // keep the session's search_path
    if (line.startsWith('\\')) continue; // psql meta-commands (\restrict): not SQL
    const create = /^CREATE TABLE (\S+)\.(\w+) \($/.exec(line);
    if (create && create[1] === schema && distributed.has(create[2] ?? '')) creating = create[2] ?? null;
    if (creating && line === ');') {
      out.push(`) PARTITION BY HASH (vendor_id);`);
      for (let i = 0; i < PARTITIONS; i++)
        out.push(
          `CREATE TABLE ${schema}.${creating}_p${i} PARTITION OF ${schema}.${creating} FOR VALUES WITH (MODULUS ${PARTITIONS}, REMAINDER ${i});`,
        );
      creating = null;
      continue;
    }
    // Keys and foreign keys of a partitioned table are added to the table and its partitions (no ONLY).
    const only = /^ALTER TABLE ONLY (\S+)\.(\w+)$/.exec(line);
    if (only && only[1] === schema && distributed.has(only[2] ?? '')) {
      out.push(`ALTER TABLE ${schema}.${only[2] ?? ''}`);
      continue;
    }
    out.push(line);
  }
  return out.join('\n').split(schema).join(TEMPLATE_SCHEMA);
}
