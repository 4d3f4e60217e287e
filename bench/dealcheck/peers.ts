/**
 * Peers of the conflict check on the same data: SQLite FTS5 with the trigram tokenizer and PostgreSQL
 * pg_trgm (GIN index, `%` and `similarity()`). Both see the names as written (lower-cased by their
 * trigram functions) and answer "conflict" when a registered name has trigram similarity >= THRESHOLD.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Party } from './generator.js';

export const PEER_THRESHOLD = 0.5;

export interface PeerRun {
  /** Candidate ids answered per submission, in the order of `submissions`. */
  answers: string[][];
  latencies: number[];
  loadS: number;
}

function trigrams(s: string): Map<string, number> {
  // pg_trgm's way: lower case, words padded with two spaces before and one after.
  const out = new Map<string, number>();
  for (const w of s.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (!w) continue;
    const chars = [...`  ${w} `];
    for (let i = 0; i + 3 <= chars.length; i++) {
      const g = chars.slice(i, i + 3).join('');
      out.set(g, 1);
    }
  }
  return out;
}

/** pg_trgm's similarity(): shared trigrams over the union. */
export function trigramSimilarity(a: string, b: string): number {
  const ta = trigrams(a);
  const tb = trigrams(b);
  let common = 0;
  for (const g of ta.keys()) if (tb.has(g)) common++;
  const union = ta.size + tb.size - common;
  return union === 0 ? 0 : common / union;
}

export function runSqliteFts5(names: readonly string[], submissions: readonly Party[]): PeerRun {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-dealcheck-'));
  const db = new Database(join(dir, 'fts.sqlite'));
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    const t0 = performance.now();
    db.exec(`CREATE VIRTUAL TABLE reg USING fts5(name, tokenize='trigram')`);
    const insert = db.prepare('INSERT INTO reg(rowid, name) VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 0; i < names.length; i++) insert.run(i + 1, names[i]);
    })();
    const loadS = (performance.now() - t0) / 1000;
    const query = db.prepare('SELECT rowid AS id, name FROM reg WHERE reg MATCH ? ORDER BY rank LIMIT 20');
    const answers: string[][] = [];
    const latencies: number[] = [];
    for (const s of submissions) {
      const grams = [
        ...new Set([...s.name.toLowerCase()].map((_, i, a) => a.slice(i, i + 3).join(''))),
      ].filter((g) => [...g].length === 3 && !/["\s]/.test(g));
      const t = performance.now();
      const rows =
        grams.length === 0
          ? []
          : (query.all(grams.map((g) => `"${g}"`).join(' OR ')) as { id: number; name: string }[]);
      const hits = rows
        .filter((r) => trigramSimilarity(r.name, s.name) >= PEER_THRESHOLD)
        .map((r) => `c${r.id - 1}`);
      latencies.push(performance.now() - t);
      answers.push(hits);
    }
    return { answers, latencies, loadS };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runPgTrgm(
  url: string,
  names: readonly string[],
  submissions: readonly Party[],
): Promise<PeerRun> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const schema = `dealcheck_${process.pid}_${Date.now()}`;
  try {
    // pg_trgm, as the product's migration installs it: one per database, in `public` (a fresh database has
    // none; concurrent runs wait for each other on the lock).
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(7302145)');
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
    await client.query('COMMIT');
    const { rows } = await client.query<{ schema: string }>(
      `SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
       WHERE e.extname = 'pg_trgm'`,
    );
    const trgmSchema = rows[0]?.schema ?? 'public';
    const t0 = performance.now();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`SET search_path = ${schema}, ${trgmSchema}`);
    await client.query('CREATE UNLOGGED TABLE reg (id int PRIMARY KEY, name text NOT NULL)');
    for (let i = 0; i < names.length; i += 20_000) {
      const chunk = names.slice(i, i + 20_000);
      await client.query('INSERT INTO reg SELECT * FROM unnest($1::int[], $2::text[])', [
        chunk.map((_, j) => i + j),
        chunk,
      ]);
    }
    await client.query('CREATE INDEX reg_name_trgm ON reg USING gin (name gin_trgm_ops)');
    await client.query('ANALYZE reg');
    const loadS = (performance.now() - t0) / 1000;
    await client.query(`SET pg_trgm.similarity_threshold = ${PEER_THRESHOLD}`);
    const answers: string[][] = [];
    const latencies: number[] = [];
    const sql = 'SELECT id FROM reg WHERE name % $1 ORDER BY similarity(name, $1) DESC LIMIT 20';
    for (const s of submissions) {
      const t = performance.now();
      const r = await client.query<{ id: number }>({ text: sql, values: [s.name], name: 'dealcheck' });
      latencies.push(performance.now() - t);
      answers.push(r.rows.map((row) => `c${row.id}`));
    }
    return { answers, latencies, loadS };
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await client.end();
  }
}
