import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import { extensionOf, sanitizeFileName } from '../../core/files/file-kinds.js';
import { FILE_PURPOSES, isFilePurpose } from '../../core/files/purposes.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import { storedFileRepository, type StoredFileRow } from '../../db/repositories/stored-file-repository.js';
import { recordAudit } from '../access/audit.js';
import { retryOnRace } from '../concurrency.js';
import type { AppContext } from '../context.js';
import { storageKeyOf } from './file-store.js';
import { classifySpooled, spoolUpload, UploadTooLarge } from './spool.js';

/** A stored file as callers see it (the storage key stays inside). */
export interface StoredFile {
  id: string;
  vendorId: string;
  /** The partner that uploaded it; null = the vendor's people. */
  partnerId: string | null;
  purpose: string;
  fileName: string;
  /** Detected from the bytes. */
  contentType: string;
  sizeBytes: number;
  /** SHA-256 of the bytes, hex. */
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
}

/** Who is calling, as the other use cases take it. */
export interface FileCaller {
  actor: Actor;
  scope: Scope;
  requestId?: string | null;
}

export interface StoreFileInput {
  purpose: string;
  /** The uploader's name for it (sanitised before use). */
  fileName: string;
  /** For a partner enrolled with several vendors: which vendor the file is for. */
  vendorId?: string | undefined;
  /** The bytes, whole or as a stream (read once; past the size limit reading stops). */
  bytes?: Buffer | undefined;
  stream?: Readable | undefined;
}

export function storedFileView(row: StoredFileRow): StoredFile {
  return {
    id: row.id,
    vendorId: row.vendorId,
    partnerId: row.partnerId,
    purpose: row.purpose,
    fileName: row.fileName,
    contentType: row.contentType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    uploadedBy: row.uploadedBy,
    uploadedAt: row.uploadedAt,
  };
}

const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

/**
 * The vendor and partner a caller's upload belongs to: a vendor's people upload for their vendor; a
 * partner's for their partner and a vendor it is enrolled with (named by `vendorId` when it has several).
 * Refused before a byte is read.
 */
export async function uploadOwnerOf(
  ctx: AppContext,
  scope: Scope,
  vendorId: string | undefined,
): Promise<{ vendorId: string; partnerId: string | null }> {
  // The vendor named (id or slug), among those the caller sees: its own, or those its partner is enrolled with.
  const named = vendorId === undefined ? undefined : (await ctx.repos.vendors.get(scope, vendorId))?.id;
  if (vendorId !== undefined && named === undefined) throw notFound('vendor', vendorId);
  if (scope.kind === 'vendor') {
    if (named !== undefined && named !== scope.vendorId) throw notFound('vendor', vendorId ?? '');
    return { vendorId: scope.vendorId, partnerId: null };
  }
  if (scope.kind === 'partner') {
    const vendors = await storedFileRepository(ctx.store.db).vendorsOfPartner(scope.partnerId);
    if (named !== undefined) {
      if (!vendors.includes(named)) throw notFound('vendor', vendorId ?? '');
      return { vendorId: named, partnerId: scope.partnerId };
    }
    if (vendors.length === 1) return { vendorId: vendors[0] as string, partnerId: scope.partnerId };
    if (vendors.length === 0)
      throw new TrellisError(
        'forbidden',
        'your partner is enrolled with no vendor: there is nobody to upload to',
      );
    throw new TrellisError(
      'invalid_input',
      `your partner is enrolled with several vendors: name the one the file is for (vendorId: ${vendors.join(', ')})`,
      [{ location: 'vendorId', message: `required: one of ${vendors.join(', ')}` }],
    );
  }
  throw new TrellisError('forbidden', 'files are uploaded by a vendor or a partner');
}

/**
 * Stores an uploaded file for the caller's vendor or partner (docs/files.md): the bytes are received into a
 * temporary file (refused with 413 past TRELLIS_MAX_UPLOAD_BYTES, as they stream), checked (empty: 400; a
 * kind Trellis does not accept, or a name that disagrees with the bytes: 415), put in the file store under
 * their vendor and SHA-256, and only then the row and its audit event are written, in one transaction. A
 * refusal leaves nothing: no row, no object, no temporary file.
 */
