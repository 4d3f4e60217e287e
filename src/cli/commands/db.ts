import type { Command } from 'commander';
import { loadConfig } from '../../app/config.js';
import { runMigrations } from '../../app/migrations.js';
import { openAppStore } from '../../app/store.js';
import { TrellisError } from '../../core/shared/errors.js';
import { runCommand } from '../run.js';

export function registerDb(program: Command): void {
  const db = program.command('db').description('database maintenance');
  db.command('migrate')
    .description('apply every pending migration (or, with --down, revert them all)')
    .option('--down', 'revert every migration (drops all Trellis tables and their data)')
    .action(async (opts: { down?: boolean }) => {
      await runCommand(Boolean(program.opts().verbose), async () => {
        const config = loadConfig();
        const store = await openAppStore(config.store, { migrate: false });
        try {
          const report = await runMigrations(store, opts.down ? 'down' : 'up');
          for (const s of report.steps)
            process.stdout.write(`${s.direction.padEnd(4)} ${s.name}: ${s.status}\n`);
          if (report.error) throw new TrellisError('store_unreachable', `migration failed: ${report.error}`);
          if (report.steps.length === 0) process.stdout.write('nothing to do\n');
          process.stdout.write(
            `schema version: ${report.version ?? '(empty)'} on ${store.capabilities.kind} ${store.location}\n`,
          );
        } finally {
          await store.close();
        }
      });
    });
}
