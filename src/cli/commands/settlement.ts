import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { closePeriod } from '../../app/incentives/close-period.js';
import { listDisputes, resolveDispute } from '../../app/incentives/disputes.js';
import { decimal, listStatements, statementDownload } from '../../app/incentives/statements.js';
import {
  previewStatementBulk,
  runStatementBulk,
  type BulkPreview,
} from '../../app/incentives/bulk-statements.js';
import { SYSTEM_SCOPE } from '../../core/access/scope.js';
import { STATEMENT_ACTIONS, STATEMENT_STATUSES } from '../../core/ledger/settlement.js';
import { listPayoutCurrencies, setPayoutCurrency } from '../../app/incentives/payout-currency.js';
import { TrellisError } from '../../core/shared/errors.js';
import { createProgress } from '../progress.js';
import { withContext } from '../context.js';
import { runCommand } from '../run.js';

const SYSTEM = { actor: { kind: 'system' as const, id: 'cli' }, scope: SYSTEM_SCOPE };

const money = (amountMinor: number, currency: string) => `${currency} ${decimal(amountMinor, currency)}`;

const DONE: Record<string, string> = { issue: 'issued', approve: 'approved', pay: 'paid' };

/** A bulk action's preview or result as lines: what moves (or moved), its totals, what is skipped and why. */
export function bulkReport(r: BulkPreview & { lost?: number }, dryRun: boolean): string {
  const counts = (o: Record<string, number | undefined>) =>
    Object.entries(o)
      .map(([k, v]) => `${v ?? 0} ${k}`)
      .join(', ');
  const lines = [
    `${dryRun ? `dry run, nothing written: ${r.action} would move` : `${DONE[r.action] ?? r.action}:`} ${r.count} of ${r.selected} statement(s) selected${r.count > 0 ? ` (${counts(r.outcomes)})` : ''}`,
    ...r.totals.map(
      (t) =>
        `  ${t.currency}: ${t.count} statement(s), total ${money(t.totalMinor, t.currency)}${r.action === 'pay' ? `, paid out ${money(t.payoutMinor, t.currency)}` : ''}`,
    ),
    ...r.moves.map(
      (m) =>
        `  ${m.id}  ${m.partnerId.padEnd(20)} ${m.period}${m.sequence > 1 ? `#${m.sequence}` : ''}  ${m.from} -> ${m.to}  ${money(m.totalMinor, m.currency).padStart(20)}`,
    ),
    r.skippedCount > 0 ? `  skipped ${r.skippedCount}: ${counts(r.skippedByReason)}` : '',
    ...r.skipped.map((k) => `    ${k.id}  ${k.status ?? '-'}  ${k.reason}`),
    r.truncated ? `  (the first ${r.moves.length} moves and ${r.skipped.length} skipped are listed)` : '',
  ];
  return `${lines.filter((l) => l !== '').join('\n')}\n`;
}

