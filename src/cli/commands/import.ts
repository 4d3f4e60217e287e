import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadConfig } from '../../app/config.js';
import { createContext } from '../../app/context.js';
import { openAppStore } from '../../app/store.js';
import { importCertificationCsv } from '../../app/tiers/certification-csv.js';
import { createProgress, type ProgressReporter } from '../progress.js';
import { runCommand } from '../run.js';

/** Files at least this large get a progress line (or bar, on a terminal). */
const PROGRESS_FROM_BYTES = 1024 * 1024;

export function registerImport(program: Command): void {
  const cmd = program.command('import').description('bulk imports from CSV files (see docs/csv-formats.md)');
  cmd
    .command('certifications')
    .description(
      'record the certifications a vendor granted, from a CSV file; all or nothing: any bad row is reported as file:line:column: message and nothing is written',
    )
    .argument(
      '<file>',
      'CSV file: a header row (email or person_id, code, kind, family, earned_on, expires_on)',
    )
    .requiredOption('--vendor <slug>', 'the vendor that granted the certifications (dell, vmware...)')
    .option(
      '--as-of <date>',
      'the day the summary counts active and soon-expiring certifications on (YYYY-MM-DD; default today)',
    )
    .option('--dry-run', 'check every row and report, write nothing')
    .option('--json', 'print the summary as JSON')
    .action(
      async (file: string, opts: { vendor: string; asOf?: string; dryRun?: boolean; json?: boolean }) => {
        await runCommand(Boolean(program.opts().verbose), async () => {
          const store = await openAppStore(loadConfig().store);
          let progress: ProgressReporter | undefined;
          try {
            const size = await stat(file).then(
              (s) => s.size,
              () => 0,
            );
            progress = size >= PROGRESS_FROM_BYTES ? createProgress() : undefined;
            let phase = '';
            const outcome = await importCertificationCsv(createContext(store), {
              file,
              vendor: opts.vendor,
              asOf: opts.asOf,
              dryRun: opts.dryRun,
              onProgress: progress
                ? (name, done, total) => {
                    if (name !== phase) {
                      phase = name;
                      progress?.phase(
                        name === 'read' ? 'reading (bytes)' : name === 'check' ? 'checking' : 'writing',
                        total,
                      );
                    }
                    progress?.update(done);
                  }
                : undefined,
            });
            progress?.stop();
            if (!outcome.ok) {
              for (const p of outcome.problems) process.stderr.write(`${p}\n`);
              process.stderr.write(`${outcome.message}\n`);
              return 1;
            }
            const s = outcome.summary;
            if (opts.json) {
              const { ids: _ids, ...rest } = s;
              process.stdout.write(`${JSON.stringify({ ...rest, dryRun: Boolean(opts.dryRun) })}\n`);
              return 0;
            }
            if (s.ignoredColumns.length > 0)
              process.stderr.write(`${file}: ignored columns ${s.ignoredColumns.join(', ')}\n`);
            const verb = opts.dryRun ? 'checked (dry run, nothing written)' : 'recorded';
            process.stdout.write(
              [
                `${file}: ${verb} ${opts.dryRun ? s.rows : s.recorded} certification${s.rows === 1 ? '' : 's'} granted by ${s.vendor.name} to ${s.people} ${s.people === 1 ? 'person' : 'people'} of ${s.partners} partner${s.partners === 1 ? '' : 's'}`,
                `as of ${s.asOf}: ${s.active} active (${s.expiringSoon} expiring within 60 days), ${s.expired} already expired, ${s.notYetEarned} not yet earned`,
                '',
              ].join('\n'),
            );
            return 0;
          } finally {
            progress?.stop();
            await store.close();
          }
        });
      },
    );
}
