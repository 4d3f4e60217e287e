import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadConfig } from '../../app/config.js';
import { importDeals, type DealImportSummary } from '../../app/deals/import-deals.js';
import {
  importOrders,
  rejectsHeader,
  rejectsLine,
  type OrderImportSummary,
} from '../../app/orders/import-orders.js';
import { openAppStore } from '../../app/store.js';
import { formatMoney } from '../../core/money/money.js';
import { TrellisError } from '../../core/shared/errors.js';
import { importCertificationCsv } from '../../app/tiers/certification-csv.js';
import { createProgress, type ProgressReporter } from '../progress.js';
import { runCommand } from '../run.js';
import { configuredContext } from '../context.js';

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
          const config = loadConfig();
          const store = await openAppStore(config.store);
          let progress: ProgressReporter | undefined;
          try {
            const size = await stat(file).then(
              (s) => s.size,
              () => 0,
            );
            progress = size >= PROGRESS_FROM_BYTES ? createProgress() : undefined;
            let phase = '';
            const outcome = await importCertificationCsv(configuredContext(store, config), {
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

  cmd
    .command('orders')
    .description(
      'import orders (one row per order line) with their accruals from a CSV file; all or nothing unless --allow-partial; each bad row is reported as file:line:column: message',
    )
    .argument(
      '<file>',
      'CSV file: a header row (source, external_id, order_date, currency, customer_id, channel, reseller_id, distributor_id, product_id, quantity, unit_price, ...; see docs/csv-formats.md)',
    )
    .requiredOption('--vendor <slug>', 'the vendor the orders are for (dell, vmware...)')
    .option(
      '--distributor <partner-id>',
      "read the file as this distributor's sell-out report (channel defaults to distributor, distributor_id to it)",
    )
    .option('--allow-partial', 'store the valid orders and write the invalid ones to a rejects file')
    .option('--rejects <path>', 'where --allow-partial writes rejected rows (default: <file>.rejects.csv)')
    .option('--dry-run', 'check every row and report, store nothing')
    .option('--json', 'print the summary as JSON')
    .action(
      async (
        file: string,
        opts: {
          vendor: string;
          distributor?: string;
          allowPartial?: boolean;
          rejects?: string;
          dryRun?: boolean;
          json?: boolean;
        },
      ) => {
        await runCommand(Boolean(program.opts().verbose), async () => {
          const size = await stat(file).then(
            (s) => s.size,
            (e: Error) => {
              throw new TrellisError('invalid_input', `cannot read ${file}: ${e.message}`);
            },
          );
          const config = loadConfig();
          const store = await openAppStore(config.store);
          const progress = size >= PROGRESS_FROM_BYTES ? createProgress() : undefined;
          const rejectsPath = opts.rejects ?? `${file}.rejects.csv`;
          let rejects: WriteStream | undefined;
          let header: readonly string[] = [];
          try {
            progress?.phase('importing (bytes)', size);
            const outcome = await importOrders(
              configuredContext(store, config),
              { actor: { kind: 'system', id: 'cli' }, scope: { kind: 'system' } },
              createReadStream(file, { highWaterMark: 1 << 20 }),
              {
                vendor: opts.vendor,
                distributorId: opts.distributor,
                allowPartial: opts.allowPartial,
                dryRun: opts.dryRun,
                name: file,
                totalBytes: size,
                onProgress: progress ? (bytes) => progress.update(bytes) : undefined,
                onReject: opts.allowPartial
                  ? (row) => {
                      if (!rejects) {
                        rejects = createWriteStream(rejectsPath);
                        rejects.write(rejectsHeader(header));
                      }
                      rejects.write(rejectsLine(row));
                    }
                  : undefined,
                onHeader: (names) => {
                  header = names;
                },
              },
            );
            progress?.stop();
            if (rejects) await closeStream(rejects);
            const s = outcome.summary;
            if (!outcome.ok) {
              for (const p of outcome.problems)
                process.stderr.write(`${file}:${p.line}:${p.column}: ${p.message}\n`);
              if (outcome.problemCount > outcome.problems.length)
                process.stderr.write(
                  `${file}: ... and ${outcome.problemCount - outcome.problems.length} more problems\n`,
                );
              process.stderr.write(`${outcome.message}\n`);
              return 1;
            }
            if (opts.json) {
              process.stdout.write(
                `${JSON.stringify({ ...s, rejectsFile: rejects ? rejectsPath : null })}\n`,
              );
              return 0;
            }
            if (s.ignoredColumns.length > 0)
              process.stderr.write(`${file}: ignored columns ${s.ignoredColumns.join(', ')}\n`);
            process.stdout.write(`${outcome.message}\n${describeImport(s, rejects ? rejectsPath : null)}`);
            return 0;
          } finally {
            progress?.stop();
            if (rejects) await closeStream(rejects);
            await store.close();
          }
        });
      },
    );

  cmd
    .command('deals')
    .description(
      "register a partner's opportunities exported from a CRM (one row per product-family line; rows with the same external_ref are one registration); all or nothing: any bad row is reported as file:line:column: message and nothing is registered; a reference registered before is left as it is",
    )
    .argument(
      '<file>',
      'CSV file: a header row (external_ref, program, customer_name, customer_country, customer_segment, currency, expected_close_date, description, family, amount, ...; see docs/csv-formats.md)',
    )
    .requiredOption('--partner <partner-id>', 'the partner the registrations are for (ptn_...)')
    .option('--program <program>', 'program code or id for rows without a program column value')
    .option(
      '--submit',
      'submit each registration (the conflict check, in file order: first to register holds); default: drafts',
    )
    .option('--dry-run', 'check (and with --submit, search conflicts for) every registration; write nothing')
    .option('--json', 'print the summary as JSON')
    .action(
      async (
        file: string,
        opts: { partner: string; program?: string; submit?: boolean; dryRun?: boolean; json?: boolean },
      ) => {
        await runCommand(Boolean(program.opts().verbose), async () => {
          await stat(file).catch((e: Error) => {
            throw new TrellisError('invalid_input', `cannot read ${file}: ${e.message}`);
          });
          const config = loadConfig();
          const store = await openAppStore(config.store);
          try {
            const outcome = await importDeals(
              configuredContext(store, config),
              {
                // The operator registers on the partner's behalf: the history says "by system" (cli).
                actor: { kind: 'system', id: 'cli' },
                scope: { kind: 'partner', partnerId: opts.partner, ownerPersonId: null },
              },
              createReadStream(file),
              { name: file, program: opts.program, submit: opts.submit, dryRun: opts.dryRun },
            );
            if (!outcome.ok) {
              for (const p of outcome.problems)
                process.stderr.write(`${file}:${p.line}:${p.column}: ${p.message}\n`);
              process.stderr.write(`${outcome.message}\n`);
              return 1;
            }
            const s = outcome.summary;
            if (opts.json) {
              process.stdout.write(`${JSON.stringify(s)}\n`);
              return 0;
            }
            if (s.ignoredColumns.length > 0)
              process.stderr.write(`${file}: ignored columns ${s.ignoredColumns.join(', ')}\n`);
            process.stdout.write(describeDealImport(s));
            return 0;
          } finally {
            await store.close();
          }
        });
      },
    );
}

function describeDealImport(s: DealImportSummary): string {
  const lines = [
    `${s.name}: ${s.rows} rows, ${s.registrations} registration(s) for partner ${s.partnerId}${s.dryRun ? ' (dry run: nothing was written)' : ''}: ${s.created} ${s.dryRun ? 'would be ' : ''}registered (${s.submitted} submitted, ${s.conflicts} conflict, ${s.drafts} draft), ${s.alreadyRegistered} already registered`,
  ];
  for (const i of s.items)
    lines.push(
      `  line ${String(i.line).padStart(4)}  ${i.externalRef.padEnd(20)} ${i.outcome.padEnd(18)} ${(i.id ?? '').padEnd(26)} ${i.status}${i.reasonCode ? ` (${i.reasonCode})` : ''}`,
    );
  return `${lines.join('\n')}\n`;
}

function closeStream(stream: WriteStream): Promise<void> {
  if (stream.closed || stream.writableFinished) return Promise.resolve();
  return new Promise((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

function describeImport(s: OrderImportSummary, rejectsFile: string | null): string {
  const accrued = formatMoney({ amountMinor: s.ledger.accruedMinor, currency: s.vendor.currency });
  const lines = [
    `vendor ${s.vendor.name}${s.variant === 'sell-out' ? ' (distributor sell-out)' : ''}: ${s.rows} rows, ${s.orders.created} orders stored${s.dryRun ? ' (dry run: nothing was written)' : ''}, ${s.orders.replayed} already stored (same content), ${s.orders.rejected} rejected${s.orders.routed > 0 ? `, ${s.orders.routed} direct orders routed to partners (trellis routing log)` : ''}`,
    `accruals: ${s.ledger.transactions} ledger transactions, ${s.ledger.entries} entries, ${accrued} accrued; ${Math.round(s.rows / Math.max(s.seconds, 1e-9))} rows/s`,
  ];
  if (rejectsFile) lines.push(`rejected rows written to ${rejectsFile} (with an error column)`);
  return `${lines.join('\n')}\n`;
}
