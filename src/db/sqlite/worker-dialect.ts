import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import type { Worker } from 'node:worker_threads';
import { AsyncBusyDriver } from './async-busy.js';
import type { BulkValue } from './bulk-insert.js';
import { startWorkerBeside } from './start-worker.js';
import type {
  SqliteErrorData,
  SqliteReply,
  SqliteRequest,
  SqliteWorkerData,
  SqliteWorkerStarted,
} from './worker-protocol.js';

/** A SQLite error raised in the worker thread, rebuilt here with its code (SQLITE_CONSTRAINT_UNIQUE, SQLITE_BUSY...). */
export class SqliteWorkerError extends Error {
  readonly code: string | undefined;
  constructor(data: SqliteErrorData) {
    super(data.message);
    this.name = data.name === 'Error' ? 'SqliteError' : data.name;
    this.code = data.code;
  }
}

type Request = SqliteRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;
type Pending = { resolve: (reply: SqliteReply) => void; reject: (error: Error) => void };

/**
 * The main thread's end of the SQLite worker: posts requests, pairs replies with them. The worker thread
 * keeps the process alive only while a request is waiting for its reply.
 */
export class SqliteWorkerClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private broken: Error | null = null;
  private closed = false;
  /** Whether a transaction is open on the worker's connection, as of the last reply. */
  inTransaction = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: SqliteReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      this.inTransaction = m.inTransaction;
      if (m.kind === 'error') p.reject(new SqliteWorkerError(m.error));
      else p.resolve(m);
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`the SQLite worker thread exited (code ${code})`)));
  }

  /** Starts the worker on `data.file` and waits until the file is open (rejects with SQLite's error if not). */
  static start(data: SqliteWorkerData): Promise<SqliteWorkerClient> {
    const worker = startWorkerBeside(import.meta.url, 'sqlite-worker', data);
    return new Promise((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`the SQLite worker thread exited (code ${code})`));
      worker.once('error', reject);
      worker.once('exit', onExit);
      worker.once('message', (m: SqliteWorkerStarted) => {
        worker.off('error', reject);
        worker.off('exit', onExit);
        if (m.kind === 'failed') {
          void worker.terminate();
          reject(new SqliteWorkerError(m.error));
          return;
        }
        worker.unref();
        resolve(new SqliteWorkerClient(worker));
      });
    });
  }

  request(message: Request): Promise<SqliteReply> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    return new Promise<SqliteReply>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  /** Checkpoints (TRUNCATE) and closes the connection, then lets the thread end. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.broken) {
      // Referenced until the thread has ended: the process waits for the checkpoint and the close.
      this.worker.ref();
      const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
      try {
        await this.request({ op: 'close' });
      } finally {
        this.broken = new Error('the store is closed');
        this.worker.ref();
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
      clearTimeout(timer);
    }
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    if (!this.broken) this.broken = this.closed ? new Error('the store is closed') : error;
    for (const p of this.pending.values()) p.reject(this.broken);
    this.pending.clear();
  }
}

/** Marks a compiled query as a bulk insert for the worker (see {@link bulkInsertQuery}). */
const BULK_INSERT = Symbol('trellis.bulkInsert');
type BulkInsertQuery = CompiledQuery & {
  [BULK_INSERT]: { table: string; columns: readonly string[]; values: readonly BulkValue[] };
};

/**
 * A "query" that carries `insert into table (columns)` for many rows (flat values, in column order) to
 * the worker in one message; there it runs as cached multi-row prepared statements. Executed through a
 * Kysely handle (`db.executeQuery`), so it runs on the connection of the caller's transaction, in turn.
 */
export function bulkInsertQuery(
  table: string,
  columns: readonly string[],
  values: readonly BulkValue[],
): CompiledQuery {
  const query: BulkInsertQuery = {
    ...CompiledQuery.raw(`/* bulk insert into ${table} */`, []),
    [BULK_INSERT]: { table, columns, values },
  };
  return query;
}

