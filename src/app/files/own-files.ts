import type { Kysely } from 'kysely';
import { TrellisError } from '../../core/shared/errors.js';
import { storedFileRepository, type FileOwner } from '../../db/repositories/stored-file-repository.js';
import type { Database } from '../../db/schema.js';
import { storedFileView, type StoredFile } from './files.js';

/**
 * For use cases that attach stored files to a record (an MDF claim's proof): inside their transaction
 * (`db` is the transaction handle), the files `ids` must exist and belong to exactly this owner: uploaded
 * for `vendorId` by the people of `partnerId` (or, with `partnerId: null`, by the vendor's own people).
 * Returns their records in the order of `ids` (a repeated id once). Any other id, missing or someone
 * else's alike, is refused with a 400 naming it and where it was given (`location`, default `fileIds`),
 * never saying whether it exists.
 */
export async function requireOwnFiles(
  db: Kysely<Database>,
  owner: FileOwner,
  ids: readonly string[],
  options: { location?: string } = {},
): Promise<StoredFile[]> {
  const location = options.location ?? 'fileIds';
  const unique = [...new Set(ids)];
  const rows = await storedFileRepository(db).ownedBy(owner, unique);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const missing = unique.filter((id) => !byId.has(id));
  if (missing.length > 0) {
    const whose =
      owner.partnerId === null
        ? `vendor ${owner.vendorId}`
        : `partner ${owner.partnerId} for vendor ${owner.vendorId}`;
    throw new TrellisError(
      'invalid_input',
      `no file ${missing.join(', ')} was uploaded by ${whose}; upload it first (POST /api/files)`,
      missing.map((id) => ({
        location: `${location}.${ids.indexOf(id)}`,
        message: `file ${id} was not found among the files of ${whose}`,
      })),
      { messageKey: 'fileNotOwned', params: { id: missing.join(', ') } },
    );
  }
  return unique.map((id) => storedFileView(byId.get(id) as NonNullable<ReturnType<typeof byId.get>>));
}
