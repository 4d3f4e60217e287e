/**
 * The SQLite worker thread: owns the one better-sqlite3 connection of a store opened with
 * `thread: 'worker'` and runs what {@link WorkerSqliteDialect} posts to it, one message at a time, so that
 * SQLite's CPU time (and its waits for another connection's lock, `busy_timeout`) is spent on this thread
 * while the main thread serves HTTP. Statements are prepared once per SQL text and kept.
 *
 * Checkpoints: automatic checkpoints are off (they would run inside the commit of whichever request
 * crossed the threshold); a passive checkpoint runs from a timer here, between messages, when no
 * transaction is open and the connection has been idle a moment (or has not checkpointed for a while).
 * Closing the store truncates the WAL.
 */
import type { Statement } from 'better-sqlite3';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { insertRowsPrepared } from './bulk-insert.js';
import { openSqliteHandle, type SqliteHandle } from './open.js';
import type {
  SqliteErrorData,
  SqliteReply,
  SqliteRequest,
  SqliteWorkerData,
  SqliteWorkerStarted,
} from './worker-protocol.js';

/** Most statements kept prepared (texts with `in (?, ?, ...)` lists vary with the list's length). */
const MAX_STATEMENTS = 2000;
/** A checkpoint waits for this much quiet on the connection... */
const IDLE_MS = 25;
/** ...but not longer than this since the last one, so the WAL stays bounded under steady load. */
const MAX_CHECKPOINT_GAP_MS = 10_000;

const port = parentPort;
if (!port) throw new Error('sqlite-worker runs as a worker thread');
const data = workerData as SqliteWorkerData;

const errorData = (e: unknown): SqliteErrorData => {
  const error = e instanceof Error ? e : new Error(String(e));
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, code: typeof code === 'string' ? code : undefined };
};

let opened: SqliteHandle | null = null;
try {
  opened = openSqliteHandle(data.file, { busyTimeoutMs: data.busyTimeoutMs });
  opened.pragma('wal_autocheckpoint = 0');
} catch (e) {
  // Reported as a message (the main thread rebuilds the error with its code); the thread then ends.
  opened?.close();
  opened = null;
  port.postMessage({ kind: 'failed', error: errorData(e) } satisfies SqliteWorkerStarted);
  port.close();
}
if (opened) serve(port, opened);

function serve(port: MessagePort, db: SqliteHandle): void {
  const statements = new Map<string, Statement>();
  const prepared = (sql: string): Statement => {
    let st = statements.get(sql);
    if (st === undefined) {
      st = db.prepare(sql);
      if (statements.size >= MAX_STATEMENTS) {
        const oldest = statements.keys().next().value as string;
        statements.delete(oldest);
      }
      statements.set(sql, st);
    }
    return st;
  };

  const cursors = new Map<number, IterableIterator<unknown>>();
  let nextCursor = 1;

  const take = (it: IterableIterator<unknown>, chunk: number): { rows: unknown[]; done: boolean } => {
    const rows: unknown[] = [];
    while (rows.length < chunk) {
      const r = it.next();
      if (r.done) return { rows, done: true };
      rows.push(r.value);
    }
    return { rows, done: false };
  };

  let lastMessageAt = Date.now();
  let lastCheckpointAt = Date.now();
  let written = false;
  const fileBacked = data.file !== ':memory:' && data.file !== '';

  type Reply = SqliteReply extends infer R
    ? R extends unknown
      ? Omit<R, 'id' | 'inTransaction'>
      : never
    : never;

  function handle(m: SqliteRequest): Reply {
    switch (m.op) {
      case 'query': {
        const st = prepared(m.sql);
        if (st.reader) return { kind: 'rows', rows: st.all(m.params) };
        const { changes, lastInsertRowid } = st.run(m.params);
        written = true;
        return { kind: 'run', changes, lastInsertRowid };
      }
      case 'insertRows': {
        const changes = insertRowsPrepared(prepared, m.table, m.columns, m.values);
        written = true;
        return { kind: 'run', changes, lastInsertRowid: 0 };
      }
      case 'streamOpen': {
        // A fresh statement: a cached one may not be iterated while it is also used for another query.
        const st = db.prepare(m.sql);
        if (!st.reader) throw new Error('only a query that returns rows can be streamed');
        const it = st.iterate(m.params);
        const { rows, done } = take(it, m.chunk);
        const cursor = nextCursor++;
        if (!done) cursors.set(cursor, it);
        return { kind: 'chunk', cursor, rows, done };
      }
      case 'streamNext': {
        const it = cursors.get(m.cursor);
        if (!it) return { kind: 'chunk', cursor: m.cursor, rows: [], done: true };
        const { rows, done } = take(it, m.chunk);
        if (done) cursors.delete(m.cursor);
        return { kind: 'chunk', cursor: m.cursor, rows, done };
      }
      case 'streamClose': {
        cursors.get(m.cursor)?.return?.();
        cursors.delete(m.cursor);
        return { kind: 'done' };
      }
      case 'close': {
        clearInterval(timer);
        for (const it of cursors.values()) it.return?.();
        cursors.clear();
        try {
          if (fileBacked && !db.inTransaction) db.pragma('wal_checkpoint(TRUNCATE)');
        } finally {
          db.close();
        }
        return { kind: 'done' };
      }
    }
  }

  port.on('message', (m: SqliteRequest) => {
    lastMessageAt = Date.now();
    let reply: Reply;
    try {
      reply = handle(m);
    } catch (e) {
      reply = { kind: 'error', error: errorData(e) };
    }
    const inTransaction = m.op === 'close' ? false : db.inTransaction;
    port.postMessage({ ...reply, id: m.id, inTransaction } as SqliteReply);
    if (m.op === 'close') port.close();
  });

  const timer = setInterval(
    () => {
      if (!fileBacked || !written || db.inTransaction || cursors.size > 0) return;
      const now = Date.now();
      if (now - lastMessageAt < IDLE_MS && now - lastCheckpointAt < MAX_CHECKPOINT_GAP_MS) return;
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
        written = false;
        lastCheckpointAt = now;
      } catch {
        // Another connection holds what the checkpoint needs: the next tick tries again.
      }
    },
    Math.max(5, data.checkpointEveryMs || 1_000_000),
  );
  if (!data.checkpointEveryMs) clearInterval(timer);

  port.postMessage({ kind: 'ready' } satisfies SqliteWorkerStarted);
}
