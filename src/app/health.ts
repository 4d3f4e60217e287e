import { currentSchemaVersion, LATEST_MIGRATION } from '../db/migrator.js';
import { pingStore } from '../db/ping.js';
import type { AppContext } from './context.js';

export interface Health {
  status: 'ok' | 'degraded';
  database: { kind: 'sqlite' | 'postgres'; location: string; reachable: boolean };
  schema: { version: string | null; latest: string; upToDate: boolean };
}

export async function checkHealth(ctx: AppContext): Promise<Health> {
  const reachable = await pingStore(ctx.store.db);
  const version = reachable ? await currentSchemaVersion(ctx.store.db).catch(() => null) : null;
  const upToDate = version === LATEST_MIGRATION;
  return {
    status: reachable && upToDate ? 'ok' : 'degraded',
    database: { kind: ctx.store.capabilities.kind, location: ctx.store.location, reachable },
    schema: { version, latest: LATEST_MIGRATION, upToDate },
  };
}
