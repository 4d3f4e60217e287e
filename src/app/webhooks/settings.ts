import type { Config } from '../config.js';
import type { WebhookSettings } from '../context.js';

/**
 * The webhook settings of a process from its configuration. Signing secrets are sealed with the
 * installation's secrets key (`secretsKeyOf`, src/app/access/secret-box.ts), like every stored secret.
 */
export function webhookSettingsOf(config: Config): WebhookSettings {
  return {
    allowPrivate: config.webhooks.allowPrivate,
    retentionDays: config.webhooks.retentionDays,
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
