import {
  CompiledQuery,
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type SqliteDialectConfig,
  type TransactionSettings,
} from 'kysely';
import { hasAttachedDatabases, type SqliteHandle } from './open.js';

/** How long a write waits for another connection's (another thread's) write transaction, at most. */
export const BUSY_WAIT_MS = 30_000;

/** Thrown when a write waited BUSY_WAIT_MS for the lock: the HTTP edge answers 503 with Retry-After. */
export class StoreBusyError extends Error {
  readonly code = 'SQLITE_BUSY';
}

const isBusy = (e: unknown) => /^SQLITE_BUSY/.test(String((e as { code?: unknown }).code ?? ''));

/** What the retrying driver asks of the one connection, wherever it lives (this thread or a worker). */
export interface SqliteConnectionState {
  /** A transaction is open on the connection (a busy statement inside it is not retried alone). */
  inTransaction(): boolean;
  /** Other database files are attached (then a transaction begins deferred, see beginTransaction). */
  hasAttachedDatabases(): boolean;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SQLite where waiting for the write lock never blocks the thread. better-sqlite3 is synchronous: its
 * `busy_timeout` waits inside the call, so a request queued behind another thread's write transaction
 * (a close on a job worker) would freeze the event loop. Here busy_timeout is 0 and a busy lock is retried
 * after an asynchronous back-off instead, with the connection released meanwhile so reads go on:
 *
 * - a transaction begins `immediate` (it takes the write lock at once, so it cannot fail half-way when
 *   another connection wrote since it started reading); a `read only` transaction begins deferred and
 *   takes no write lock at all;
 * - a statement outside a transaction is retried as it is.
 */
export class AsyncBusySqliteDialect extends SqliteDialect {
  constructor(
    private readonly handle: SqliteHandle,
    config: Omit<SqliteDialectConfig, 'database'> = {},
  ) {
    super({ ...config, database: handle });
  }

  override createDriver(): Driver {
    const handle = this.handle;
    return new AsyncBusyDriver(super.createDriver(), {
      inTransaction: () => handle.inTransaction,
      hasAttachedDatabases: () => hasAttachedDatabases(handle),
    });
  }
}

/** Wraps a single-connection SQLite driver (with its own mutex) with the asynchronous busy retries. */
export class AsyncBusyDriver implements Driver {
  private wrapped: DatabaseConnection | null = null;

  constructor(
    private readonly inner: Driver,
    private readonly state: SqliteConnectionState,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    if (!this.wrapped) this.wrapped = retryingConnection(connection, this.state, this.inner);
    return this.wrapped;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    // `begin immediate` would also lock every attached database, among them the sidecar files the demo
    // loader's other thread is writing: with databases attached, the transaction begins deferred.
    const deferred = settings.accessMode === 'read only' || this.state.hasAttachedDatabases();
    const begin = CompiledQuery.raw(deferred ? 'begin' : 'begin immediate');
    const deadline = Date.now() + BUSY_WAIT_MS;
    for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
      try {
        await connection.executeQuery(begin);
        return;
      } catch (e) {
        if (!isBusy(e)) throw e;
        if (Date.now() > deadline) throw new StoreBusyError('the store is busy with another write; retry');
      }
      // Let the connection serve others (reads) while this transaction waits for the lock.
      await this.inner.releaseConnection(connection);
      await sleep(wait);
      await this.inner.acquireConnection();
    }
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  savepoint: NonNullable<Driver['savepoint']> = (connection, name, compile) =>
    (this.inner.savepoint as NonNullable<Driver['savepoint']>)(connection, name, compile);

  rollbackToSavepoint: NonNullable<Driver['rollbackToSavepoint']> = (connection, name, compile) =>
    (this.inner.rollbackToSavepoint as NonNullable<Driver['rollbackToSavepoint']>)(connection, name, compile);

  releaseSavepoint: NonNullable<Driver['releaseSavepoint']> = (connection, name, compile) =>
    (this.inner.releaseSavepoint as NonNullable<Driver['releaseSavepoint']>)(connection, name, compile);

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/**
 * Retries a statement that found the store busy, when it runs outside a transaction, with the connection
 * released while it waits (a lone statement holds nothing across attempts), so reads go on.
 */
function retryingConnection(
  inner: DatabaseConnection,
  state: SqliteConnectionState,
  driver: Driver,
): DatabaseConnection {
  return {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      const deadline = Date.now() + BUSY_WAIT_MS;
      for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
        try {
          return await inner.executeQuery<R>(query);
        } catch (e) {
          if (!isBusy(e) || state.inTransaction()) throw e;
          if (Date.now() > deadline) throw new StoreBusyError('the store is busy with another write; retry');
        }
        await driver.releaseConnection(inner);
        await sleep(wait);
        await driver.acquireConnection();
      }
    },
    streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => inner.streamQuery<R>(query, chunkSize),
  };
}
