import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import type { AppContext } from '../../app/context.js';
import {
  convertWithRates,
  importRateFile,
  listRates,
  type RateLoadSummary,
} from '../../app/currencies/rates.js';
import { SYSTEM_SCOPE } from '../../core/access/scope.js';
import { TrellisError } from '../../core/shared/errors.js';
import { withContext } from '../context.js';
import { createProgress, type ProgressReporter } from '../progress.js';
import { runCommand } from '../run.js';

/** Files at least this large get a progress line (or bar, on a terminal). */
const PROGRESS_FROM_BYTES = 1024 * 1024;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The operator acts on one vendor's rates: the one named, or the only vendor of the store. */
async function vendorOf(ctx: AppContext, slug: string | undefined): Promise<string> {
  if (slug) return slug;
  const page = await ctx.repos.vendors.list(SYSTEM_SCOPE, { limit: 2, sort: 'name', direction: 'asc' });
  const only = page.items.length === 1 ? page.items[0] : undefined;
  if (!only)
    throw new TrellisError('invalid_input', 'name the vendor whose rates these are: --vendor <slug>');
  return only.slug;
}

function day(value: string | undefined, option: string): string | undefined {
  if (value !== undefined && !ISO_DAY.test(value))
    throw new TrellisError('invalid_input', `${option} must be a day written YYYY-MM-DD`);
  return value;
}

function printSummary(s: RateLoadSummary): void {
  process.stdout.write(
    `${s.dryRun ? 'checked (dry run, nothing written)' : 'imported'} ${s.source} for ${s.vendor.name}: ${s.rates} rates read${s.shape === 'wide' ? ` (a table against ${s.base})` : ''}\n` +
      `  added      ${s.added}\n  unchanged  ${s.unchanged}\n  replaced   ${s.replaced}\n`,
  );
  for (const r of s.replacements)
    process.stdout.write(`  replaced ${r.base}/${r.quote} ${r.day}: ${r.before} -> ${r.after}\n`);
  if (s.replaced > s.replacements.length)
    process.stdout.write(`  ... and ${s.replaced - s.replacements.length} more replaced\n`);
  if (s.ignoredColumns.length > 0)
    process.stdout.write(`  columns not read: ${s.ignoredColumns.join(', ')}\n`);
}

