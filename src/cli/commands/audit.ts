import type { Command } from 'commander';
import { listAudit } from '../../app/access/audit.js';
import { loadConfig } from '../../app/config.js';
import { openAppStore } from '../../app/store.js';
import { SYSTEM_SCOPE, type Scope } from '../../core/access/scope.js';
import { TrellisError } from '../../core/shared/errors.js';
import { runCommand } from '../run.js';
import { configuredContext } from '../context.js';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the audit trail of state changes');
  audit
    .command('tail')
    .description('print the latest audit events (oldest first), optionally following new ones')
    .option('-n, --lines <n>', 'how many events', '20')
    .option('--vendor <slug>', "only this vendor's events")
    .option('-f, --follow', 'keep printing new events every second until interrupted')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { lines: string; vendor?: string; follow?: boolean; json?: boolean }) => {
      await runCommand(Boolean(program.opts().verbose), async () => {
        const limit = Number(opts.lines);
        if (!Number.isInteger(limit) || limit < 1 || limit > 500)
          throw new TrellisError('invalid_input', '--lines must be 1 to 500');
        const config = loadConfig();
        const store = await openAppStore(config.store);
        const ctx = configuredContext(store, config);
        try {
          let scope: Scope = SYSTEM_SCOPE;
          if (opts.vendor) {
            const vendor = await ctx.repos.vendors.findBySlug(opts.vendor);
            if (!vendor) throw new TrellisError('not_found', `no vendor has the slug ${opts.vendor}`);
            scope = { kind: 'vendor', vendorId: vendor.id, regions: [] };
          }
          let last = '';
          const print = async (first: boolean) => {
            const page = await listAudit(ctx, scope, first ? {} : { from: last }, {
              limit: first ? limit : 500,
              sort: 'at',
              direction: 'desc',
            });
            const events = page.items.filter((e) => first || e.at > last).reverse();
            for (const e of events) {
              process.stdout.write(
                opts.json
                  ? `${JSON.stringify(e)}\n`
                  : `${e.at}  ${e.action.padEnd(26)} ${`${e.actorType}:${e.actorId ?? '-'}`.padEnd(34)} ${e.role ?? '-'}  ${e.targetType}:${e.targetId ?? '-'}\n`,
              );
              if (e.at > last) last = e.at;
            }
          };
          await print(true);
          if (opts.follow) {
            for (;;) {
              await new Promise((r) => setTimeout(r, 1000));
              await print(false);
            }
          }
        } finally {
          await store.close();
        }
      });
    });
}
