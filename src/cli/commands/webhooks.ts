import type { Command } from 'commander';
import { loadConfig } from '../../app/config.js';
import { openAppStore } from '../../app/store.js';
import { dispatchWebhooks, pruneWebhookLog } from '../../app/webhooks/dispatch.js';
import { listAllWebhookEndpoints } from '../../app/webhooks/endpoints.js';
import { TrellisError } from '../../core/shared/errors.js';
import { runCommand } from '../run.js';
import { configuredContext } from '../context.js';

export function registerWebhooks(program: Command): void {
  const webhooks = program
    .command('webhooks')
    .description('webhook endpoints and their deliveries (docs/webhooks.md)');
  webhooks
    .command('dispatch')
    .description(
      'one dispatcher pass: turn pending events into deliveries and attempt those due (what `trellis serve` does every few seconds)',
    )
    .option('--timeout <ms>', 'how long one attempt may take, in milliseconds', '10000')
    .option('--json', 'print the counts as JSON')
    .action(async (opts: { timeout: string; json?: boolean }) => {
      await runCommand(Boolean(program.opts().verbose), async () => {
        const timeoutMs = Number(opts.timeout);
        if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000)
          throw new TrellisError('invalid_input', '--timeout must be 100 to 120000 milliseconds');
        const config = loadConfig();
        const store = await openAppStore(config.store);
        try {
          const r = await dispatchWebhooks(configuredContext(store, config), {
            timeoutMs,
          });
          process.stdout.write(
            opts.json
              ? `${JSON.stringify(r)}\n`
              : `webhooks: ${r.fannedOut} events fanned out, ${r.delivered} delivered, ${r.retried} to retry, ${r.failed} failed for good, ${r.disabled} endpoints disabled\n`,
          );
        } finally {
          await store.close();
        }
      });
    });
  webhooks
    .command('prune')
    .description(
      'delete finished deliveries, their attempts and their events older than the retention (what `trellis serve` does every hour)',
    )
    .option('--days <n>', 'keep this many days (default: TRELLIS_WEBHOOK_RETENTION_DAYS, 30)')
    .option('--json', 'print the counts as JSON')
    .action(async (opts: { days?: string; json?: boolean }) => {
      await runCommand(Boolean(program.opts().verbose), async () => {
        const days = opts.days === undefined ? undefined : Number(opts.days);
        if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650))
          throw new TrellisError('invalid_input', '--days must be a whole number of days from 1 to 3650');
        const config = loadConfig();
        const store = await openAppStore(config.store);
        try {
          const r = await pruneWebhookLog(
            configuredContext(store, config),
            days === undefined ? {} : { retentionDays: days },
          );
          process.stdout.write(
            opts.json
              ? `${JSON.stringify(r)}\n`
              : `webhooks: ${r.deliveries} finished deliveries and ${r.events} events from before ${r.before} pruned\n`,
          );
        } finally {
          await store.close();
        }
      });
    });
  webhooks
    .command('list')
    .description('every webhook endpoint (never its secret), with its status and failures')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { json?: boolean }) => {
      await runCommand(Boolean(program.opts().verbose), async () => {
        const config = loadConfig();
        const store = await openAppStore(config.store);
        try {
          const items = await listAllWebhookEndpoints(configuredContext(store, config));
          for (const e of items)
            process.stdout.write(
              opts.json
                ? `${JSON.stringify(e)}\n`
                : `${e.id}  ${e.status.padEnd(8)}  ${(e.vendorId ?? e.partnerId ?? '').padEnd(12)}  ${e.url}  [${e.events.join(', ')}]${e.status === 'disabled' ? `  (${e.disabledReason ?? ''})` : ''}\n`,
            );
          if (!opts.json && items.length === 0) process.stdout.write('no webhook endpoints\n');
        } finally {
          await store.close();
        }
      });
    });
}
