/**
 * Finds one entry of a zip file by name through its central directory (the authoritative list; a
 * local header alone can be forged), for reading an Office document's `[Content_Types].xml`. Pure: the
 * caller inflates the returned data (method 8) with a bound on its size. Zip64 and encrypted entries are
 * not read (null), so such a file is treated as an archive and refused.
 */
export interface ZipEntry {
  /** 0 = stored, 8 = deflated. */
  method: 0 | 8;
  /** The entry's bytes as stored (compressed for method 8). */
  data: Uint8Array;
  uncompressedSize: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function zipEntry(bytes: Uint8Array, name: string): ZipEntry | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number) => (at + 4 <= bytes.length ? view.getUint32(at, true) : -1);
  const u16 = (at: number) => (at + 2 <= bytes.length ? view.getUint16(at, true) : -1);
  // The end-of-central-directory record: 22 bytes plus a comment of at most 65,535.
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65_535); at--)
    if (u32(at) === EOCD) {
      eocd = at;
      break;
    }
  if (eocd < 0) return null;
  const count = u16(eocd + 10);
  const dirSize = u32(eocd + 12);
  const dirStart = u32(eocd + 16);
  if (count < 0 || dirStart < 0 || dirSize < 0 || dirStart === 0xffffffff || dirStart + dirSize > eocd)
    return null;
  const wanted = new TextEncoder().encode(name);
  let at = dirStart;
  for (let i = 0; i < count; i++) {
    if (u32(at) !== CENTRAL) return null;
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const compressed = u32(at + 20);
    const uncompressed = u32(at + 24);
    const nameLen = u16(at + 28);
    const extraLen = u16(at + 30);
    const commentLen = u16(at + 32);
    const localAt = u32(at + 42);
    const entryName = bytes.subarray(at + 46, at + 46 + nameLen);
    if (entryName.length === wanted.length && entryName.every((b, j) => b === wanted[j])) {
      if ((flags & 1) !== 0 || (method !== 0 && method !== 8)) return null;
      if (compressed === 0xffffffff || uncompressed === 0xffffffff || localAt === 0xffffffff) return null;
      if (u32(localAt) !== LOCAL) return null;
      const start = localAt + 30 + u16(localAt + 26) + u16(localAt + 28);
      if (start + compressed > bytes.length) return null;
      return { method, data: bytes.subarray(start, start + compressed), uncompressedSize: uncompressed };
    }
    at += 46 + nameLen + extraLen + commentLen;
  }
  return null;
}
