import { sql } from 'kysely';
import { currentSchemaVersion, LATEST_MIGRATION } from '../db/migrator.js';
import type { AppContext } from './context.js';

export interface Health {
  status: 'ok' | 'degraded';
  database: { kind: 'sqlite' | 'postgres'; location: string; reachable: boolean };
  schema: { version: string | null; latest: string; upToDate: boolean };
}

export async function checkHealth(ctx: AppContext): Promise<Health> {
  let reachable = true;
  let version: string | null = null;
  try {
    await sql`select 1`.execute(ctx.store.db);
    version = await currentSchemaVersion(ctx.store.db);
  } catch {
    reachable = false;
  }
  const upToDate = version === LATEST_MIGRATION;
  return {
    status: reachable && upToDate ? 'ok' : 'degraded',
    database: { kind: ctx.store.capabilities.kind, location: ctx.store.location, reachable },
    schema: { version, latest: LATEST_MIGRATION, upToDate },
  };
}
