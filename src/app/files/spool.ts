import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import {
  classify,
  HEAD_BYTES,
  officeKindOf,
  sniff,
  textCheck,
  type Classification,
} from '../../core/files/file-kinds.js';
import { zipEntry } from '../../core/files/zip-entry.js';

/** An upload received whole into a temporary file, with what was learnt while it streamed. */
export interface Spooled {
  path: string;
  sizeBytes: number;
  sha256: string;
  head: Uint8Array;
  headText: string;
  isText: boolean;
}

/** The upload went past the limit: reading stopped there and nothing was kept. */
export class UploadTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`upload larger than ${limit} bytes`);
  }
}

/**
 * Receives an upload into `<dir>/upload-<random>` (0600), hashing it, counting it and checking it is text
 * as it streams; past `limit` bytes it stops reading, removes the file and throws UploadTooLarge. On any
 * failure the temporary file is removed; on success the caller removes it (`discard`).
 */
export async function spoolUpload(source: Readable | Buffer, dir: string, limit: number): Promise<Spooled> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `upload-${randomBytes(8).toString('hex')}`);
  const file = await open(path, 'wx', 0o600);
  const hash = createHash('sha256');
  const text = textCheck();
  const headChunks: Buffer[] = [];
  let headLength = 0;
  let size = 0;
  try {
    const chunks: AsyncIterable<Buffer> | Buffer[] = Buffer.isBuffer(source) ? [source] : source;
    for await (const raw of chunks) {
      const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as Uint8Array);
      size += chunk.length;
      if (size > limit) throw new UploadTooLarge(limit);
      hash.update(chunk);
      text.push(chunk);
      if (headLength < 1024) {
        headChunks.push(chunk.subarray(0, 1024 - headLength));
        headLength += Math.min(chunk.length, 1024 - headLength);
      }
      await file.write(chunk);
    }
    await file.close();
  } catch (e) {
    await file.close().catch(() => undefined);
    await rm(path, { force: true });
    // Whatever of the upload is left is read and dropped, so the request ends cleanly.
    if (!Buffer.isBuffer(source)) source.resume();
    throw e;
  }
  const head = Buffer.concat(headChunks);
  return {
    path,
    sizeBytes: size,
    sha256: hash.digest('hex'),
    head: head.subarray(0, HEAD_BYTES),
    headText: new TextDecoder('utf-8', { fatal: false }).decode(head),
    isText: text.end(),
  };
}

/** At most this much of an Office document's `[Content_Types].xml` is inflated (a zip bomb stops here). */
const MAX_CONTENT_TYPES_BYTES = 1024 * 1024;

/** What the spooled bytes are (reads a zip's `[Content_Types].xml` when the head shows a zip). */
export async function classifySpooled(spooled: Spooled, fileName: string): Promise<Classification> {
  const sniffed = sniff(spooled.head);
  let officeKind = null;
  if (sniffed.kind === 'zip') {
    const entry = zipEntry(await readFile(spooled.path), '[Content_Types].xml');
    let xml: string | null = null;
    if (entry && entry.uncompressedSize <= MAX_CONTENT_TYPES_BYTES) {
      try {
        const bytes =
          entry.method === 0
            ? entry.data
            : inflateRawSync(entry.data, { maxOutputLength: MAX_CONTENT_TYPES_BYTES });
        xml = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        xml = null;
      }
    }
    officeKind = officeKindOf(xml);
  }
  return classify({ fileName, sniffed, isText: spooled.isText, headText: spooled.headText, officeKind });
}
