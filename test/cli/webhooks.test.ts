import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trellis } from '../support/cli.js';

describe('trellis webhooks', () => {
  const data = join(mkdtempSync(join(tmpdir(), 'trellis-webhooks-')), 'data');
  const env = { TRELLIS_DATA_DIR: data, DATABASE_URL: '' };

  it('runs one dispatcher pass and lists endpoints, creating the secrets key readable by its owner only', () => {
    expect(trellis(['db', 'migrate'], env).code).toBe(0);
    const pass = trellis(['webhooks', 'dispatch', '--json'], env);
    expect(pass.code, pass.stderr).toBe(0);
    expect(JSON.parse(pass.stdout)).toEqual({
      fannedOut: 0,
      delivered: 0,
      retried: 0,
      failed: 0,
      disabled: 0,
    });
    expect(statSync(join(data, 'secrets.key')).mode & 0o777).toBe(0o600);
    const list = trellis(['webhooks', 'list'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('no webhook endpoints');
  });

  it('refuses a bad timeout and a malformed key, naming them', () => {
    const bad = trellis(['webhooks', 'dispatch', '--timeout', '5'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--timeout');
    const key = trellis(['webhooks', 'dispatch'], { ...env, TRELLIS_SECRETS_KEY: 'short' });
    expect(key.code).not.toBe(0);
    expect(key.stderr).toContain('TRELLIS_SECRETS_KEY');
  });
});
