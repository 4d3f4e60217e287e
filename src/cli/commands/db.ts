import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../app/config.js';
import { backupInstallation, restoreInstallation } from '../../app/maintenance/backup.js';
import { distributionPlan } from '../../app/maintenance/citus.js';
import { storeStatus } from '../../app/maintenance/status.js';
import { runMigrations } from '../../app/migrations.js';
import { openAppStore } from '../../app/store.js';
import { TrellisError } from '../../core/shared/errors.js';
import { createProgress } from '../progress.js';
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

  db.command('backup')
    .description(
      'back up the installation into a new folder while it runs: the database (SQLite online backup, or pg_dump on PostgreSQL), stored files, the secrets key and a manifest (docs/operations.md)',
    )
    .argument('<folder>', 'a new or empty folder outside TRELLIS_DATA_DIR')
    .option('--json', 'print the manifest as JSON')
    .action(async (folder: string, opts: { json?: boolean }) => {
      await runCommand(Boolean(program.opts().verbose), async () => {
        const config = loadConfig();
        const bar = createProgress();
        let phase = '';
        const manifest = await backupInstallation(config, folder, {
          onProgress: (name, done, total) => {
            if (name !== phase) {
              bar.phase(name, total);
              phase = name;
            }
            bar.update(done);
          },
        });
        bar.stop();
        if (opts.json) {
          process.stdout.write(JSON.stringify(manifest, null, 2) + '\n');
          return;
        }
        const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
        process.stdout.write(
          [
            `backup written to ${folder}`,
            `  database: ${manifest.store.kind} ${manifest.store.location} -> ${manifest.store.file} (${mb(manifest.store.bytes)}, sha256 ${manifest.store.sha256.slice(0, 16)}...)`,
            `  schema version: ${manifest.schemaVersion ?? '(empty)'}; vendors: ${manifest.vendors ?? 0}`,
            `  stored files: ${manifest.files.count} (${mb(manifest.files.bytes)})`,
            `  secrets key: ${manifest.secretsKey ? 'copied (keep this folder as safe as the key)' : 'not in the data directory (TRELLIS_SECRETS_KEY is set, or no secret was stored yet): keep the key with the backup'}`,
          ].join('\n') + '\n',
        );
      });
    });

  db.command('restore')
    .description(
      'restore a folder written by `trellis db backup` into an empty store (a new TRELLIS_DATA_DIR, or an empty PostgreSQL database), then migrate it forward; stop the server first',
    )
    .argument('<folder>', 'the backup folder (it holds manifest.json)')
    .action(async (folder: string) => {
      await runCommand(Boolean(program.opts().verbose), async () => {
        const report = await restoreInstallation(loadConfig(), folder);
        process.stdout.write(
          [
            `restored ${report.manifest.store.kind} backup of ${report.manifest.createdAt} (${report.manifest.vendors ?? 0} vendors, ${report.manifest.files.count} stored files)`,
            `  schema version: ${report.schemaVersion ?? '(empty)'}${report.migrated.length > 0 ? ` (migrated forward: ${report.migrated.join(', ')})` : ''}`,
          ].join('\n') + '\n',
        );
      });
    });

  db.command('status')
    .description('which store this configuration opens, its schema version, pending migrations and size')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await runCommand(Boolean(program.opts().verbose), async () => {
        const target = loadConfig().store;
        if (target.kind === 'sqlite' && !existsSync(target.file))
          throw new TrellisError(
            'not_found',
            `no store at ${target.file} yet: \`trellis db migrate\` or \`trellis serve\` creates it (TRELLIS_DATA_DIR sets the folder)`,
          );
        const store = await openAppStore(target, { migrate: false });
        try {
          const s = await storeStatus(store);
          if (opts.json) {
            process.stdout.write(JSON.stringify(s, null, 2) + '\n');
            return;
          }
          process.stdout.write(
            [
              `store: ${s.kind} ${s.location}${s.bytes !== null ? ` (${(s.bytes / 1_048_576).toFixed(1)} MB)` : ''}`,
              `schema version: ${s.schemaVersion ?? '(empty)'}${s.pending.length === 0 ? ' (up to date)' : ''}`,
              ...(s.pending.length > 0
                ? [
                    `pending migrations (${s.pending.length}; \`trellis db migrate\` or \`trellis serve\` applies them): ${s.pending.join(', ')}`,
                  ]
                : []),
              `vendors: ${s.vendors ?? 0}`,
            ].join('\n') + '\n',
          );
        } finally {
          await store.close();
        }
      });
    });

  db.command('citus')
    .description(
      'print the SQL that distributes this PostgreSQL schema on Citus by vendor: reference tables, then vendor-owned tables by vendor_id, co-located, in foreign-key order (docs/operations.md); writes nothing',
    )
    .option('--json', 'print the classification and the SQL as JSON')
    .action(async (opts: { json?: boolean }) => {
      await runCommand(Boolean(program.opts().verbose), async () => {
        const store = await openAppStore(loadConfig().store, { migrate: false });
        try {
          const plan = await distributionPlan(store);
          process.stdout.write(opts.json ? JSON.stringify(plan, null, 2) + '\n' : plan.sql);
        } finally {
          await store.close();
        }
      });
    });
}
