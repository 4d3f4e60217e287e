import Database from 'better-sqlite3';
import type { BenchColumns, PartnerTable } from './generate.js';
import { allocateColumns } from './generate.js';
import type { PeerSpec } from './spec.js';
import { ratesSql, SQL_TABLES } from './sql.js';

/**
 * The bench's SQLite store: the period's lines written once, twice over:
 *
 * - `close_lines`, one row per line, clustered by (partner, customer, line) (a WITHOUT ROWID table):
 *   what the SQL peer queries;
 * - `close_columns`, the same lines as column chunks (one BLOB of up to 1M values per column and chunk,
 *   little-endian typed-array bytes): what the engine reads back into its columns (the "cold" close).
 *
 * and `close_partners` (tier, exclusive and comparison revenue per partner) for both, and `close_rates`
 * (the effective per-line rates, see sql.ts) for the SQL peer.
 */

const CHUNK = 1 << 20;

type ColumnName = Exclude<keyof BenchColumns, 'length' | 'quantity' | 'orderTotalMinor'>;
const COLUMN_NAMES: readonly ColumnName[] = [
  'amountMinor',
  'familyIndex',
  'tierIndex',
  'newBusiness',
  'exclusive',
  'contextIndex',
  'partnerIndex',
  'orderDay',
  'customerIndex',
];

export function openBenchStore(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('page_size = 16384'); // fewer overflow pages per column chunk; faster writes too
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -65536');
  return db;
}

/** Writes the lines (rows and column chunks) and the partners; `progress` gets the lines written so far. */
export function writeBenchStore(
  db: Database.Database,
  cols: BenchColumns,
  partners: PartnerTable,
  spec: PeerSpec,
  progress: (done: number) => void = () => {},
): void {
  db.exec(SQL_TABLES.lines.replace(/\)$/, ', PRIMARY KEY (partner, customer, line)) WITHOUT ROWID'));
  db.exec(SQL_TABLES.partners);
  for (const statement of ratesSql(spec, 'sqlite')) db.exec(statement);
  db.exec(
    'CREATE TABLE close_columns (name TEXT NOT NULL, chunk INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (name, chunk))',
  );
  db.exec('CREATE TABLE close_meta (lines INTEGER NOT NULL)');
  const ROWS = 50;
  const placeholders = Array.from({ length: ROWS }, () => '(?,?,?,?,?,?,?,?,?,?)').join(',');
  const many = db.prepare(`INSERT INTO close_lines VALUES ${placeholders}`);
  const one = db.prepare('INSERT INTO close_lines VALUES (?,?,?,?,?,?,?,?,?,?)');
  const args: number[] = new Array<number>(ROWS * 10);
  const put = (target: number[], o: number, i: number) => {
    target[o] = cols.partnerIndex[i] as number;
    target[o + 1] = cols.customerIndex[i] as number;
    target[o + 2] = i;
    target[o + 3] = cols.orderDay[i] as number;
    target[o + 4] = cols.familyIndex[i] as number;
    target[o + 5] = cols.tierIndex[i] as number;
    target[o + 6] = cols.exclusive[i] as number;
    target[o + 7] = cols.newBusiness[i] as number;
    target[o + 8] = cols.contextIndex[i] as number;
    target[o + 9] = cols.amountMinor[i] as number;
  };
  const n = cols.length;
  db.transaction(() => {
    let i = 0;
    for (; i + ROWS <= n; i += ROWS) {
      for (let r = 0; r < ROWS; r++) put(args, r * 10, i + r);
      many.run(args);
      if (i % (ROWS * 20_000) === 0) progress(i);
    }
    const last: number[] = new Array<number>(10);
    for (; i < n; i++) {
      put(last, 0, i);
      one.run(last);
    }
    const chunk = db.prepare('INSERT INTO close_columns VALUES (?, ?, ?)');
    for (const name of COLUMN_NAMES) {
      const column = cols[name];
      for (let c = 0; c * CHUNK < n; c++) {
        const view = column.subarray(c * CHUNK, Math.min(n, (c + 1) * CHUNK));
        chunk.run(name, c, Buffer.from(view.buffer, view.byteOffset, view.byteLength));
      }
    }
    db.prepare('INSERT INTO close_meta VALUES (?)').run(n);
    const partner = db.prepare('INSERT INTO close_partners VALUES (?, ?, ?, ?)');
    for (let p = 0; p < partners.count; p++) {
      const prior = partners.prior[p] as number;
      partner.run(
        p,
        partners.tierIndex[p] as number,
        partners.exclusive[p] as number,
        Number.isNaN(prior) ? null : prior,
      );
    }
  })();
  progress(n);
}

/** Reads the column chunks back into fresh typed arrays, and the partner table. */
export function readBenchStore(db: Database.Database): { columns: BenchColumns; partners: PartnerTable } {
  const { lines } = db.prepare('SELECT lines FROM close_meta').get() as { lines: number };
  const cols = allocateColumns(lines);
  const rows = db
    .prepare('SELECT name, chunk, data FROM close_columns ORDER BY name, chunk')
    .iterate() as Iterable<{
    name: ColumnName;
    chunk: number;
    data: Buffer;
  }>;
  for (const row of rows) {
    const column = cols[row.name];
    const bytes = new Uint8Array(
      column.buffer,
      column.byteOffset + row.chunk * CHUNK * column.BYTES_PER_ELEMENT,
    );
    bytes.set(row.data);
  }
  const list = db
    .prepare('SELECT partner, tier, exclusive, prior FROM close_partners ORDER BY partner')
    .all() as {
    partner: number;
    tier: number;
    exclusive: number;
    prior: number | null;
  }[];
  const partners: PartnerTable = {
    count: list.length,
    tierIndex: Uint8Array.from(list, (r) => r.tier),
    exclusive: Uint8Array.from(list, (r) => r.exclusive),
    prior: Float64Array.from(list, (r) => (r.prior === null ? Number.NaN : r.prior)),
  };
  return { columns: cols, partners };
}
