import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { requireOwnFiles } from '../files/own-files.js';

/**
 * The proof files of a claim must exist and be the claiming partner's own uploads for the activity's
 * vendor (`POST /api/files`): the files feature decides (`requireOwnFiles`), inside the claim's
 * transaction; any other id is refused with a 400 naming it, never saying whether it exists.
 */
export async function requireProofFiles(
  db: Kysely<Database>,
  owner: { vendorId: string; partnerId: string },
  fileIds: readonly string[],
): Promise<void> {
  await requireOwnFiles(db, owner, fileIds, { location: 'body.files' });
}