/** Rows in one message of a streamed query. */
const STREAM_CHUNK = 2000;

class WorkerConnection implements DatabaseConnection {
  constructor(private readonly client: SqliteWorkerClient) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const bulk = (compiled as Partial<BulkInsertQuery>)[BULK_INSERT];
    const reply = bulk
      ? await this.client.request({ op: 'insertRows', ...bulk })
      : await this.client.request({ op: 'query', sql: compiled.sql, params: compiled.parameters });
    if (reply.kind === 'rows') return { rows: reply.rows as R[] };
    if (reply.kind === 'run')
      return {
        numAffectedRows: BigInt(reply.changes),
        insertId: BigInt(reply.lastInsertRowid),
        rows: [],
      };
    throw new Error(`unexpected reply ${reply.kind} from the SQLite worker`);
  }

  async *streamQuery<R>(compiled: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    yield* streamRows<R>(this.client, compiled.sql, compiled.parameters, chunkSize);
  }
}

/** Streams a query's rows from the worker, `chunkSize` rows a message. */
async function* streamRows<R>(
  client: SqliteWorkerClient,
  sql: string,
  params: readonly unknown[],
  chunkSize = STREAM_CHUNK,
): AsyncIterableIterator<QueryResult<R>> {
  const chunk = Math.max(1, chunkSize);
  let reply = await client.request({ op: 'streamOpen', sql, params, chunk });
  if (reply.kind !== 'chunk') throw new Error(`unexpected reply ${reply.kind} from the SQLite worker`);
  const cursor = reply.cursor;
  let done = false;
  try {
    for (;;) {
      if (reply.kind !== 'chunk') throw new Error(`unexpected reply ${reply.kind} from the SQLite worker`);
      done = reply.done;
      if (reply.rows.length > 0) yield { rows: reply.rows as R[] };
      if (done) return;
      reply = await client.request({ op: 'streamNext', cursor, chunk });
    }
  } finally {
    // Stopped early (the consumer broke off or threw): the worker lets the cursor go.
    if (!done) await client.request({ op: 'streamClose', cursor }).catch(() => undefined);
  }
}

/** One connection, one transaction at a time: the same mutex as Kysely's own SQLite driver. */
class ConnectionMutex {
  private promise: Promise<void> | undefined;
  private resolve: (() => void) | undefined;

  async lock(): Promise<void> {
    while (this.promise) await this.promise;
    this.promise = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  unlock(): void {
    const resolve = this.resolve;
    this.promise = undefined;
    this.resolve = undefined;
    resolve?.();
  }
}

class WorkerDriver implements Driver {
  private readonly mutex = new ConnectionMutex();
  private readonly connection: WorkerConnection;

  constructor(private readonly client: SqliteWorkerClient) {
    this.connection = new WorkerConnection(client);
  }

  init(): Promise<void> {
    return Promise.resolve();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteName(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoteName(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoteName(name)}`));
  }

  releaseConnection(): Promise<void> {
    this.mutex.unlock();
    return Promise.resolve();
  }

  destroy(): Promise<void> {
    return this.client.close();
  }
}

const quoteName = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Kysely over a SQLite connection that lives on a worker thread ({@link SqliteWorkerClient}): each query
 * (SQL text and parameters) is posted there and runs as a cached prepared statement. Transactions and
 * savepoints are statements on that one connection, serialised by the driver's mutex. A write lock held by
 * another connection is waited for in the worker (its busy_timeout) and, beyond that, retried after an
 * asynchronous back-off with the connection released ({@link AsyncBusyDriver}), so reads go on meanwhile.
 */
export class WorkerSqliteDialect implements Dialect {
  constructor(private readonly client: SqliteWorkerClient) {}

  createDriver(): Driver {
    const client = this.client;
    return new AsyncBusyDriver(new WorkerDriver(client), {
      inTransaction: () => client.inTransaction,
      // Only the demo loader attaches files, and it runs on a main-thread connection.
      hasAttachedDatabases: () => false,
    });
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
