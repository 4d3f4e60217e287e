import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadConfig } from '../../app/config.js';
import { decimal } from '../../app/incentives/statements.js';
import { simulate, type BaselineInput } from '../../app/simulation/simulate.js';
import { openAppStore } from '../../app/store.js';
import { SYSTEM_SCOPE } from '../../core/access/scope.js';
import { formatPercent } from '../../core/money/rate.js';
import { TrellisError } from '../../core/shared/errors.js';
import { createProgress } from '../progress.js';
import { runCommand } from '../run.js';
import { configuredContext } from '../context.js';

const SYSTEM = { actor: { kind: 'system' as const, id: 'cli' }, scope: SYSTEM_SCOPE };

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description(
      "what a draft program would have paid on the store's history, partner by partner, against a baseline (writes no ledger, membership or statement; stores the simulation)",
    )
    .argument('<draft>', 'the draft program file (YAML or JSON)')
    .option(
      '--baseline <program|file>',
      "a published program code or a program file (default: the published program with the draft's code)",
    )
    .requiredOption('--from <date>', 'first day of the history (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last day of the history (YYYY-MM-DD)')
    .option('--name <name>', 'a name for the stored simulation')
    .option(
      '--shards <n>',
      'compute in N shards of partners (1..16), each but the first on a thread of its own; the result is the same',
    )
    .option('--json', 'print the result as JSON')
    .action(
      async (
        file: string,
        opts: {
          baseline?: string;
          from: string;
          to: string;
          name?: string;
          shards?: string;
          json?: boolean;
        },
      ) => {
        await runCommand(Boolean(program.opts().verbose), async () => {
          let draftText: string;
          try {
            draftText = await readFile(file, 'utf8');
          } catch (e) {
            throw new TrellisError('invalid_input', `cannot read ${file}: ${(e as Error).message}`, [
              { location: `${file}:1:1`, message: 'file not found or unreadable' },
            ]);
          }
          let baseline: BaselineInput | undefined;
          if (opts.baseline !== undefined)
            baseline = (await isFile(opts.baseline))
              ? { text: await readFile(opts.baseline, 'utf8'), file: opts.baseline }
              : { program: opts.baseline };
          const progress = opts.json ? undefined : createProgress();
          const config = loadConfig();
          const store = await openAppStore(config.store);
          let r;
          try {
            r = await simulate(
              configuredContext(store, config),
              SYSTEM,
              {
                draftText,
                draftFile: file,
                baseline,
                from: opts.from,
                to: opts.to,
                name: opts.name,
                shards: opts.shards === undefined ? undefined : Number(opts.shards),
              },
              progress,
            );
          } finally {
            progress?.stop();
            await store.close();
          }
          if (opts.json) {
            process.stdout.write(`${JSON.stringify(r)}\n`);
            return;
          }
          const c = r.comparison;
          const money = (m: number) => `${r.currency} ${decimal(m, r.currency)}`;
          const signed = (m: number) => `${m > 0 ? '+' : ''}${money(m)}`;
          const out = [
            `simulation ${r.id}: ${r.program} ${r.draftVersion} against ${r.baseline.program ?? r.baseline.file} (${r.baseline.versions.join(', ')}), ${r.from}..${r.to}`,
            `  ${r.lines} line(s), ${c.totals.partners} partner(s), periods ${r.periods.map((p) => p.code).join(', ')}; engine ${r.engineVersion}`,
            `  baseline equals the ledger for the closed periods: ${r.baselineEqualsLedger === null ? 'no period closed' : r.baselineEqualsLedger ? 'yes, to the cent' : `NO (${r.ledgerMismatches.length} first mismatch(es) in the result)`}`,
            `  total: baseline ${money(c.totals.baselineMinor)}, draft ${money(c.totals.draftMinor)} (${signed(c.totals.differenceMinor)})`,
            `  partners: ${c.totals.winners} gain, ${c.totals.losers} lose, ${c.totals.unchanged} unchanged`,
            '  by component:',
            ...c.components.map(
              (x) =>
                `    ${x.component.padEnd(24)} ${money(x.baselineMinor).padStart(20)} -> ${money(x.draftMinor).padStart(20)}  (${formatPercent(x.draftShare)} of the draft)`,
            ),
            `    ${'payout multipliers'.padEnd(24)} ${money(c.multiplier.baselineMinor).padStart(20)} -> ${money(c.multiplier.draftMinor).padStart(20)}  (${formatPercent(c.multiplier.draftShare)} of the draft)`,
            '  by period:',
            ...c.periods.map(
              (p) =>
                `    ${p.period.padEnd(12)} ${money(p.baselineMinor).padStart(20)} -> ${money(p.draftMinor).padStart(20)}`,
            ),
            ...(c.pools.length > 0 ? ['  budget pools:'] : []),
            ...c.pools.map(
              (p) =>
                `    ${p.pool}: draft ${money(p.draftMinor)} of ${p.draftBudgetMinor === null ? 'no budget' : money(p.draftBudgetMinor)}${p.draftRunsOutIn ? `, runs out in ${p.draftRunsOutIn}` : ', suffices'}`,
            ),
            r.tierChanges
              ? `  tier changes under the draft's thresholds: ${r.tierChanges.up} up, ${r.tierChanges.down} down`
              : "  tiers: the draft's are the baseline's",
            `  per partner: trellis serve, then GET /api/simulations/${r.id}/partners.csv`,
            '',
          ];
          process.stdout.write(out.join('\n'));
        });
      },
    );
}
