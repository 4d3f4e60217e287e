import type { BulkValue } from './bulk-insert.js';

/** What the SQLite worker thread is started with. */
export interface SqliteWorkerData {
  file: string;
  /** How long a statement waits inside SQLite (in the worker) for another connection's write lock. */
  busyTimeoutMs: number;
  /** How often the worker looks for a moment to run a passive WAL checkpoint (0: never). */
  checkpointEveryMs: number;
}

/** A request from the driver to the worker; `id` pairs it with its reply. */
export type SqliteRequest =
  | { id: number; op: 'query'; sql: string; params: readonly unknown[] }
  | { id: number; op: 'insertRows'; table: string; columns: readonly string[]; values: readonly BulkValue[] }
  | { id: number; op: 'streamOpen'; sql: string; params: readonly unknown[]; chunk: number }
  | { id: number; op: 'streamNext'; cursor: number; chunk: number }
  | { id: number; op: 'streamClose'; cursor: number }
  | { id: number; op: 'close' };

/** The SQLite error as the main thread rebuilds it: its code (SQLITE_CONSTRAINT_UNIQUE, SQLITE_BUSY...) and message. */
export interface SqliteErrorData {
  name: string;
  message: string;
  code: string | undefined;
}

/** Every reply says whether a transaction is open on the connection afterwards. */
export type SqliteReply = { id: number; inTransaction: boolean } & (
  | { kind: 'rows'; rows: unknown[] }
  | { kind: 'run'; changes: number; lastInsertRowid: number | bigint }
  | { kind: 'chunk'; cursor: number; rows: unknown[]; done: boolean }
  | { kind: 'done' }
  | { kind: 'error'; error: SqliteErrorData }
);

/** The worker's first message: the file is open, or it could not be opened. */
export type SqliteWorkerStarted = { kind: 'ready' } | { kind: 'failed'; error: SqliteErrorData };
