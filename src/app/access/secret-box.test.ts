import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { openSecret, parseSecretsKey, sealSecret, secretsKeyOf } from './secret-box.js';

describe('secrets Trellis must use later (OIDC client secrets, webhook signing secrets)', () => {
  const key = randomBytes(32);

  it('seals a secret so that only the same key opens it', () => {
    const sealed = sealSecret(key, 'the client secret');
    expect(sealed).not.toContain('the client secret');
    expect(sealed).not.toBe(sealSecret(key, 'the client secret'));
    expect(openSecret(key, sealed)).toBe('the client secret');
    expect(() => openSecret(randomBytes(32), sealed)).toThrow(/not the key it was saved with/);
    const [v, iv, tag, data] = sealed.split('.');
    // Flip one bit of the ciphertext itself (rewriting base64 characters can decode to the same bytes).
    const bytes = Buffer.from(data!, 'base64url');
    const last = bytes.length - 1;
    bytes.writeUInt8(bytes.readUInt8(last) ^ 1, last);
    const tampered = [v, iv, tag, bytes.toString('base64url')].join('.');
    expect(() => openSecret(key, tampered)).toThrow(/cannot be decrypted/);
  });

  it('refuses to seal or open without a key, naming TRELLIS_SECRETS_KEY', () => {
    expect(() => sealSecret(null, 'x')).toThrow(/TRELLIS_SECRETS_KEY/);
    expect(() => openSecret(null, 'v1.a.b.c')).toThrow(/TRELLIS_SECRETS_KEY/);
  });

  it('reads TRELLIS_SECRETS_KEY as hex or base64 of 32 bytes, and refuses anything else at start-up', () => {
    const hex = key.toString('hex');
    expect(parseSecretsKey(hex)).toEqual(key);
    expect(parseSecretsKey(key.toString('base64'))).toEqual(key);
    expect(loadConfig({ TRELLIS_SECRETS_KEY: hex }).secretsKey).toEqual(key);
    expect(loadConfig({}).secretsKey).toBeNull();
    for (const bad of ['short', randomBytes(16).toString('hex'), randomBytes(33).toString('base64')])
      expect(() => loadConfig({ TRELLIS_SECRETS_KEY: bad }), bad).toThrow(/TRELLIS_SECRETS_KEY/);
  });

  it('uses TRELLIS_SECRETS_KEY, else one key file in the data directory, created once and owner-only', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'trellis-secrets-')), 'data');
    const given = randomBytes(32);
    expect(secretsKeyOf({ secretsKey: given, dataDir })).toBe(given);
    const first = secretsKeyOf({ secretsKey: null, dataDir });
    expect(first).toHaveLength(32);
    expect(statSync(join(dataDir, 'secrets.key')).mode & 0o777).toBe(0o600);
    // Every later process reads the same key back, so what one sealed another opens.
    const again = secretsKeyOf({ secretsKey: null, dataDir });
    expect(openSecret(again, sealSecret(first, 'whsec_x'))).toBe('whsec_x');
    writeFileSync(join(dataDir, 'secrets.key'), 'not a key\n');
    expect(() => secretsKeyOf({ secretsKey: null, dataDir })).toThrow(/secrets.key is not a 32-byte key/);
  });
});
