import type { Command } from 'commander';
import { loadConfig } from '../../app/config.js';
import { openAppStore } from '../../app/store.js';
import { evaluateProgramTiers } from '../../app/tiers/evaluate-program.js';
import { applyStatusMatch } from '../../app/tiers/status-match.js';
import { readStatusMatchCsv } from '../../app/tiers/status-match-csv.js';
import { SYSTEM_SCOPE } from '../../core/access/scope.js';
import { TrellisError } from '../../core/shared/errors.js';
import { runCommand } from '../run.js';
import { configuredContext } from '../context.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function registerTiers(program: Command): void {
  const tiers = program.command('tiers').description('tier evaluation, audits and status match');
  tiers
    .command('evaluate')
    .description(
      "re-evaluate every partner enrolled in a program (the daily run); --audit applies the yearly audit's downgrades",
    )
    .argument('<program>', 'program id or code')
    .option('--as-of <date>', 'day of evaluation, YYYY-MM-DD (default: today)')
    .option('--audit', 'run as the yearly audit: downgrades take effect')
    .option('--json', 'print the summary as JSON')
    .action(async (code: string, opts: { asOf?: string; audit?: boolean; json?: boolean }) => {
      await runCommand(Boolean(program.opts().verbose), async () => {
        const asOf = opts.asOf ?? new Date().toISOString().slice(0, 10);
        if (!ISO_DATE.test(asOf))
          throw new TrellisError('invalid_input', `--as-of: "${asOf}" is not a date (YYYY-MM-DD)`);
        const config = loadConfig();
        const store = await openAppStore(config.store);
        try {
          const s = await evaluateProgramTiers(
            configuredContext(store, config),
            { actor: { kind: 'system', id: 'cli' }, scope: SYSTEM_SCOPE },
            { program: code, asOf, audit: opts.audit ?? false },
          );
          if (opts.json) {
            process.stdout.write(`${JSON.stringify(s)}\n`);
            return;
          }
          process.stdout.write(
            [
              `${s.program.code} ${s.program.version} as of ${s.asOf}${s.audit ? ' (yearly audit)' : ''}, window ${s.window.from}..${s.window.to}:`,
              `  evaluated ${s.evaluated}: ${s.started} started, ${s.upgrades} upgraded, ${s.downgrades} downgraded, ${s.held} held, ${s.unchanged} unchanged`,
              `  tiers     ${Object.entries(s.tiers)
                .map(([t, n]) => `${t} ${n}`)
                .join(', ')}`,
              '',
            ].join('\n'),
          );
        } finally {
          await store.close();
        }
      });
    });
  tiers
    .command('status-match')
    .description(
      'give partners of merged legacy programs the higher mapped tier (CSV columns: partner_id, legacy_program, legacy_tier)',
    )
    .argument('<program>', 'program id or code (its file defines the mapping)')
    .argument('<file>', 'CSV file with a header row')
    .action(async (code: string, file: string) => {
      await runCommand(Boolean(program.opts().verbose), async () => {
        const rows = await readStatusMatchCsv(file);
        const config = loadConfig();
        const store = await openAppStore(config.store);
        try {
          const result = await applyStatusMatch(configuredContext(store, config), SYSTEM_SCOPE, {
            program: code,
            rows,
          });
          for (const m of result.matched)
            process.stdout.write(
              `${m.partnerId}: ${m.tier} (grandfathered until ${m.grandfatheredUntil}) ${m.reason}\n`,
            );
          process.stdout.write(`${result.matched.length} partner(s) matched\n`);
        } finally {
          await store.close();
        }
      });
    });
}
