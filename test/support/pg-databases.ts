import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { partitionedSchemaSql, schemaSourceHash } from './partitioned.js';

/**
 * PostgreSQL test stores: one database each, cloned from a template database that holds the migrated
 * schema (`create database ... template`, a block copy: about 0.2 s, where running every migration into a
 * fresh schema took 1.5 to 7 s per store on this 2-core machine). The template is built once per schema
 * shape (plain, or partitioned by vendor: TRELLIS_TEST_PARTITIONED) and per migration set (its name carries
 * the hash of the migrations' sources), and kept between runs. A store made with `migrate: false` (the
 * migration suites) is an empty database.
 *
 * Each run's databases carry the run's id (set by test/support/global-setup.ts) and are dropped when the
 * run ends; a database of a run that was killed is dropped by a later run once it is a day old. Dropping a
 * database makes PostgreSQL checkpoint, which under a busy suite can take a minute: never during tests.
 */
const PREFIX = 'trellis_t_';
const DAY_S = 86_400;

export function runId(): string {
  // The global setup sets it for the workers; a file run alone outside vitest's setup makes its own.
  process.env.TRELLIS_TEST_RUN ??= `${Math.floor(Date.now() / 1000)}_${randomBytes(3).toString('hex')}`;
  return process.env.TRELLIS_TEST_RUN;
}

function urlOf(adminUrl: string, database: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Each process finds (or builds) a template once. */
const templates = new Map<string, Promise<string>>();

/** The template database for this schema shape, built once (one builder at a time, across processes). */
function templateDatabase(adminUrl: string, partitioned: boolean): Promise<string> {
  const key = `${adminUrl}|${partitioned}`;
  let found = templates.get(key);
  if (!found) {
    found = findOrBuildTemplate(adminUrl, partitioned);
    // A failed build is not kept: the next store tries again.
    found.catch(() => templates.delete(key));
    templates.set(key, found);
  }
  return found;
}

async function findOrBuildTemplate(adminUrl: string, partitioned: boolean): Promise<string> {
  const name = `trellis_tpl_${partitioned ? 'part' : 'plain'}_${schemaSourceHash()}`;
  return withAdmin(adminUrl, async (admin) => {
    const exists = async () =>
      (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
    if (await exists()) return name;
    await admin.query(`select pg_advisory_lock(hashtext('trellis test template'))`);
    try {
      if (await exists()) return name;
      // Built under another name and renamed when complete: a half-built template is never cloned.
      const building = `${name}_build_${randomBytes(3).toString('hex')}`;
      await admin.query(`create database ${building}`);
      try {
        const url = urlOf(adminUrl, building);
        if (partitioned) {
          const sql = await partitionedSchemaSql(adminUrl, 'public');
          await withAdmin(url, async (c) => {
            await c.query('create extension if not exists pg_trgm with schema public');
            await c.query(sql);
          });
        } else {
          const store = await openStore({ kind: 'postgres', url });
          try {
            const { error } = await migrateToLatest(store.db);
            if (error) throw error;
          } finally {
            await store.close();
          }
        }
        await admin.query(`alter database ${building} rename to ${name}`);
      } catch (e) {
        await admin.query(`drop database if exists ${building} with (force)`);
        throw e;
      }
      return name;
    } finally {
      await admin.query(`select pg_advisory_unlock(hashtext('trellis test template'))`);
    }
  });
}

/** A new database for one test store: the migrated schema (cloned), or empty. Its URL. */
export async function createTestDatabase(
  adminUrl: string,
  options: { migrated: boolean; partitioned: boolean },
): Promise<string> {
  const name = `${PREFIX}${runId()}_${randomBytes(4).toString('hex')}`;
  const template = options.migrated ? await templateDatabase(adminUrl, options.partitioned) : null;
  await withAdmin(adminUrl, (admin) =>
    admin.query(template ? `create database ${name} template ${template}` : `create database ${name}`),
  );
  return urlOf(adminUrl, name);
}

/**
 * Drops this run's databases, and those of earlier runs that are a day old (a killed run's). Other runs'
 * recent databases are left alone: several runs can share one server.
 */
export async function dropTestDatabases(adminUrl: string, run: string): Promise<number> {
  return withAdmin(adminUrl, async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      `select datname from pg_database where datname like $1`,
      [`${PREFIX}%`],
    );
    const now = Date.now() / 1000;
    let dropped = 0;
    for (const { datname } of rows) {
      const started = Number(datname.slice(PREFIX.length).split('_')[0]);
      const ours = datname.startsWith(`${PREFIX}${run}_`);
      if (!ours && !(Number.isFinite(started) && now - started > DAY_S)) continue;
      await admin.query(`drop database if exists ${datname} with (force)`);
      dropped++;
    }
    return dropped;
  });
}