export async function storeFile(
  ctx: AppContext,
  caller: FileCaller,
  input: StoreFileInput,
): Promise<StoredFile> {
  const source = input.bytes ?? input.stream;
  if (!source)
    throw new TrellisError('invalid_input', 'send one file', [{ location: 'file', message: 'required' }]);
  const drain = () => {
    if (input.stream && !input.bytes) input.stream.resume();
  };
  const purpose = input.purpose;
  if (!isFilePurpose(purpose)) {
    drain();
    throw new TrellisError('invalid_input', `purpose must be one of ${FILE_PURPOSES.join(', ')}`, [
      { location: 'purpose', message: `must be one of ${FILE_PURPOSES.join(', ')}` },
    ]);
  }
  let owner: { vendorId: string; partnerId: string | null };
  try {
    owner = await uploadOwnerOf(ctx, caller.scope, input.vendorId);
  } catch (e) {
    drain();
    throw e;
  }
  const fileName = sanitizeFileName(input.fileName);
  const { spoolDir, maxUploadBytes, store } = ctx.settings.files;

  let spooled;
  try {
    spooled = await spoolUpload(source, spoolDir, maxUploadBytes);
  } catch (e) {
    if (e instanceof UploadTooLarge)
      throw new TrellisError(
        'too_large',
        `${fileName} is larger than the ${mib(maxUploadBytes)} (${maxUploadBytes} bytes) an upload may be`,
        [{ location: 'file', message: `larger than ${maxUploadBytes} bytes` }],
        { messageKey: 'fileTooLarge', params: { name: fileName, limit: mib(maxUploadBytes) } },
      );
    throw e;
  }
  try {
    if (spooled.sizeBytes === 0)
      throw new TrellisError(
        'invalid_input',
        `${fileName} is empty`,
        [{ location: 'file', message: 'is empty' }],
        {
          messageKey: 'fileEmpty',
          params: { name: fileName },
        },
      );
    const verdict = await classifySpooled(spooled, fileName);
    if (!verdict.accepted)
      throw new TrellisError(
        'unsupported_type',
        verdict.reason,
        [{ location: 'file', message: verdict.reason }],
        {
          messageKey: verdict.problem === 'name' ? 'fileNameDisagrees' : 'fileTypeRefused',
          params: { name: fileName, extension: extensionOf(fileName) ?? '' },
        },
      );

    const key = storageKeyOf(owner.vendorId, spooled.sha256);
    await store.put(key, createReadStream(spooled.path));
    const row: StoredFileRow = {
      id: ctx.ids.next('storedFile'),
      vendorId: owner.vendorId,
      partnerId: owner.partnerId,
      purpose,
      fileName,
      contentType: verdict.contentType,
      sizeBytes: spooled.sizeBytes,
      sha256: spooled.sha256,
      storageKey: key,
      uploadedBy: caller.actor.kind === 'person' ? caller.actor.personId : caller.actor.tokenId,
      uploadedAt: ctx.clock.now().toISOString(),
    };
    // The bytes are stored before the row: a row never names missing bytes. Should this transaction fail,
    // the object stays without a row (content-addressed: the same upload again finds it; docs/files.md).
    await retryOnRace(() =>
      ctx.store.db.transaction().execute(async (trx) => {
        await storedFileRepository(trx).insert(row);
        await recordAudit(trx, ctx, {
          actor: caller.actor,
          action: 'file.upload',
          target: { type: 'stored-file', id: row.id, vendorId: row.vendorId, partnerId: row.partnerId },
          requestId: caller.requestId ?? null,
          detail: {
            purpose,
            fileName,
            contentType: row.contentType,
            sizeBytes: row.sizeBytes,
            sha256: row.sha256,
          },
        });
      }),
    );
    return storedFileView(row);
  } finally {
    await rm(spooled.path, { force: true });
  }
}

/** One stored file's record, in the caller's scope (outside it: not found). */
export async function getStoredFile(ctx: AppContext, scope: Scope, id: string): Promise<StoredFile> {
  const row = await storedFileRepository(ctx.store.db).get(scope, id);
  if (!row) throw notFound('file', id);
  return storedFileView(row);
}

/**
 * A stored file's record and its bytes, in the caller's scope: a partner opens its own partner's files, a
 * vendor its vendor's (a channel manager limited to regions: its vendor's own and its regions' partners').
 * Anything else is not found, whether or not it exists.
 */
export async function openStoredFile(
  ctx: AppContext,
  scope: Scope,
  id: string,
): Promise<{ file: StoredFile; stream: Readable }> {
  const row = await storedFileRepository(ctx.store.db).get(scope, id);
  if (!row) throw notFound('file', id);
  const stream = await ctx.settings.files.store.open(row.storageKey);
  if (!stream)
    throw new TrellisError('not_found', `the bytes of file ${id} are missing from the file store`, [], {
      messageKey: 'notFound',
      params: { what: 'file', id },
    });
  return { file: storedFileView(row), stream };
}
