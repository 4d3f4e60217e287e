import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TrellisError } from '../../core/shared/errors.js';
import type { FilesConfig } from '../config.js';

/**
 * Where stored files' bytes live (docs/files.md). Keys are `<vendor id>/<sha256 hex>`: content-addressed
 * within a vendor, so the same bytes uploaded twice are one object (each upload keeps its own row), and
 * writing a key again writes the same bytes. A `put` is whole or nothing: a reader never sees a part.
 * Another store (an S3-compatible bucket) implements the same three calls.
 */
export interface FileStore {
  /** Stores the bytes under the key, replacing nothing but the same content; resolves once durable. */
  put(key: string, source: Readable | Buffer): Promise<void>;
  /** The bytes under the key, or null when there are none. */
  open(key: string): Promise<Readable | null>;
  /** Removes the bytes under the key (nothing when absent). */
  remove(key: string): Promise<void>;
  /** A human-readable location for messages and `trellis` output (a folder, a bucket). */
  readonly location: string;
}

const KEY = /^[A-Za-z0-9_-]{1,80}\/[0-9a-f]{64}$/;

/** The key of a vendor's bytes with this SHA-256. */
export function storageKeyOf(vendorId: string, sha256: string): string {
  const key = `${vendorId}/${sha256}`;
  checkKey(key);
  return key;
}

function checkKey(key: string): void {
  // Never a path outside the store: keys are made by storageKeyOf, this refuses anything else.
  if (!KEY.test(key)) throw new TrellisError('invalid_input', `not a stored file key: ${key}`);
}

/**
 * Files on the local disk under `root` (`<TRELLIS_DATA_DIR>/files`): `<vendor>/<first two hex>/<sha256>`,
 * written to a temporary file in `<root>/.tmp` (the same file system) and renamed into place, folders
 * 0700 and files 0600 (the server's user only).
 */
export function diskFileStore(root: string): FileStore {
  const pathOf = (key: string) => {
    checkKey(key);
    const [vendor, sha] = key.split('/') as [string, string];
    return join(root, vendor, sha.slice(0, 2), sha);
  };
  const tmpDir = join(root, '.tmp');
  return {
    location: root,
    async put(key, source) {
      const target = pathOf(key);
      await mkdir(tmpDir, { recursive: true, mode: 0o700 });
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      const tmp = join(tmpDir, `put-${randomBytes(8).toString('hex')}`);
      try {
        const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
        await pipeline(input, createWriteStream(tmp, { mode: 0o600, flags: 'wx', flush: true }));
        await chmod(tmp, 0o600);
        await rename(tmp, target);
      } catch (e) {
        await rm(tmp, { force: true });
        throw e;
      }
    },
    async open(key) {
      const path = pathOf(key);
      try {
        await stat(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
      return createReadStream(path);
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}

/** The store the configuration names (TRELLIS_FILE_STORE; only `disk` is built in). */
export function fileStoreOf(config: FilesConfig): FileStore {
  switch (config.store) {
    case 'disk':
      return diskFileStore(config.dir);
  }
}
