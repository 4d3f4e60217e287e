import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TrellisError } from '../../core/shared/errors.js';

/**
 * Secrets Trellis must use later (an OIDC client secret), encrypted with AES-256-GCM under the
 * operator's key (TRELLIS_SECRETS_KEY, 32 bytes as base64 or hex). Stored as `v1.<iv>.<tag>.<data>`
 * (base64url). A secret is never returned by the API once saved.
 */
export function sealSecret(key: Buffer | null, plain: string): string {
  const k = requireKey(key);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', k, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

export function openSecret(key: Buffer | null, sealed: string): string {
  const k = requireKey(key);
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || data === undefined)
    throw new TrellisError('invalid_config', 'a stored secret is not in a known format');
  try {
    const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new TrellisError(
      'invalid_config',
      'a stored secret cannot be decrypted: TRELLIS_SECRETS_KEY is not the key it was saved with',
    );
  }
}

function requireKey(key: Buffer | null): Buffer {
  if (!key || key.length !== 32)
    throw new TrellisError(
      'invalid_config',
      'single sign-on needs TRELLIS_SECRETS_KEY (32 bytes, base64 or hex) to encrypt client secrets',
    );
  return key;
}

/** TRELLIS_SECRETS_KEY as bytes: 64 hex characters or base64 of 32 bytes; null when unset or invalid. */
export function parseSecretsKey(value: string | undefined): Buffer | null {
  if (!value) return null;
  const v = value.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
  return bytes.length === 32 ? bytes : null;
}
