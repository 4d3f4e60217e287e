import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/**
 * The proof files of a claim must exist and be the claiming partner's own uploads (`POST /api/files`).
 * The check belongs to the files feature (`requireOwnFiles`, src/app/files): this is the one place the
 * claim use case asks it, so the MDF code does not depend on how files are stored.
 */
export async function requireProofFiles(
  _db: Kysely<Database>,
  _owner: { vendorId: string; partnerId: string },
  _fileIds: readonly string[],
): Promise<void> {
  // Until the files feature lands (branch `files`), ids are only checked for shape by the route.
}
