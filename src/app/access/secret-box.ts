import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrellisError } from '../../core/shared/errors.js';

/**
 * Secrets Trellis must use later (an OIDC client secret, a webhook signing secret), encrypted with
 * AES-256-GCM under the server's secrets key (`secretsKeyOf`). Stored as `v1.<iv>.<tag>.<data>`
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
      'a stored secret cannot be decrypted: the secrets key (TRELLIS_SECRETS_KEY or <data dir>/secrets.key) is not the key it was saved with',
    );
  }
}

function requireKey(key: Buffer | null): Buffer {
  if (!key || key.length !== 32)
    throw new TrellisError(
      'invalid_config',
      'stored secrets need a 32-byte key (TRELLIS_SECRETS_KEY, base64 or hex, or <data dir>/secrets.key)',
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

/**
 * The key every process of one installation seals and opens secrets with: TRELLIS_SECRETS_KEY, else
 * `<data dir>/secrets.key` (created on first use, readable by its owner only). Several servers sharing a
 * PostgreSQL database must be given the same TRELLIS_SECRETS_KEY.
 */
export function secretsKeyOf(config: { secretsKey: Buffer | null; dataDir: string }): Buffer {
  return config.secretsKey ?? keyFile(config.dataDir);
}

function keyFile(dataDir: string): Buffer {
  const file = join(dataDir, 'secrets.key');
  try {
    const key = parseSecretsKey(readFileSync(file, 'utf8'));
    if (key) return key;
    throw new TrellisError('invalid_config', `${file} is not a 32-byte key (64 hexadecimal characters)`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  try {
    writeFileSync(file, `${key.toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    // Another process wrote it first: use that one.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return keyFile(dataDir);
    throw e;
  }
  chmodSync(file, 0o600);
  return key;
}
