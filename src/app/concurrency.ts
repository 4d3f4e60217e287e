import { TrellisError } from '../core/shared/errors.js';
import { isConcurrencyError, isSerializationFailure } from '../db/concurrency.js';

export { isConcurrencyError, isSerializationFailure };

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

/**
 * Runs a short transaction (or a single statement) again when the store aborted it for a race it could not
 * order (PostgreSQL's serialization failure or deadlock, which SERIALIZABLE raises even on a plain insert or
 * read; SQLite busy): up to `attempts` times, waiting a random while that grows with each attempt (so runs
 * that collided do not retry in step and collide again), then lets the error through. A unique violation
 * is not retried (the race was decided). The retried work re-reads what it decides on, so a retry that
 * finds the row moved meanwhile answers as any loser does (a conflict).
 */
export async function retryOnRace<T>(run: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (attempt >= attempts || !isSerializationFailure(e)) throw e;
      const most = 10 * attempt * attempt;
      await new Promise((resolve) => setTimeout(resolve, most / 2 + Math.random() * most));
    }
  }
}
