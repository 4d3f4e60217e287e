import { lastOpenedStore } from '../app/store.js';
import { TrellisError } from '../core/shared/errors.js';

/** Shared by every command: one clear message and a non-zero exit; a stack trace only with --verbose. */
export async function runCommand(verbose: boolean, body: () => Promise<number | void>): Promise<void> {
  try {
    const code = await body();
    if (typeof code === 'number' && code !== 0) process.exitCode = code;
  } catch (e) {
    if (e instanceof TrellisError) {
      process.stderr.write(`trellis: ${e.message}\n`);
      for (const d of e.details) process.stderr.write(`  ${d.location}: ${d.message}\n`);
      const note = emptyStoreNote();
      if (note) process.stderr.write(note);
    } else {
      process.stderr.write(`trellis: ${(e as Error).message ?? String(e)}\n`);
    }
    if (verbose && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : 1;
  }
}

/**
 * When a command failed on a store that holds nothing (typically run outside the project without
 * TRELLIS_DATA_DIR, which creates a new database under ./data), says which store was opened and that it
 * is empty, so "program not found" is not taken for a missing program.
 */
export function emptyStoreNote(): string | null {
  const opened = lastOpenedStore();
  if (!opened || opened.empty !== true) return null;
  return (
    `trellis: the store opened is ${opened.kind} ${opened.location}${opened.created ? ', created just now,' : ''} and it is empty (no vendors).\n` +
    '  Point TRELLIS_DATA_DIR (SQLite) or DATABASE_URL (PostgreSQL) at your data, or load data first (`trellis demo`, `trellis program publish`).\n'
  );
}
