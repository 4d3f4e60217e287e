import { BIGINT, DuckDBDataChunk, DuckDBInstance, INTEGER } from '@duckdb/node-api';
import type Database from 'better-sqlite3';
import pg from 'pg';
import type { BenchColumns, PartnerTable } from './generate.js';
import type { Dialect } from './sql.js';
import { closeSql, ratesSql, SQL_TABLES } from './sql.js';
import type { PeerSpec } from './spec.js';

/** Per partner row, the amount of each component in `spec.order` (minor units). */
export type PeerTotals = Map<number, number[]>;

export interface SqlPeerRun {
  readonly totals: PeerTotals;
  /** The query alone (the data already in the database). */
  readonly queryMs: number;
  /** Loading the lines into the database (not counted in the peer's lines/s). */
  readonly loadMs: number;
}

function rowsToTotals(rows: readonly unknown[][], components: number): PeerTotals {
  const out: PeerTotals = new Map();
  for (const row of rows) {
    const values: number[] = [];
    for (let c = 0; c < components; c++) {
      const v = Number(row[c + 1]);
      if (!Number.isSafeInteger(v))
        throw new Error(`peer returned a non-integer amount ${String(row[c + 1])}`);
      values.push(v);
    }
    out.set(Number(row[0]), values);
  }
  return out;
}

/** SQLite: the query over the stored, clustered `close_lines` table of the bench store. */
export function sqlitePeer(
  db: Database.Database,
  spec: PeerSpec,
  fromDay: number,
  toDay: number,
): SqlPeerRun {
  const stmt = db.prepare(closeSql(spec, 'sqlite', fromDay, toDay)).raw(true);
  const t0 = performance.now();
  const rows = stmt.all() as unknown[][];
  const queryMs = performance.now() - t0;
  return { totals: rowsToTotals(rows, spec.order.length), queryMs, loadMs: 0 };
}

/** DuckDB in memory: the lines appended from the columns (data chunks), then the query. */
export async function duckdbPeer(
  cols: BenchColumns,
  partners: PartnerTable,
  spec: PeerSpec,
  fromDay: number,
  toDay: number,
): Promise<SqlPeerRun> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const l0 = performance.now();
    await connection.run(SQL_TABLES.lines);
    await connection.run(SQL_TABLES.partners);
    for (const statement of ratesSql(spec, 'duckdb')) await connection.run(statement);
    const appender = await connection.createAppender('close_lines');
    const types = [INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, BIGINT];
    const VECTOR = 2048;
    const n = cols.length;
    const sources = [
      cols.partnerIndex,
      cols.customerIndex,
      null, // line number
      cols.orderDay,
      cols.familyIndex,
      cols.tierIndex,
      cols.exclusive,
      cols.newBusiness,
      cols.contextIndex,
    ] as const;
    for (let start = 0; start < n; start += VECTOR) {
      const rows = Math.min(VECTOR, n - start);
      const chunk = DuckDBDataChunk.create(types, rows);
      sources.forEach((source, c) => {
        const vector = chunk.getColumnVector(c);
        for (let r = 0; r < rows; r++)
          vector.setItem(r, source === null ? start + r : (source[start + r] as number));
        vector.flush();
      });
      const amounts = chunk.getColumnVector(9);
      for (let r = 0; r < rows; r++) amounts.setItem(r, BigInt(cols.amountMinor[start + r] as number));
      amounts.flush();
      appender.appendDataChunk(chunk);
    }
    appender.closeSync();
    const partnerAppender = await connection.createAppender('close_partners');
    for (let p = 0; p < partners.count; p++) {
      partnerAppender.appendInteger(p);
      partnerAppender.appendInteger(partners.tierIndex[p] as number);
      partnerAppender.appendInteger(partners.exclusive[p] as number);
      const prior = partners.prior[p] as number;
      if (Number.isNaN(prior)) partnerAppender.appendNull();
      else partnerAppender.appendBigInt(BigInt(prior));
      partnerAppender.endRow();
    }
    partnerAppender.closeSync();
    const loadMs = performance.now() - l0;
    const sql = closeSql(spec, 'duckdb', fromDay, toDay);
    const t0 = performance.now();
    const result = await connection.runAndReadAll(sql);
    const queryMs = performance.now() - t0;
    return { totals: rowsToTotals(result.getRows() as unknown[][], spec.order.length), queryMs, loadMs };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * PostgreSQL: the lines loaded into an UNLOGGED table of a schema of its own (`bench_close_<pid>`, dropped
 * afterwards; the pid keeps concurrent runs apart) with `INSERT ... SELECT FROM unnest(...)` batches, analysed, then the query.
 */
export async function postgresPeer(
  url: string,
  cols: BenchColumns,
  partners: PartnerTable,
  spec: PeerSpec,
  fromDay: number,
  toDay: number,
  progress: (done: number) => void = () => {},
): Promise<SqlPeerRun> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const schema = `bench_close_${process.pid}`;
  try {
    const l0 = performance.now();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`SET search_path TO ${schema}`);
    await client.query(SQL_TABLES.lines.replace('CREATE TABLE', 'CREATE UNLOGGED TABLE'));
    await client.query(SQL_TABLES.partners.replace('CREATE TABLE', 'CREATE UNLOGGED TABLE'));
    for (const statement of ratesSql(spec, 'postgres')) await client.query(statement);
    // Arrays as PostgreSQL array literals built by the typed arrays' own join: the client sends text.
    const literal = (values: { join(separator: string): string }) => `{${values.join(',')}}`;
    const BATCH = 250_000;
    const n = cols.length;
    const lineNumbers = new Int32Array(BATCH);
    for (let start = 0; start < n; start += BATCH) {
      const end = Math.min(n, start + BATCH);
      for (let r = 0; r < end - start; r++) lineNumbers[r] = start + r;
      const slice = (a: { subarray(a: number, b: number): { join(separator: string): string } }) =>
        literal(a.subarray(start, end));
      await client.query(
        `INSERT INTO close_lines SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::int[],
          $6::int[], $7::int[], $8::int[], $9::int[], $10::bigint[])`,
        [
          slice(cols.partnerIndex),
          slice(cols.customerIndex),
          literal(lineNumbers.subarray(0, end - start)),
          slice(cols.orderDay),
          slice(cols.familyIndex),
          slice(cols.tierIndex),
          slice(cols.exclusive),
          slice(cols.newBusiness),
          slice(cols.contextIndex),
          slice(cols.amountMinor),
        ],
      );
      progress(end);
    }
    await client.query(
      'INSERT INTO close_partners SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::bigint[])',
      [
        literal(Array.from({ length: partners.count }, (_, p) => p)),
        literal(partners.tierIndex),
        literal(partners.exclusive),
        literal(Array.from(partners.prior, (v) => (Number.isNaN(v) ? 'NULL' : String(v)))),
      ],
    );
    await client.query('ANALYZE close_lines');
    await client.query('ANALYZE close_partners');
    const loadMs = performance.now() - l0;
    await client.query("SET work_mem = '512MB'");
    const sql = closeSql(spec, 'postgres' satisfies Dialect, fromDay, toDay);
    const t0 = performance.now();
    const result = await client.query({ text: sql, rowMode: 'array' });
    const queryMs = performance.now() - t0;
    return { totals: rowsToTotals(result.rows as unknown[][], spec.order.length), queryMs, loadMs };
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await client.end();
  }
}
