import { TrellisError } from '../../core/shared/errors.js';
import type { Store } from '../../db/connection.js';
import { citusPlan, type CitusPlan } from '../../db/postgres/citus.js';

/**
 * `trellis db citus`: the calls that distribute this PostgreSQL schema on Citus by vendor (docs/operations.md,
 * "Distributing by vendor on Citus"). Reads the catalog only; writes nothing.
 */
export async function distributionPlan(store: Store): Promise<CitusPlan> {
  if (store.capabilities.kind !== 'postgres')
    throw new TrellisError(
      'invalid_config',
      'Citus distributes PostgreSQL: set DATABASE_URL to the coordinator (this store is SQLite)',
      [{ location: 'DATABASE_URL', message: 'unset' }],
    );
  try {
    return await citusPlan(store.db);
  } catch (e) {
    if (e instanceof Error && /cannot be distributed/.test(e.message))
      throw new TrellisError('conflict', e.message);
    throw e;
  }
}
