import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { WebhookSettings } from '../context.js';

/**
 * The webhook settings of a process from its configuration: the key that encrypts signing secrets is
 * TRELLIS_WEBHOOK_KEY, else `<data dir>/webhook.key` (created on first use, readable by its owner only).
 * Every process that signs (`trellis serve`, `trellis webhooks dispatch`) must use the same key: with
 * PostgreSQL and several servers, set TRELLIS_WEBHOOK_KEY on each.
 */
export function webhookSettingsOf(config: Config): WebhookSettings {
  return {
    allowPrivate: config.webhooks.allowPrivate,
    key: config.webhooks.key ? Buffer.from(config.webhooks.key, 'hex') : keyFile(config.dataDir),
    selfOrigins: [
      ...(config.webhooks.publicUrl ? [new URL(config.webhooks.publicUrl).origin] : []),
      `http://localhost:${config.port}`,
      `http://127.0.0.1:${config.port}`,
      ...(config.host !== '0.0.0.0' && config.host !== '127.0.0.1'
        ? [`http://${config.host}:${config.port}`]
        : []),
    ],
  };
}

function keyFile(dataDir: string): Buffer {
  const file = join(dataDir, 'webhook.key');
  try {
    const text = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(text)) return Buffer.from(text, 'hex');
    throw new Error(`${file} is not a 256-bit key in hexadecimal`);
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
