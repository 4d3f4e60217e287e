import { dropTestDatabases, runId } from './pg-databases.js';

/**
 * vitest's global setup: names the run (its PostgreSQL test databases carry the name) and, when it ends,
 * drops them (test/support/pg-databases.ts).
 */
export default function setup(): () => Promise<void> {
  const run = runId();
  return async () => {
    const url = process.env.TRELLIS_TEST_DATABASE_URL;
    if (!url) return;
    const dropped = await dropTestDatabases(url, run);
    if (dropped > 0) console.log(`dropped ${dropped} PostgreSQL test databases`);
  };
}
