import { TrellisError } from '../core/shared/errors.js';
import { isConcurrencyError } from '../db/concurrency.js';

export { isConcurrencyError };

/**
 * Runs a use case whose invariants the database holds (conditional updates, unique keys): when the store
 * reports that a concurrent request won the race (a unique violation, a serialization failure or a
 * deadlock, whatever the isolation level), the loser gets a 409 conflict naming `what`, never a 500.
 */
export async function losingRaceIsConflict<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isConcurrencyError(e))
      throw new TrellisError(
        'conflict',
        `${what} was changed by another request at the same time; read it again`,
      );
    throw e;
  }
}