export function registerRates(program: Command): void {
  const rates = program
    .command('rates')
    .description("a vendor's exchange rates by day: import, list, convert (see docs/currencies.md)");

  rates
    .command('import')
    .description(
      'load exchange rates from a CSV file, all or nothing: every bad row is reported as file:line:column: message and nothing is written; a rate equal to the stored one is skipped, one that differs is refused unless --replace',
    )
    .argument(
      '<file>',
      'CSV file: a header base,quote,day,rate and one rate a row; or a central bank table (Date,USD,GBP,...) with --base',
    )
    .option(
      '--base <currency>',
      "a table's base currency: its other columns are quote currencies (EUR for the ECB's)",
    )
    .option('--currencies <list>', 'a table: load only these currency columns (USD,GBP,JPY)')
    .option('--replace', 'replace stored rates that differ (each replacement audited with before and after)')
    .option('--vendor <slug>', 'the vendor whose rates these are (default: the only vendor of the store)')
    .option('--dry-run', 'check everything, write nothing')
    .option('--json', 'print the summary as JSON')
    .action(
      async (
        file: string,
        opts: {
          base?: string;
          currencies?: string;
          replace?: boolean;
          vendor?: string;
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
          return withContext(async (ctx) => {
            const progress: ProgressReporter | undefined =
              size >= PROGRESS_FROM_BYTES ? createProgress() : undefined;
            let phase = '';
            try {
              const outcome = await importRateFile(
                ctx,
                { actor: { kind: 'system', id: 'cli' }, scope: SYSTEM_SCOPE },
                createReadStream(file),
                {
                  name: file.split(/[\\/]/).at(-1) ?? file,
                  base: opts.base,
                  currencies: opts.currencies?.split(','),
                  replace: opts.replace,
                  dryRun: opts.dryRun,
                  vendor: await vendorOf(ctx, opts.vendor),
                  totalBytes: size,
                  onProgress: progress
                    ? (name, done, total) => {
                        if (name !== phase) {
                          phase = name;
                          progress.phase(name === 'read' ? 'reading (bytes)' : 'writing', total);
                        }
                        progress.update(done);
                      }
                    : undefined,
                },
              );
              progress?.stop();
              if (!outcome.ok) {
                for (const p of outcome.problems) {
                  const m = /^line (\d+), column (.+)$/.exec(p.location);
                  process.stderr.write(
                    m ? `${file}:${m[1]}:${m[2]}: ${p.message}\n` : `${file}: ${p.location}: ${p.message}\n`,
                  );
                }
                process.stderr.write(`trellis: ${outcome.message}\n`);
                return 1;
              }
              if (opts.json) process.stdout.write(`${JSON.stringify(outcome.summary, null, 2)}\n`);
              else printSummary(outcome.summary);
              return 0;
            } finally {
              progress?.stop();
            }
          });
        });
      },
    );

  rates
    .command('list')
    .description("print a vendor's exchange rates, by day then pair")
    .option('--base <currency>', 'only rates of this base')
    .option('--quote <currency>', 'only rates of this quote')
    .option('--from <day>', 'first day (YYYY-MM-DD)')
    .option('--to <day>', 'last day (YYYY-MM-DD)')
    .option('--limit <n>', 'at most this many rates', '1000')
    .option('--vendor <slug>', 'the vendor (default: the only vendor of the store)')
    .option('--json', 'one JSON object per rate')
    .action(
      async (opts: {
        base?: string;
        quote?: string;
        from?: string;
        to?: string;
        limit: string;
        vendor?: string;
        json?: boolean;
      }) => {
        await runCommand(Boolean(program.opts().verbose), () =>
          withContext(async (ctx) => {
            const limit = Number(opts.limit);
            if (!Number.isInteger(limit) || limit < 1)
              throw new TrellisError('invalid_input', '--limit must be a whole number of at least 1');
            const filter = {
              base: opts.base,
              quote: opts.quote,
              from: day(opts.from, '--from'),
              to: day(opts.to, '--to'),
              vendor: await vendorOf(ctx, opts.vendor),
            };
            let cursor: string | undefined;
            let printed = 0;
            if (!opts.json) process.stdout.write('day         pair      rate            source\n');
            do {
              const page = await listRates(ctx, { scope: SYSTEM_SCOPE }, filter, {
                limit: Math.min(500, limit - printed),
                sort: 'day',
                direction: 'asc',
                cursor,
              });
              for (const r of page.items)
                process.stdout.write(
                  opts.json
                    ? `${JSON.stringify(r)}\n`
                    : `${r.day}  ${`${r.base}/${r.quote}`.padEnd(8)}  ${r.rate.padEnd(14)}  ${r.source}\n`,
                );
              printed += page.items.length;
              cursor = page.nextCursor ?? undefined;
            } while (cursor && printed < limit);
          }),
        );
      },
    );

  rates
    .command('convert')
    .description(
      "convert an amount with a vendor's rates as Trellis would: the rate of the day (loaded, inverse or cross), how it was had, and the amount rounded once, half to even",
    )
    .argument('<amount>', 'the amount in minor units of the from currency (cents: 1000000 = 10,000.00)')
    .requiredOption('--from <currency>', 'the currency of the amount')
    .requiredOption('--to <currency>', 'the currency to convert to')
    .requiredOption('--day <day>', 'the day of the rate (YYYY-MM-DD)')
    .option(
      '--program <code>',
      "apply this program's missing-rate policy (else a day without a rate is refused)",
    )
    .option('--vendor <slug>', 'the vendor (default: the only vendor of the store)')
    .option('--json', 'print the conversion as JSON')
    .action(
      async (
        amount: string,
        opts: { from: string; to: string; day: string; program?: string; vendor?: string; json?: boolean },
      ) => {
        await runCommand(Boolean(program.opts().verbose), () =>
          withContext(async (ctx) => {
            if (!/^-?\d{1,16}$/.test(amount) || !Number.isSafeInteger(Number(amount)))
              throw new TrellisError(
                'invalid_input',
                `amount "${amount}" must be a whole number of minor units`,
              );
            const c = await convertWithRates(
              ctx,
              { scope: SYSTEM_SCOPE },
              {
                from: opts.from,
                to: opts.to,
                day: day(opts.day, '--day') ?? opts.day,
                amountMinor: Number(amount),
                program: opts.program,
                vendor: await vendorOf(ctx, opts.vendor),
              },
            );
            if (opts.json) {
              process.stdout.write(`${JSON.stringify(c, null, 2)}\n`);
              return;
            }
            const how =
              c.derivation.kind === 'direct'
                ? 'as loaded'
                : c.derivation.kind === 'inverse'
                  ? `the inverse of ${c.to}/${c.from}`
                  : `a cross through ${c.derivation.via}`;
            process.stdout.write(
              `${c.explanation}\n  rate ${c.from}/${c.to} ${c.rate}: ${how}, of ${c.rateDay}${c.rateDay !== c.day ? ` (the last known within ${c.policy.policy === 'last-known' ? c.policy.withinDays : 0} days, program ${c.program})` : ''}\n`,
            );
          }),
        );
      },
    );
}
