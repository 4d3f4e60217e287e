import { createRequire } from 'node:module';
import { isMainThread, Worker } from 'node:worker_threads';
import type { Store } from '../connection.js';

/** How often the background connection runs a passive checkpoint (when the WAL holds new frames). */
const EVERY_MS = 50;
/**
 * The main connection's own automatic checkpoint, kept as a safety net only: it runs inside a commit, and
 * only if the WAL grew this many pages (16 KiB each: 256 MiB) because the background ones fell behind.
 */
const SAFETY_NET_PAGES = 16_384;

/**
 * The checkpointer thread: its own connection to the same file, a passive checkpoint on a timer. A passive
 * checkpoint never waits for the writer nor blocks it: it copies the frames every reader is done with into
 * the database file, and the writer's next transaction restarts the WAL from its beginning once all are
 * copied. Plain JavaScript, so it runs the same from the build and from the TypeScript sources.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 0');
db.pragma('wal_autocheckpoint = 0');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: the next tick tries again */ }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { db.close(); } finally { parentPort.postMessage('closed'); parentPort.close(); }
});
`;

const running = new WeakMap<object, Worker>();

/**
 * Keeps WAL checkpoints off the request path of a SQLite file served on the main thread: SQLite's automatic
 * checkpoint runs inside the commit of whichever transaction crossed the threshold (a request's, with an
 * fsync), so here a thread of its own runs them instead, on the other core, and the main connection's
 * automatic one is pushed out to a safety net. Started once per store (group commit starts it on the first
 * order); the store's close stops the thread first, so the last connection to close is the store's own
 * (which then checkpoints and removes the WAL as before). Does nothing for in-memory databases, a worker
 * thread connection (its worker checkpoints between messages) or off the main thread (job threads).
 */
export function backgroundCheckpoints(store: Store): void {
  const handle = store.sqlite;
  if (!handle || !isMainThread || handle.memory || running.has(handle)) return;
  if ((handle.pragma('journal_mode', { simple: true }) as string) !== 'wal') return;
  const worker = new Worker(SOURCE, {
    eval: true,
    workerData: {
      file: handle.name,
      everyMs: EVERY_MS,
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
    },
  });
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let alive = true;
  // A thread that fails (the file went away) only means the main connection checkpoints by itself again.
  worker.on('error', () => {
    alive = false;
    if (handle.open) handle.pragma('wal_autocheckpoint = 1000');
  });
  void exited.then(() => (alive = false));
  running.set(handle, worker);
  handle.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  const close = store.close.bind(store);
  store.close = async () => {
    // Referenced again until it has ended, or the process could exit while the close awaits it.
    worker.ref();
    if (alive) worker.postMessage('close');
    await exited;
    running.delete(handle);
    await close();
  };
}
