import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';

/** A random secret: `<prefix>_<43 base64url chars>` (256 bits). Shown once; only its hash is stored. */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 of a high-entropy secret (session, token, reset): enough, as these are not guessable. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Passwords: argon2id with the library's defaults (19 MiB, 2 passes), salted per hash. */
export function hashPassword(password: string): Promise<string> {
  return argonHash(password);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argonVerify(hash, password);
  } catch {
    return false;
  }
}

/** A digest of a record's state for the audit trail (canonical JSON, keys sorted). */
export function digest(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return createHash('sha256')
    .update(canonicalJson(value) ?? '')
    .digest('hex');
}

/**
 * JSON with object keys in code-unit order and undefined members left out, built in one string (it runs
 * on every audited change: an order's digest covers its lines).
 */
function canonicalJson(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    let out = '[';
    // An element JSON cannot write (undefined) writes nothing, as join writes it.
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + (canonicalJson(value[i]) ?? '');
    return `${out}]`;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, as `<` on strings does.
    const keys = Object.keys(record).sort();
    let out = '{';
    let first = true;
    for (const k of keys) {
      const v = record[k];
      if (v === undefined) continue;
      out += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalJson(v)}`;
      first = false;
    }
    return `${out}}`;
  }
  return JSON.stringify(value);
}
