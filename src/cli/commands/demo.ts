import type { Command } from 'commander';
import { loadConfig } from '../../app/config.js';
import { DEMO_PASSWORD, loadDemo } from '../../app/demo/load-demo.js';
import { openAppStore } from '../../app/store.js';
import { DEMO_SCALES, type DemoScale } from '../../core/demo/index.js';
import { TrellisError } from '../../core/shared/errors.js';
import { createProgress } from '../progress.js';
import { runCommand } from '../run.js';
import { configuredContext } from '../context.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      "load the demo world (Dell and VMware programs' yearly versions, partners, customers, orders from 2017 to today, live accruals, deals, offers and statements) into an empty database",
    )
    .option(
      '-s, --scale <scale>',
      'small (50k order lines in the last twelve months), medium (1M) or large (10M); older years come on top',
      'small',
    )
    .option('--seed <n>', 'random seed: the same seed always builds the same world', '1')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { scale: string; seed: string; json?: boolean }) => {
      await runCommand(Boolean(program.opts().verbose), async () => {
        if (!(opts.scale in DEMO_SCALES))
          throw new TrellisError(
            'invalid_input',
            `--scale: unknown scale "${opts.scale}"; use small, medium or large`,
          );
        const seed = Number(opts.seed);
        if (!Number.isSafeInteger(seed) || seed < 0)
          throw new TrellisError('invalid_input', `--seed: "${opts.seed}" is not a non-negative integer`);
        const config = loadConfig();
        // A one-off bulk load: on a main-thread SQLite connection even when the server runs SQLite on a
        // worker thread (TRELLIS_SQLITE_THREAD), for the loader's fastest paths (sidecar files, raw handle).
        const store = await openAppStore(
          config.store.kind === 'sqlite' ? { ...config.store, thread: 'main' } : config.store,
        );
        try {
          // Its proof files go to the configured file store (the data directory by default).
          const ctx = configuredContext(store, config);
          const bar = createProgress();
          let phase = '';
          const summary = await loadDemo(ctx, {
            scale: opts.scale as DemoScale,
            seed,
            onProgress: (p) => {
              if (p.phase !== phase) {
                phase = p.phase;
                bar.phase(p.phase, p.total);
              }
              bar.update(p.done);
            },
          });
          bar.stop();
          if (opts.json) {
            process.stdout.write(`${JSON.stringify(summary)}\n`);
            return;
          }
          const lines = [
            `Loaded the ${summary.scale} demo world (seed ${summary.seed}) into ${store.capabilities.kind} ${store.location} in ${summary.seconds.toFixed(1)} s:`,
            `  programs   ${summary.vendors.map((v) => `${v.slug}/${v.programCode}@${v.version}`).join(', ')}`,
            `  partners   ${summary.partners}`,
            `  people     ${summary.people}`,
            `  customers  ${summary.customers}`,
            `  now        ${summary.now} (the last twelve months from ${summary.recentFrom}: ${summary.recentOrderLines} order lines)`,
            `  versions   ${summary.programYears.map((y) => `${y.vendor}@${y.version}${y.derived ? ' (derived)' : ''}`).join(', ')}`,
            `  orders     ${summary.orders} (${summary.orderLines} lines since ${summary.programYears[0]?.from ?? ''})`,
            `  accruals   ${summary.accruals.vendors.map((v) => `${v.transactions} real-time accrual transactions from ${v.from}`).join('; ')}`,
            `  statements ${summary.settlement.periods.map((p) => `${p.program} ${p.period} ${p.pay ? `paid ${p.payOn}` : `due ${p.payOn}`}`).join('; ') || 'none settled (see README)'}`,
            `  deals      ${summary.deals.registrations} registrations (${Object.entries(
              summary.deals.byStatus,
            )
              .filter(([, n]) => n > 0)
              .map(([s, n]) => `${n} ${s}`)
              .join(
                ', ',
              )}); ${summary.deals.rejectedAsConflict} answered "conflict", ${summary.deals.slaBreached} reviews past their SLA`,
            `  MDF        ${summary.mdf.activities} activities (${Object.entries(summary.mdf.byStatus)
              .map(([s, n]) => `${n} ${s}`)
              .join(', ')}), ${summary.mdf.files} proof files`,
            ...summary.tiers.map(
              (t) =>
                `  tiers      ${t.program} on ${t.asOf}: ${Object.entries(t.tiers)
                  .map(([k, n]) => `${k} ${n}`)
                  .join(', ')}`,
            ),
            `  demo sign-ins (password "${DEMO_PASSWORD}"):`,
            ...summary.signIns.map(
              (s) => `    ${s.email.padEnd(40)} ${s.role.padEnd(18)} ${s.vendorSlug ?? s.partnerName ?? ''}`,
            ),
          ];
          process.stdout.write(`${lines.join('\n')}\n`);
        } finally {
          await store.close();
        }
      });
    });
}