export function registerSettlement(program: Command): void {
  const verbose = () => Boolean(program.opts().verbose);

  program
    .command('close')
    .description(
      'close a program period: recompute with final tiers and period facts, post only the differences, build draft statements',
    )
    .argument('<program>', 'program id or code')
    .argument('<period>', 'period code, e.g. FY18-Q2')
    .option('--dry-run', 'compute and report only; write nothing (allowed before the period ends)')
    .option('--json', 'print the result as JSON')
    .option(
      '--shards <n>',
      "compute in N shards of partners (1..16), each on a thread of its own reading the close's snapshot; default TRELLIS_CLOSE_SHARDS or 1",
    )
    .action(
      async (code: string, period: string, opts: { dryRun?: boolean; json?: boolean; shards?: string }) => {
        await runCommand(verbose(), async () => {
          const progress = opts.json ? undefined : createProgress();
          const r = await withContext((ctx) =>
            closePeriod(ctx, SYSTEM, {
              program: code,
              period,
              dryRun: opts.dryRun ?? false,
              progress,
              shards: opts.shards === undefined ? undefined : Number(opts.shards),
            }),
          );
          progress?.stop();
          if (opts.json) {
            process.stdout.write(`${JSON.stringify({ ...r, closeItems: r.closeItems.length })}\n`);
            return;
          }
          const lines = [
            `${r.program} ${r.period} (${r.from}..${r.to})${r.dryRun ? ' — dry run, nothing written' : `: close ${r.closeId}`}`,
            `  ${r.lines} line(s) of ${r.partners} partner(s); ${r.transactions} true-up transaction(s), ${r.entries} entries, net ${money(r.netMinor, r.currency)}`,
            `  earned in the period: ${money(r.totalMinor, r.currency)}${r.dryRun ? '' : `; ledger reconciled with the batch computation: ${r.reconciled ? 'yes' : 'NO'}`}`,
            ...r.components.map(
              (c) =>
                `    ${c.component.padEnd(24)} ${money(c.totalMinor, r.currency).padStart(22)}  (true-up ${money(c.trueUpMinor, r.currency)})`,
            ),
            r.dryRun
              ? ''
              : `  ${r.statements} draft statement(s) built; issue them with: trellis statements issue --program ${r.program} --period ${r.period}`,
            '',
          ];
          process.stdout.write(lines.filter((l, i) => l !== '' || i === lines.length - 1).join('\n'));
        });
      },
    );

  const statements = program
    .command('statements')
    .description('partner statements: list, issue, approve, pay, download');
  statements
    .command('list')
    .description('list statements')
    .option('--program <program>', 'program id or code')
    .option('--partner <id>', 'partner id')
    .option('--period <period>', 'period code')
    .option('--status <status>', STATEMENT_STATUSES.join(', '))
    .option('--json', 'print JSON lines')
    .action(
      async (opts: {
        program?: string;
        partner?: string;
        period?: string;
        status?: string;
        json?: boolean;
      }) => {
        await runCommand(verbose(), async () => {
          if (opts.status && !(STATEMENT_STATUSES as readonly string[]).includes(opts.status))
            throw new TrellisError(
              'invalid_input',
              `--status: expected one of ${STATEMENT_STATUSES.join(', ')}`,
            );
          await withContext(async (ctx) => {
            let cursor: string | undefined;
            do {
              const page = await listStatements(ctx, SYSTEM_SCOPE, opts, {
                limit: 500,
                cursor,
                sort: 'period',
                direction: 'asc',
              });
              for (const s of page.items)
                process.stdout.write(
                  opts.json
                    ? `${JSON.stringify(s)}\n`
                    : `${s.id}  ${s.partnerId.padEnd(20)} ${s.period}${s.sequence > 1 ? `#${s.sequence}` : ''}  ${s.status.padEnd(8)} ${String(s.lines).padStart(7)} lines  ${money(s.totalMinor, s.currency).padStart(20)}  pay on ${s.payOn}\n`,
                );
              cursor = page.nextCursor ?? undefined;
            } while (cursor);
          });
        });
      },
    );

  for (const action of STATEMENT_ACTIONS) {
    statements
      .command(action)
      .description(
        action === 'issue'
          ? 'issue draft statements to partners'
          : action === 'approve'
            ? 'approve issued statements for payment'
            : 'record payment of approved statements (posts the payouts; totals below the minimum payout are carried)',
      )
      .argument('[ids...]', 'statement ids (or select with --program, and --period, --partner)')
      .option('--program <program>', 'every statement of this program...')
      .option('--period <period>', '...of this period...')
      .option('--partner <id>', '...of this partner, ready for this step')
      .option('--reference <ref>', 'payment reference (pay)')
      .option('--dry-run', 'say what would happen (count, totals, what is skipped and why); write nothing')
      .option('--json', 'print the preview or the result as JSON')
      .action(
        async (
          ids: string[],
          opts: {
            program?: string;
            period?: string;
            partner?: string;
            reference?: string;
            dryRun?: boolean;
            json?: boolean;
          },
        ) => {
          await runCommand(verbose(), async () => {
            if (ids.length === 0 && !opts.program)
              throw new TrellisError('invalid_input', 'give statement ids, or --program (and --period)');
            const selection =
              ids.length > 0
                ? { ids, period: opts.period, partner: opts.partner }
                : { program: opts.program, period: opts.period, partner: opts.partner };
            const progress = opts.json || opts.dryRun ? undefined : createProgress();
            const r = await withContext((ctx) =>
              opts.dryRun
                ? previewStatementBulk(ctx, SYSTEM_SCOPE, action, selection)
                : runStatementBulk(ctx, SYSTEM, action, selection, { reference: opts.reference, progress }),
            );
            progress?.stop();
            if (opts.json) {
              process.stdout.write(`${JSON.stringify(r)}\n`);
              return;
            }
            process.stdout.write(bulkReport(r, opts.dryRun ?? false));
            // Statements named one by one are expected to move: any left alone fails the command.
            if (!opts.dryRun && ids.length > 0 && r.skippedCount > 0)
              throw new TrellisError(
                'conflict',
                `${r.skippedCount} of the statements given did not move: ${r.skipped
                  .map((k) => `${k.id} ${k.reason}${k.status ? ` (${k.status})` : ''}`)
                  .join(', ')}`,
              );
          });
        },
      );
  }

  statements
    .command('download')
    .description('write a statement as CSV (one row per line) or JSON')
    .argument('<id>', 'statement id')
    .option('--format <format>', 'csv or json', 'csv')
    .option('-o, --out <file>', 'output file (default: standard output)')
    .action(async (id: string, opts: { format: string; out?: string }) => {
      await runCommand(verbose(), async () => {
        if (opts.format !== 'csv' && opts.format !== 'json')
          throw new TrellisError('invalid_input', `--format: expected csv or json, not "${opts.format}"`);
        const format = opts.format;
        await withContext(async (ctx) => {
          const out = opts.out ? createWriteStream(opts.out) : process.stdout;
          for await (const chunk of statementDownload(ctx, SYSTEM_SCOPE, id, format)) {
            if (!out.write(chunk)) await once(out, 'drain');
          }
          if (opts.out) {
            (out as ReturnType<typeof createWriteStream>).end();
            await once(out, 'finish');
            process.stderr.write(`wrote ${opts.out}\n`);
          }
        });
      });
    });

  program
    .command('payout-currency')
    .description(
      "the currency a partner is paid in under each program: list it, or set it with --program and --currency (one of the program's payout currencies; audited)",
    )
    .argument('<partner>', 'partner id')
    .option('--program <program>', 'program id or code')
    .option('--currency <currency>', "ISO 4217 code, e.g. EUR (the program's own to go back to it)")
    .option('--json', 'print as JSON')
    .action(async (partner: string, opts: { program?: string; currency?: string; json?: boolean }) => {
      await runCommand(verbose(), async () => {
        if ((opts.program === undefined) !== (opts.currency === undefined))
          throw new TrellisError(
            'invalid_input',
            'give both --program and --currency to set a payout currency',
            [
              {
                location: opts.program === undefined ? '--program' : '--currency',
                message: 'required with the other',
              },
            ],
          );
        const items = await withContext(async (ctx) => {
          if (opts.program !== undefined && opts.currency !== undefined)
            return [
              await setPayoutCurrency(ctx, SYSTEM, partner, {
                program: opts.program,
                currency: opts.currency,
              }),
            ];
          return (await listPayoutCurrencies(ctx, SYSTEM_SCOPE, partner)).items;
        });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(opts.program ? items[0] : items)}\n`);
          return;
        }
        for (const i of items)
          process.stdout.write(
            `${i.programCode.padEnd(32)} paid in ${i.currency}${i.chosen ? '' : " (the program's)"}; program currency ${i.programCurrency}; allowed ${i.allowed.join(', ')}\n`,
          );
      });
    });

  const disputes = program.command('disputes').description('statement disputes: list and decide');
  disputes
    .command('list')
    .description('list disputes')
    .option('--status <status>', 'open, accepted or rejected')
    .action(async (opts: { status?: string }) => {
      await runCommand(verbose(), async () => {
        await withContext(async (ctx) => {
          const page = await listDisputes(
            ctx,
            SYSTEM_SCOPE,
            { status: opts.status },
            {
              limit: 500,
              sort: 'openedAt',
              direction: 'asc',
            },
          );
          for (const d of page.items)
            process.stdout.write(
              `${d.id}  ${d.partnerId.padEnd(20)} ${d.status.padEnd(9)} ${money(d.requestedMinor, d.currency).padStart(18)}  ${d.statementId}  ${d.reason}\n`,
            );
        });
      });
    });
  for (const decision of ['accept', 'reject'] as const) {
    disputes
      .command(decision)
      .description(
        decision === 'accept' ? 'accept a dispute (posts the adjustment)' : 'reject a dispute with a reason',
      )
      .argument('<id>', 'dispute id')
      .option('--reason <text>', decision === 'reject' ? 'why (required)' : 'note')
      .option('--amount <minor>', 'adjustment in minor units (default: the amount asked for)')
      .action(async (id: string, opts: { reason?: string; amount?: string }) => {
        await runCommand(verbose(), async () => {
          const amountMinor = opts.amount === undefined ? undefined : Number(opts.amount);
          if (amountMinor !== undefined && !Number.isSafeInteger(amountMinor))
            throw new TrellisError(
              'invalid_input',
              `--amount: "${opts.amount}" is not an integer of minor units`,
            );
          const d = await withContext((ctx) =>
            resolveDispute(ctx, SYSTEM, id, { decision, reason: opts.reason, amountMinor }),
          );
          process.stdout.write(
            `${d.id}: ${d.status}${d.resolvedMinor === null ? '' : ` (${money(d.resolvedMinor, d.currency)})`}\n`,
          );
        });
      });
  }
}
