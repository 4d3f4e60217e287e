/**
 * Errors a store raises when two transactions race for the same row or key and the database, not the
 * code, decided the winner: a unique violation, a serialization failure (REPEATABLE READ, SERIALIZABLE),
 * a deadlock, or SQLite's busy/unique constraint. Use cases turn them into a 409 conflict; they are never
 * a server fault.
 */
const PG_CODES = new Set(['23505', '40001', '40P01']);
const SQLITE_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_BUSY']);

export function isConcurrencyError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null || !('code' in e)) return false;
  const code = (e as { code: unknown }).code;
  return typeof code === 'string' && (PG_CODES.has(code) || SQLITE_CODES.has(code));
}

const PG_RETRYABLE = new Set(['40001', '40P01']);

/**
 * The part of those a transaction run again can get past: PostgreSQL aborted it for a race it could not
 * order (a serialization failure, a deadlock) or SQLite found the database busy. A unique violation is not
 * one: the race was decided, and running again meets the same key.
 */
export function isSerializationFailure(e: unknown): boolean {
  if (typeof e !== 'object' || e === null || !('code' in e)) return false;
  const code = (e as { code: unknown }).code;
  return typeof code === 'string' && (PG_RETRYABLE.has(code) || code === 'SQLITE_BUSY');
}
