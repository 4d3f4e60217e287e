import { currentSchemaVersion, LATEST_MIGRATION } from '../db/migrator.js';
import { pingStore } from '../db/ping.js';
import type { AppContext } from './context.js';

/**
 * What the public health check says: whether the server can serve, and the schema version. Nothing about
 * where the data lives (database user, host, port, name or file path): operators read that in the logs
 * and from `trellis db status`.
 */
export interface Health {
  status: 'ok' | 'degraded';
  schema: { version: string | null; latest: string; upToDate: boolean };
}

export async function checkHealth(ctx: AppContext): Promise<Health> {
  const reachable = await pingStore(ctx.store.db);
  const version = reachable ? await currentSchemaVersion(ctx.store.db).catch(() => null) : null;
  const upToDate = version === LATEST_MIGRATION;
  return {
    status: reachable && upToDate ? 'ok' : 'degraded',
    schema: { version, latest: LATEST_MIGRATION, upToDate },
  };
}
