/**
 * Starts a worker thread on the module `name` beside `callerUrl` (the caller's `import.meta.url`), from the
 * build or from the TypeScript sources: the one starter, which lives with the SQLite worker in src/db.
 */
export { startWorkerBeside as startWorker } from '../db/sqlite/start-worker.js';
